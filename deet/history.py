"""The command history file, by DEET's rules: at most 100 entries, no consecutive
duplicates, saved as each line is entered. Kept apart from the REPL so the rules are
plain Python, whatever line editor sits on top."""

from __future__ import annotations

import os
from pathlib import Path

MAX_ENTRIES = 100


def default_path() -> Path:
    return Path(os.environ.get("DEET_HISTORY", Path.home() / ".deet_history"))


class HistoryFile:
    def __init__(self, path: Path, limit: int = MAX_ENTRIES) -> None:
        self.path = path
        self.limit = limit
        self.entries = self._load()

    def _load(self) -> list[str]:
        try:
            text = self.path.read_text(errors="replace")
        except OSError:
            return []
        return [line for line in text.splitlines() if line.strip()][-self.limit :]

    def add(self, line: str) -> str | None:
        """Record ``line``; returns a one-line warning if it could not be saved."""
        line = line.strip()
        if not line or (self.entries and self.entries[-1] == line):
            return None
        self.entries = [*self.entries, line][-self.limit :]
        return self._save()

    def _save(self) -> str | None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            temporary.write_text("".join(entry + "\n" for entry in self.entries))
            os.replace(temporary, self.path)
        except OSError as exc:
            return f"warning: could not save history to {self.path}: {exc.strerror or exc}"
        return None
