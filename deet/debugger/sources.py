"""Source files as lines, read once: for the line printed at each stop (and listings)."""

from __future__ import annotations

from deet.debuginfo import SourceLocation
from deet.results import SourceLine


class SourceFiles:
    def __init__(self) -> None:
        self._lines: dict[str, list[str] | None] = {}

    def lines(self, path: str) -> list[str] | None:
        """The file's lines without newlines, or None when it cannot be read."""
        if path not in self._lines:
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    self._lines[path] = f.read().splitlines()
            except OSError:
                self._lines[path] = None
        return self._lines[path]

    def line(self, path: str, number: int) -> str | None:
        lines = self.lines(path)
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]

    def source_line(self, location: SourceLocation | None) -> SourceLine | None:
        """The line a stop or a frame shows under itself, when the file can be read."""
        if location is None:
            return None
        text = self.line(location.file, location.line)
        return SourceLine(location.line, text) if text is not None else None
