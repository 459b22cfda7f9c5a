"""The command history file, by DEET's rules: at most 100 entries, no consecutive
duplicates, saved as each line is entered. Kept apart from the REPL so the rules are
plain Python, whatever line editor sits on top.

The file is the user's alone (0600, as gdb's), read only if it is a regular file (a FIFO
would hang the prompt), and replaced atomically by a fresh temporary file (O_EXCL, in the
same directory), so that no symlink planted there is written through."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

MAX_ENTRIES = 100
# More than 100 lines can hold; a bigger file is read only this far.
MAX_BYTES = 1 << 20


def default_path() -> Path:
    return Path(os.environ.get("DEET_HISTORY", Path.home() / ".deet_history"))


class HistoryFile:
    def __init__(self, path: Path, limit: int = MAX_ENTRIES) -> None:
        self.path = path
        self.limit = limit
        self.entries = self._load()

    def _load(self) -> list[str]:
        self._refused: str | None = None
        self._warned = False
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            return []
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            self._refused = "not a regular file"
            return []
        with os.fdopen(fd, "rb") as f:
            text = f.read(MAX_BYTES).decode(errors="replace")
        return [line for line in text.splitlines() if line.strip()][-self.limit :]

    def add(self, line: str) -> str | None:
        """Record ``line``; returns a one-line warning if it could not be saved."""
        line = line.strip()
        if not line or (self.entries and self.entries[-1] == line):
            return None
        self.entries = [*self.entries, line][-self.limit :]
        return self._save()

    def _save(self) -> str | None:
        if self._refused is not None:
            # Said once; the file is left as it is and nothing is saved.
            warned, self._warned = self._warned, True
            return None if warned else self._warning(self._refused)
        # A history file that is a symlink (to dotfiles) stays one: its target is replaced,
        # as readline does.
        target = Path(os.path.realpath(self.path))
        try:
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=target.name + ".")
        except OSError as exc:
            return self._warning(exc.strerror or str(exc))
        try:
            with os.fdopen(fd, "w") as f:
                f.write("".join(entry + "\n" for entry in self.entries))
            os.replace(temporary, target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            return self._warning(exc.strerror or str(exc))
        return None

    def _warning(self, reason: str) -> str:
        return f"warning: could not save history to {self.path}: {reason}"
