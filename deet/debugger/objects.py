"""The ELF objects in the program's address space: the program, its dynamic loader, and
every shared library, each with its load bias.

The loader publishes its list of objects in ``_r_debug`` (glibc's ``struct r_debug``) and
calls ``_dl_debug_state`` each time the list changes, after start-up and on every
``dlopen``/``dlclose``. deet keeps an internal breakpoint there (gdb's classic
rendezvous) and re-reads the list when it is hit with the list consistent.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from deet.debuginfo import DebugInfo

if TYPE_CHECKING:
    from deet.debugger.files import DebugFiles

# struct r_debug and struct link_map field offsets on x86-64 (glibc's <link.h>).
R_MAP = 8
R_STATE = 24
RT_CONSISTENT = 0
L_ADDR, L_NAME, L_NEXT = 0, 8, 24
MAX_OBJECTS = 10_000

ReadWord = Callable[[int], int | None]
ReadString = Callable[[int], str | None]


@dataclass
class LoadedObject:
    path: str
    bias: int
    info: DebugInfo
    is_program: bool = False

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    def contains(self, address: int) -> bool:
        span = self.info.load_span
        return span is not None and span[0] <= address - self.bias < span[1]


@dataclass(frozen=True)
class Rendezvous:
    """Where to watch the loader: its notification function and its ``r_debug``."""

    breakpoint: int
    r_debug: int


class AddressSpace:
    """The objects of one run of the program; libraries' debug info is read once, in
    ``DebugFiles``, for the whole session."""

    def __init__(self, program: LoadedObject, files: DebugFiles) -> None:
        self.objects: list[LoadedObject] = [program]
        self._files = files

    @property
    def program(self) -> LoadedObject:
        return self.objects[0]

    def libraries(self) -> list[LoadedObject]:
        return [obj for obj in self.objects if not obj.is_program]

    def object_at(self, address: int) -> LoadedObject | None:
        for obj in self.objects:
            if obj.contains(address):
                return obj
        return None

    def bias_of(self, path: str) -> int | None:
        """The load bias of the object loaded from ``path``; None while it is not loaded."""
        for obj in self.objects:
            if obj.path == path:
                return obj.bias
        return None

    def copy(self) -> AddressSpace:
        """The same objects at the same places, for a forked child: from then on each
        process loads and unloads libraries on its own."""
        twin = AddressSpace(self.program, self._files)
        twin.objects = list(self.objects)
        return twin

    def add_loader(self, path: str, base: int) -> Rendezvous | None:
        """Track the dynamic loader mapped at ``base`` (AT_BASE); where to watch it."""
        loader = self._load(path, base)
        if loader is None:
            return None
        notify = loader.info.symbol_address("_dl_debug_state")
        r_debug = loader.info.symbol_address("_r_debug")
        if notify is None or r_debug is None:
            return None
        return Rendezvous(base + notify, base + r_debug)

    def refresh(self, rendezvous: Rendezvous, read_word: ReadWord,
                read_string: ReadString) -> list[LoadedObject] | None:
        """Re-read the loader's list; the newly loaded objects, or None while it is
        mid-change (the loader calls the notification function before and after)."""
        state = read_word(rendezvous.r_debug + R_STATE)
        if state is None or state & 0xFFFFFFFF != RT_CONSISTENT:
            return None
        current: dict[str, int] = {}
        entry = read_word(rendezvous.r_debug + R_MAP)
        for _ in range(MAX_OBJECTS):
            if not entry:
                break
            name_address = read_word(entry + L_NAME)
            bias = read_word(entry + L_ADDR)
            path = read_string(name_address) if name_address else None
            if path and bias is not None and os.path.isfile(path):
                current.setdefault(path, bias)
            entry = read_word(entry + L_NEXT)
        known = {os.path.realpath(obj.path) for obj in self.objects}
        live = {os.path.realpath(path) for path in current}
        self.objects = [
            obj for obj in self.objects
            if obj.is_program or os.path.realpath(obj.path) in live
        ]
        added = []
        for path, bias in current.items():
            if os.path.realpath(path) in known:
                continue
            obj = self._load(path, bias)
            if obj is not None:
                added.append(obj)
        return added

    def _load(self, path: str, bias: int) -> LoadedObject | None:
        info = self._files.library(path)
        if info is None:
            return None
        obj = LoadedObject(path, bias, info)
        self.objects.append(obj)
        return obj
