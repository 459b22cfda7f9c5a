"""Source files as lines, read once: for the line printed at each stop (and listings)."""

from __future__ import annotations

import errno
import os
import stat

from deet.debuginfo import SourceLocation
from deet.results import SourceLine

# The most of a source file deet reads: a path in the debug info may name /dev/zero or a
# file of gigabytes, and its lines are kept in memory. Lines past it are out of range.
MAX_SOURCE_BYTES = 32 << 20


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
    def __init__(self) -> None:
        self._lines: dict[str, list[str] | None] = {}
        self._errors: dict[str, str] = {}
        # The file the last source line shown was in (gdb's last_source_visited).
        self._last: str | None = None

    def lines(self, path: str) -> list[str] | None:
        """The file's lines without newlines, or None when it cannot be read."""
        if path not in self._lines:
            try:
                self._lines[path] = _read_lines(path)
            except OSError as exc:
                self._lines[path] = None
                self._errors[path] = exc.strerror or "cannot be read"
        return self._lines[path]

    def line(self, path: str, number: int) -> str | None:
        lines = self.lines(path)
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]

    def source_line(self, location: SourceLocation | None) -> SourceLine | None:
        """The line a stop or a frame shows under itself; for a file that cannot be read,
        what gdb says instead, which depends on the file shown last."""
        if location is None:
            return None
        again = self._last == location.file
        self._last = location.file
        lines = self.lines(location.file)
        if lines is None:
            return SourceLine(location.line, None, location.shown,
                              self._errors.get(location.file), again)
        if not 1 <= location.line <= len(lines):
            return None
        return SourceLine(location.line, lines[location.line - 1])
