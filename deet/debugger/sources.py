"""Source files as lines, read once: for the line printed at each stop (and listings)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable

from deet.debuginfo import SourceLocation
from deet.results import SourceLine

# The most of a source file deet reads: a path in the debug info may name /dev/zero or a
# file of gigabytes, and its lines are kept in memory. Lines past it are out of range.
MAX_SOURCE_BYTES = 32 << 20
# How many files gdb's source cache holds (source-cache.h): a file read again after it
# left the cache is checked against its executable again.
GDB_CACHED_FILES = 5


def _read_lines(path: str) -> list[str]:
    """The lines of a regular file (a FIFO or a device is refused, never waited on), up to
    ``MAX_SOURCE_BYTES``; the last line cut there is dropped."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "Not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_SOURCE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_SOURCE_BYTES:
        data = data[:data.rfind(b"\n", 0, MAX_SOURCE_BYTES) + 1]
    return data.decode("utf-8", errors="replace").splitlines()


class SourceFiles:
    """``built_at``: when the executable whose debug info names a source file was built
    (None if unknown), for gdb's warning about a source file newer than it."""

    def __init__(self, built_at: Callable[[str], int | None]) -> None:
        self._built_at = built_at
        self._lines: dict[str, list[str] | None] = {}
        self._errors: dict[str, str] = {}
        # The file last listed or shown under a frame (gdb's last_source_visited).
        self._last: str | None = None
        # The files gdb's source cache would hold, the one used last at the end.
        self._cached: list[str] = []

    def lines(self, path: str) -> list[str] | None:
        """The file's lines without newlines, or None when it cannot be read."""
        if path not in self._lines:
            try:
                self._lines[path] = _read_lines(path)
            except OSError as exc:
                self._lines[path] = None
                self._errors[path] = exc.strerror or "cannot be read"
        return self._lines[path]

    def shown(self, path: str) -> tuple[list[str] | None, bool]:
        """The file's lines for showing some of them, and whether gdb would warn first
        that the file is newer than its executable: when it reads the file into its
        cache (once, until the file leaves the cache)."""
        lines = self.lines(path)
        if lines is None:
            return None, False
        if path in self._cached:
            index = self._cached.index(path)
            self._cached[index], self._cached[-1] = self._cached[-1], self._cached[index]
            return lines, False
        if len(self._cached) >= GDB_CACHED_FILES:
            del self._cached[0]
        self._cached.append(path)
        return lines, self._newer_than_executable(path)

    def _newer_than_executable(self, path: str) -> bool:
        try:
            written = int(os.stat(path).st_mtime)
        except OSError:
            return False
        built = self._built_at(path)
        return bool(built) and built < written

    @property
    def current(self) -> str | None:
        """gdb's current source file: the one last listed or shown under a frame."""
        return self._last

    def visit(self, path: str) -> bool:
        """Make ``path`` the current source file (a listing, a frame's line); whether it
        already was."""
        again = self._last == path
        self._last = path
        return again

    def source_line(self, location: SourceLocation | None) -> SourceLine | None:
        """The line a stop or a frame shows under itself; for a file that cannot be read,
        what gdb says instead, which depends on the file shown last."""
        if location is None:
            return None
        again = self.visit(location.file)
        lines, stale = self.shown(location.file)
        if lines is None:
            return SourceLine(location.line, None, location.shown,
                              self._errors.get(location.file), again)
        if not 1 <= location.line <= len(lines):
            return None
        return SourceLine(location.line, lines[location.line - 1], stale=stale)
