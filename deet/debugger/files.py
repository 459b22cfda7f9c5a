"""Every ELF file deet reads during a session, each read once: the program, the
libraries processes load, and programs an exec starts.

A process and its fork share the program's ``DebugInfo``, a program that execs itself
again reads nothing twice, and libraries are kept across runs. Separate debug files are
looked for under ``debug_root`` (gdb's ``set debug-file-directory``); files opened before
it changed keep what they found.
"""

from __future__ import annotations

import os

from deet.debugger.errors import DebuggerError
from deet.debuginfo import DEBUG_ROOT, DebugInfo, DebugInfoError


class DebugFiles:
    def __init__(self, program: str) -> None:
        self.debug_root = DEBUG_ROOT
        self._files: dict[str, DebugInfo] = {}
        self.program = DebugInfo(program, debug_root=self.debug_root)
        self._files[os.path.realpath(program)] = self.program

    def library(self, path: str) -> DebugInfo | None:
        """A shared library's debug info (or just its symbols); None if unreadable."""
        real = os.path.realpath(path)
        info = self._files.get(real)
        if info is None:
            try:
                info = DebugInfo(real, require_debug_info=False, debug_root=self.debug_root)
            except DebugInfoError:
                return None
            self._files[real] = info
        return info

    def executable(self, path: str) -> tuple[DebugInfo, str | None]:
        """The debug info of a program an exec started, and why it is unusable for
        breakpoints (then only its symbols name its frames)."""
        real = os.path.realpath(path)
        info = self._files.get(real)
        if info is not None and info.has_debug_info:
            return info, None
        try:
            info = DebugInfo(real, debug_root=self.debug_root)
        except DebugInfoError as exc:
            try:
                info = self._files.get(real) or DebugInfo(
                    real, require_debug_info=False, debug_root=self.debug_root)
            except DebugInfoError:
                raise DebuggerError(str(exc)) from exc
            self._files[real] = info
            return info, str(exc)
        self._files[real] = info
        return info, None

    def naming(self, source: str) -> DebugInfo | None:
        """The first file read whose debug info names ``source`` (the program before any
        library), as gdb finds a source file's symtab."""
        for info in self._files.values():
            try:
                if info.has_debug_info and info.has_source_file(source):
                    return info
            except DebugInfoError:
                continue
        return None

    def built_at(self, source: str) -> int | None:
        """When the file whose debug info names ``source`` was built; None if none does."""
        info = self.naming(source)
        return info.built_at if info is not None else None

    def close(self) -> None:
        for info in self._files.values():
            info.close()
