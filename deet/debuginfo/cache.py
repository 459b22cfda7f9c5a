"""What deet learns about a binary, kept between sessions under the XDG cache directory.

One file per binary, named by its build-id (or, without one, by its path, size and
modification time), holding what is costly to rebuild from pyelftools: the symbol
tables, the compilation units' address ranges, and each line table and function summary
decoded so far. It is written with ``marshal`` (a few milliseconds to load where
rebuilding takes a second) and carries a format number, its own key and a CRC-32 of its
contents: a file of another format or for another binary, a truncated, garbled or
altered one, is ignored and rebuilt, never trusted (a flipped byte could otherwise move
a breakpoint). Only a regular file owned by the user, not a symlink, in a directory that
is the same, is read or written; anything else is left alone and nothing is cached.
Writes go to a temporary file renamed into place, so two sessions never see half a file.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
import zlib
from collections.abc import Callable
from typing import Any, TypeVar

# Bumped whenever what is cached changes meaning (8: symbols at one address in gdb's order).
FORMAT = 8

T = TypeVar("T")


def cache_dir() -> str:
    """``$DEET_CACHE_DIR``, else ``$XDG_CACHE_HOME/deet``, else ``~/.cache/deet``."""
    explicit = os.environ.get("DEET_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "deet")


def cache_key(path: str, build_id: str | None) -> str:
    """The build-id names the contents; without one, the path, size and mtime stand in."""
    if build_id:
        return f"build-id-{build_id}"
    stat = os.stat(path)
    identity = f"{os.path.realpath(path)}\0{stat.st_size}\0{stat.st_mtime_ns}"
    import hashlib  # here: 2.5 ms to import, for the rare binary without a build-id

    return "file-" + hashlib.sha1(identity.encode(errors="replace")).hexdigest()


class DebugCache:
    """The cached facts about one binary: a dict of named parts, read once, written back
    at the end of the session when something was added."""

    def __init__(self, key: str, directory: str | None = None) -> None:
        self.key = key
        self.path = os.path.join(directory or cache_dir(), key + ".marshal")
        self.parts: dict[str, Any] = self._load()
        self.dirty = False

    def _load(self) -> dict[str, Any]:
        if not _trusted_directory(os.path.dirname(self.path)):
            return {}
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            return {}
        try:
            # loads() on the whole file: load() on a file object reads it in small
            # pieces, 50 ms instead of 3 ms for a 1 MB cache.
            with os.fdopen(fd, "rb") as f:
                if not _owned_regular(os.fstat(f.fileno())):
                    return {}
                data = marshal.loads(f.read())
            if (not isinstance(data, dict) or data.get("format") != FORMAT
                    or data.get("key") != self.key or not isinstance(data.get("parts"), bytes)
                    or data.get("crc32") != zlib.crc32(data["parts"])):
                return {}
            parts = marshal.loads(data["parts"])
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return parts if isinstance(parts, dict) else {}

    def get(self, name: str) -> Any:
        return self.parts.get(name)

    def put(self, name: str, value: Any) -> None:
        self.parts[name] = value
        self.dirty = True

    def restore(self, name: str, build: Callable[[Any], T]) -> T | None:
        """A cached part turned back into its object, or None (and the part dropped, to be
        rebuilt) when there is none or it does not hold together."""
        columns = self.get(name)
        if columns is None:
            return None
        try:
            return build(columns)
        except (ValueError, TypeError, IndexError, KeyError, AttributeError):
            self.forget(name)
            return None

    def forget(self, name: str) -> None:
        """Drop a part found unusable, so that it is rebuilt and written afresh."""
        if self.parts.pop(name, None) is not None:
            self.dirty = True

    def save(self) -> None:
        """Write the cache if it changed; a cache that cannot be written is no error."""
        if not self.dirty:
            return
        parts = marshal.dumps(self.parts)
        data = marshal.dumps({"format": FORMAT, "key": self.key, "parts": parts,
                              "crc32": zlib.crc32(parts)})
        directory = os.path.dirname(self.path)
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
            if not _trusted_directory(directory):
                return
            import tempfile  # here: only a session that learnt something writes

            fd, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(temporary, self.path)
            self.dirty = False
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _owned_regular(info: os.stat_result) -> bool:
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid()


def _trusted_directory(directory: str) -> bool:
    """A real directory (not a symlink to one) owned by the user: another user's, or one
    a symlink points elsewhere, could hand deet a cache it did not write."""
    try:
        info = os.lstat(directory)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid()
