"""One traced process as the debugger sees it: gdb's inferior.

A ``Process`` holds everything that belongs to one process and to no other: the engine's
``Inferior`` (its threads, memory and int3 sites), the program it runs and where that
program and its libraries are loaded, the loader's rendezvous, which breakpoints have
their int3s in its memory, the signal each of its threads is to receive when it resumes,
and the stack of each thread at the current stop. Several exist at once (a fork's two
halves under ``detach-on-fork off``); switching inferiors is choosing which one is
current, and nothing is copied in or out.

Addresses cross between the live process and its ELF files in two places only, both
here: ``lookup`` (a live address to its object and link-time address) and the
``AddressSpace`` bias that ``Breakpoint.places`` adds back.
"""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from dataclasses import dataclass, field

from deet.debugger.breakpoints import Breakpoint
from deet.debugger.files import DebugFiles
from deet.debugger.frames import symbol_at
from deet.debugger.objects import AddressSpace, LoadedObject, Rendezvous
from deet.debugger.stack import Stack
from deet.debugger.symbolize import Place, place_of
from deet.debugger.values import read_c_string
from deet.debuginfo import DebugInfo, DebugInfoError
from deet.debuginfo.cfi import UnwindRow
from deet.engine import AT_BASE, AT_ENTRY, Inferior, MemoryAccessError, StopEvent, StopKind
from deet.results import ThreadTag

# The longest path deet reads from the loader's list of objects.
MAX_PATH = 4096


@dataclass(frozen=True)
class LiveRow:
    """A line-table row of whichever object holds an address, at live addresses: the
    range ``start`` to ``end`` is one line's code there."""

    start: int
    end: int
    file: str
    line: int
    is_stmt: bool


@dataclass(frozen=True)
class InsertFailure:
    """An int3 that could not be written: the breakpoint, and the engine's reason."""

    number: int
    reason: str


@dataclass(frozen=True)
class DummyFrame:
    """A call into the program that stopped before it returned (gdb's dummy frame): the
    int3 at ``entry`` it returns to, the stack pointer it returns with, and the registers
    (and FXSAVE area) to put back then."""

    entry: int
    sp: int
    registers: dict[str, int]
    fp_area: bytes


