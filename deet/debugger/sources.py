"""Source files as lines, read once: for the line printed at each stop (and listings)."""

from __future__ import annotations

from deet.debuginfo import SourceLocation
from deet.results import SourceLine


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
                with open(path, encoding="utf-8", errors="replace") as f:
                    self._lines[path] = f.read().splitlines()
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