@dataclass(eq=False)
class Process:
    """``installed``: breakpoint number -> the live addresses where its int3s are in this
    process's memory. ``internal``: int3s deet's own stepping put in, with how many
    steppers want each. ``pending_signals``: thread id -> the signal it stopped with, to
    be delivered (once) when it next resumes. ``last_thread``: the thread the user last
    saw stopped (gdb announces a switch away from it). ``watch_by_stepping``: a
    software watchpoint is set, so ``cont`` single-steps. ``dummies``: abandoned calls
    into the program, innermost last."""

    number: int
    inferior: Inferior
    target: DebugInfo
    space: AddressSpace
    rendezvous: Rendezvous | None = None
    installed: dict[int, set[int]] = field(default_factory=dict)
    internal: Counter[int] = field(default_factory=Counter)
    pending_signals: dict[int, int] = field(default_factory=dict)
    last_thread: int | None = None
    watch_by_stepping: bool = False
    dummies: list[DummyFrame] = field(default_factory=list)
    _stacks: dict[int, Stack] = field(default_factory=dict)
    _places: dict[tuple[int, str, int], Place] = field(default_factory=dict)

    @classmethod
    def at_exec(cls, number: int, inferior: Inferior, target: DebugInfo,
                libraries: DebugFiles) -> Process:
        """A process stopped at its exec, before any of its code has run."""
        auxv = inferior.auxv()
        process = cls(number, inferior, target, _program_space(auxv, target, libraries))
        process.last_thread = inferior.pid
        process.watch_loader(auxv)
        return process

    @classmethod
    def attached(cls, number: int, inferior: Inferior, target: DebugInfo,
                 libraries: DebugFiles) -> Process:
        """A process ``attach`` stopped wherever it was: its libraries are loaded
        already, so the loader's list is read at once."""
        auxv = inferior.auxv()
        process = cls(number, inferior, target, _program_space(auxv, target, libraries))
        process.last_thread = inferior.pid
        process.watch_loader(auxv)
        if process.rendezvous is not None:
            process.refresh_objects()
        return process

    @classmethod
    def from_core(cls, number: int, inferior: Inferior, target: DebugInfo,
                  libraries: DebugFiles) -> Process:
        """The process a core file holds (``debugger/postmortem.py``): the loader's list
        is read from the core's memory; nothing is ever installed."""
        auxv = inferior.auxv()
        process = cls(number, inferior, target, _program_space(auxv, target, libraries))
        process.last_thread = inferior.thread.tid
        interpreter, base = target.interpreter, auxv.get(AT_BASE)
        if interpreter and base:
            process.rendezvous = process.space.add_loader(interpreter, base)
            if process.rendezvous is not None:
                process.refresh_objects()
        return process

    def forked(self, number: int, child: Inferior) -> Process:
        """The child of a fork: the same program at the same places, with copies of this
        process's int3s in its memory."""
        return Process(number, child, self.target, self.space.copy(), self.rendezvous,
                       {n: set(addresses) for n, addresses in self.installed.items()},
                       Counter(self.internal), last_thread=child.pid)

    def execed(self, target: DebugInfo, libraries: DebugFiles) -> None:
        """The process ran ``execve``: a new program, a new image, no int3s of deet's."""
        auxv = self.inferior.auxv()
        self.target = target
        self.space = _program_space(auxv, target, libraries)
        self.rendezvous = None
        self.installed.clear()
        self.internal.clear()
        self.dummies.clear()
        self._stacks.clear()
        self.watch_loader(auxv)

    @property
    def pid(self) -> int:
        return self.inferior.pid

    @property
    def alive(self) -> bool:
        return self.inferior.alive

    @property
    def load_bias(self) -> int:
        return self.space.program.bias

    # -- addresses -------------------------------------------------------------------------

    def lookup(self, live: int) -> tuple[LoadedObject, int] | None:
        """The object mapped at a live address and the link-time address there."""
        obj = self.space.object_at(live)
        return None if obj is None else (obj, live - obj.bias)

    def program_address(self, live: int) -> int:
        """A live address as the program's debug info numbers it (what frames and
        expressions are looked up by, wherever the pc is)."""
        return live - self.load_bias

    def show_inlined_function_of(self, breakpoint_: Breakpoint, pc: int) -> None:
        """gdb hides calls inlined at the pc at a stop, but not the one a breakpoint the
        program stopped at was set on (``break twice`` stops in ``twice``)."""
        stack = self.stack
        hidden = stack.hidden_names()
        wanted = {code.function for address, code in breakpoint_.places(self.space)
                  if address == pc}
        for index, name in enumerate(hidden):
            if name in wanted:
                stack.show_inlined(index)
                return

    def stopping_thread(self) -> dict:
        """The thread to name in a stop report: only when the program has several."""
        thread = self.inferior.thread
        switched = self.last_thread is not None and thread.tid != self.last_thread
        self.last_thread = thread.tid
        if len(self.inferior.threads()) < 2 and not switched:
            return {}
        return {"thread": ThreadTag(thread.number, thread.tid), "switched": switched}

    def place(self, live: int) -> Place:
        """The code at ``live`` named, once per address and object mapped there: a
        breakpoint in a loop (a condition checked at every hit) names the same pc."""
        obj = self.space.object_at(live)
        key = (live, obj.path, obj.bias) if obj is not None else (live, "", 0)
        place = self._places.get(key)
        if place is None:
            place = self._places[key] = place_of(self.space, live)
        return place

    def symbolic(self, live: int, printing: bool = False) -> str | None:
        """The symbol ``live`` is in, with the offset (``__GI___libc_malloc+410``), in
        whichever object is mapped there (``printing``: as ``print`` names it)."""
        found = self.lookup(live)
        if found is None:
            return None
        obj, link = found
        try:
            return symbol_at(obj.info, link, printing)
        except DebugInfoError:
            return None

    def unwind_row(self, live: int) -> UnwindRow | None:
        found = self.lookup(live)
        if found is None:
            return None
        obj, link = found
        try:
            return obj.info.unwind_row(link)
        except DebugInfoError:
            return None

    def line_at(self, live: int) -> LiveRow | None:
        """The line-table row at ``live`` in the object mapped there (the program or a
        library with debug info), or None where no line is known."""
        found = self.lookup(live)
        if found is None or not found[0].info.has_debug_info:
            return None
        obj, link = found
        try:
            row = obj.info.line_row(link)
            end = obj.info.line_row_end(row.address) if row is not None else None
        except DebugInfoError:
            return None
        if row is None:
            return None
        end = end if end is not None else row.address + 1
        return LiveRow(row.address + obj.bias, end + obj.bias, row.file, row.line, row.is_stmt)

    def function_at(self, live: int) -> tuple[str, int] | None:
        """The name and live entry of the function (symbol) holding ``live``, in any
        object."""
        found = self.lookup(live)
        if found is None:
            return None
        obj, link = found
        symbol = obj.info.function_at(link)
        return None if symbol is None else (symbol.name, symbol.address + obj.bias)

    def plt_target(self, live: int) -> int | None:
        """Where the PLT stub at ``live`` (``printf@plt``) leads: the function of that name
        in the first other object that defines it, as the dynamic loader binds it (gdb
        steps through such trampolines). None for anything else."""
        found = self.function_at(live)
        if found is None or not found[0].endswith("@plt"):
            return None
        name = found[0].removesuffix("@plt")
        home = self.space.object_at(live)
        for obj in self.space.objects:
            if obj is home:
                continue
            try:
                defined = [s for s in obj.info.symbols.named(name) if s.name == name]
            except DebugInfoError:
                continue
            if defined:
                return defined[0].address + obj.bias
        return None

    def after_prologue(self, entry: int) -> int:
        """Where ``step`` into the function at live ``entry`` stops: after its prologue,
        by the rules of the object it is in."""
        found = self.lookup(entry)
        if found is None:
            return entry
        obj, link = found
        try:
            return obj.info.after_prologue_of(link) + obj.bias
        except DebugInfoError:
            return entry

    def at_line_start(self, live: int) -> bool:
        """Whether ``live`` is where a statement's line-table row begins (gdb then shows
        a frame without its address; on a row that is not a statement it shows it)."""
        row = self.line_at(live)
        return row is not None and row.start == live and row.is_stmt

    def mapped_file(self, live: int) -> str | None:
        """The file mapped at ``live`` (a shared library), for gdb's ``from LIB``."""
        if not self.inferior.live:
            return self.inferior.mapped_file(live)
        try:
            with open(f"/proc/{self.pid}/maps") as maps:
                for entry in maps:
                    fields = entry.split()
                    low, high = (int(part, 16) for part in fields[0].split("-"))
                    if low <= live < high and len(fields) > 5:
                        path = fields[5]
                        return path if os.path.isabs(path) else None
        except OSError:
            return None
        return None

    # -- the stack -------------------------------------------------------------------------

    @property
    def stack(self) -> Stack:
        """The selected thread's stack at this stop, unwound as far as it is asked for."""
        tid = self.inferior.thread.tid
        stack = self._stacks.get(tid)
        if stack is None:
            stack = self._stacks[tid] = Stack(self)
        return stack

    def registers_changed(self) -> None:
        """The selected thread's registers were written (``jump``, ``return``): the
        stacks of this stop no longer hold; they are unwound again when asked for."""
        self._stacks.clear()
    def write_register(self, name: str, number: int) -> None:
        """Sets the selected thread's register (``set $rax = 1``); its stack is unwound
        again from there, the same frame staying selected."""
        self.inferior.registers[name] = number
        selected = self.stack.selected
        self._stacks.pop(self.inferior.thread.tid, None)
        self.stack.selected = selected

    def pop_dummy(self, event: StopEvent) -> bool:
        """Whether ``event`` is an abandoned call's function returning to its int3; if so
        the registers from before the call are back (gdb pops its dummy frame there)."""
        if event.kind is not StopKind.BREAKPOINT or not self.dummies:
            return False
        top = self.dummies[-1]
        if event.pc != top.entry or self.inferior.registers["rsp"] != top.sp:
            return False
        self.dummies.pop()
        for name, number in top.registers.items():
            self.inferior.registers[name] = number
        self.inferior.set_fp_area(top.fp_area)
        self.remove_internal(top.entry)
        self._stacks.clear()
        return True

    # -- running ---------------------------------------------------------------------------

    def cont(self, timeout: float | None) -> StopEvent:
        """Resume every thread, the selected one with its pending signal. While a software
        watchpoint is set (``watch_by_stepping``), one instruction at a time, as gdb does;
        the stop loop compares after each and covers them all with one time limit."""
        self._stacks.clear()
        if self.watch_by_stepping:
            return self._watch_step(timeout)
        return self.inferior.cont(self.take_pending_signal(), timeout=timeout)

    def _watch_step(self, timeout: float | None) -> StopEvent:
        """One instruction for a software watchpoint: a WATCH event, or a BREAKPOINT one
        when it lands on an int3 (whose instruction is then not run yet)."""
        event = self.inferior.step_instruction(self.take_pending_signal(), timeout)
        if event.kind is StopKind.STEP:
            kind = StopKind.BREAKPOINT if self.inferior.pc in self.inferior.sites else (
                StopKind.WATCH)
            return dataclasses.replace(event, kind=kind)
        return event

    def step_instruction(self, timeout: float | None = None) -> StopEvent:
        """One instruction of the selected thread, with its pending signal; ``timeout``
        bounds a step blocked in a system call."""
        self._stacks.clear()
        return self.inferior.step_instruction(self.take_pending_signal(), timeout=timeout)

    def take_pending_signal(self) -> int:
        """The signal the selected thread stopped with, for its next resume (once)."""
        return self.pending_signals.pop(self.inferior.thread.tid, 0)

    def hold_signal(self, event: StopEvent, signum: int) -> None:
        """Deliver ``signum`` to the thread that reported ``event`` when it resumes."""
        self.pending_signals[event.tid or self.pid] = signum

    # -- breakpoint sites ------------------------------------------------------------------

    def install(self, breakpoint_: Breakpoint) -> list[InsertFailure]:
        """Put an enabled breakpoint's int3s into this process; those that could not be
        written are left out and returned."""
        if not breakpoint_.enabled:
            return []
        have = self.installed.setdefault(breakpoint_.number, set())
        failures = []
        for address in breakpoint_.addresses(self.space):
            if address in have:
                continue
            try:
                self.inferior.sites.add(address)
            except MemoryAccessError as exc:
                failures.append(InsertFailure(breakpoint_.number, str(exc)))
                continue
            have.add(address)
        return failures

    def uninstall(self, number: int) -> None:
        for address in self.installed.pop(number, set()):
            self.inferior.sites.remove(address)

    def breakpoints_at(self, pc: int) -> set[int]:
        """The numbers of the breakpoints with an int3 at ``pc`` in this process."""
        return {number for number, addresses in self.installed.items() if pc in addresses}

    def add_internal(self, address: int) -> None:
        self.inferior.sites.add(address)
        self.internal[address] += 1

    def remove_internal(self, address: int) -> None:
        """Take out one of deet's own int3s, if this process still has it (an exec took
        them all away)."""
        if self.internal[address] > 0 and self.alive:
            self.internal[address] -= 1
            self.inferior.sites.remove(address)

    # -- the loader ------------------------------------------------------------------------

    def watch_loader(self, auxv: dict[int, int]) -> None:
        """At the exec stop: find the dynamic loader (AT_BASE) and put deet's int3 on its
        notification function, if the program has one."""
        interpreter = self.target.interpreter
        base = auxv.get(AT_BASE)
        if not interpreter or not base:
            return
        self.rendezvous = self.space.add_loader(interpreter, base)
        if self.rendezvous is None:
            return
        try:
            self.inferior.sites.add(self.rendezvous.breakpoint)
        except MemoryAccessError:
            self.rendezvous = None

    def is_loader_notification(self, event: StopEvent) -> bool:
        return (event.kind is StopKind.BREAKPOINT and self.rendezvous is not None
                and event.pc == self.rendezvous.breakpoint
                and not self.breakpoints_at(event.pc))

    def refresh_objects(self) -> list[LoadedObject]:
        """Re-read the loader's list; the objects loaded since the last time."""
        assert self.rendezvous is not None
        return self.space.refresh(self.rendezvous, self.read_word, self.read_path) or []

    def read_word(self, address: int) -> int | None:
        try:
            return self.inferior.memory.read_word(address)
        except MemoryAccessError:
            return None

    def read_path(self, address: int) -> str | None:
        found = read_c_string(address, self.inferior.memory.read, MAX_PATH)
        if found.error is not None or found.truncated:
            return None
        return found.data.decode(errors="replace")


def _program_space(auxv: dict[int, int], target: DebugInfo,
                   libraries: DebugFiles) -> AddressSpace:
    """Where the program is loaded, from the kernel's auxiliary vector (a PIE's bias is
    where AT_ENTRY is against the ELF's entry point)."""
    bias = 0
    if target.is_pie and AT_ENTRY in auxv:
        bias = auxv[AT_ENTRY] - target.entry
    program = LoadedObject(str(target.path), bias, target, is_program=True)
    return AddressSpace(program, libraries)

