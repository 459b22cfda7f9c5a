"""Watchpoints: ``watch``, ``rwatch``, ``awatch`` (gdb's semantics and words).

An expression is watched where it reads memory: while it is evaluated once, at ``watch``,
the variables and memory it reads are noted, and those bytes go into the x86 debug
registers (``engine/debugregs.py``) in aligned pieces of 1, 2, 4 or 8 bytes. When one
fires, the expression is evaluated again and compared with the value kept: a write
watchpoint stops only on a change, a read one only when nothing changed (x86 catches
reads and writes together, as in gdb), an access one either way. Where the registers run
out, or the value lives in a register, a write watchpoint is done in software: the
program is single-stepped (``Process.cont``) and compared after every instruction.

A watchpoint whose expression uses a frame's locals is evaluated in that frame and ends
when the frame returns: deet's internal breakpoint on the caller's resume address sees the
frame gone, deletes the watchpoint and stops there, as gdb does.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterator
from dataclasses import dataclass

from deet.debugger.cexpr import EvalError, evaluate
from deet.debugger.core import Debugger
from deet.debugger.errors import DebuggerError
from deet.debugger.frames import FrameContext
from deet.debugger.process import Process
from deet.debugger.recorder import Recorder, evaluate_noting
from deet.debugger.values import Value, to_float, to_int
from deet.debuginfo.types import is_float
from deet.engine import (
    SLOTS,
    Access,
    EngineError,
    MemoryAccessError,
    Slot,
    StopEvent,
    StopKind,
    aligned_pieces,
)
from deet.results import (
    Result,
    WatchHit,
    WatchpointRow,
    WatchpointSet,
    WatchpointStopped,
)
from deet.results.shown import Shown

# How many frames out a watched local's frame is looked for at a stop.
MAX_FRAME_SEARCH = 256


class Kind(enum.Enum):
    """The command that made the watchpoint; ``info breakpoints`` names them gdb's way."""

    WRITE = "watch"
    READ = "rwatch"
    ACCESS = "awatch"


@dataclass
class Watchpoint:
    """``expression``: as shown (``-location table[4]`` for ``watch -l``); ``located``: the
    object ``watch -l`` fixed (type and address), else the expression is evaluated again;
    ``ranges``: the memory it reads; ``frame``: the CFA of the frame whose locals it uses
    (None: globals only) and ``scope_pc`` that frame's resume address in its caller;
    ``mask``: the debug registers it holds in ``process``; ``software_only``: its value is
    not in memory (a register), so no debug register can watch it."""

    number: int
    kind: Kind
    expression: str
    source: str
    located: Value | None
    ranges: tuple[tuple[int, int], ...]
    hardware: bool
    frame: int | None
    scope_pc: int | None
    process: Process
    old: Value
    old_shown: Shown
    enabled: bool = True
    condition: str | None = None
    hits: int = 0
    mask: int = 0
    # A software watchpoint's bytes when it was last evaluated.
    memory: tuple[bytes, ...] | None = None
    software_only: bool = False


def _merged(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The byte ranges, overlapping and adjacent ones joined."""
    joined: list[list[int]] = []
    for start, size in sorted(ranges):
        if joined and start <= joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], start + size)
        else:
            joined.append([start, start + size])
    return tuple((start, end - start) for start, end in joined)


def _what_to_watch(text: str, context: FrameContext, located: bool
                   ) -> tuple[Value, tuple[tuple[int, int], ...], bool, bool]:
    """EXPR's value now, the memory to watch, whether only software can watch it, and
    whether it uses the frame's locals."""
    recorder = Recorder(context)
    value = evaluate_noting(text, recorder)
    if located:
        if value.address is None:
            raise DebuggerError(f"Cannot watch constant value `{text}'.")
        return value, ((value.address, len(value.data or b"")),), False, False
    ranges = _merged(recorder.ranges)
    software_only = recorder.in_registers
    if not ranges and not software_only:
        if not recorder.variables:
            raise DebuggerError(f"Cannot watch constant value `{text}'.")
        # A variable the compiler keeps nowhere in memory here (a constant at this pc, a
        # value in pieces): only stepping and comparing can watch it.
        software_only = True
    return value, ranges, software_only, recorder.local


def _bytes_of(watch: Watchpoint) -> tuple[bytes, ...] | None:
    """The memory a watchpoint reads, as it is now (None where it cannot be read)."""
    read = watch.process.inferior.read
    try:
        return tuple(read(address, size) for address, size in watch.ranges)
    except MemoryAccessError:
        return None


def _check_condition(condition: str, context: FrameContext) -> None:
    """gdb rejects a condition that names nothing (``No symbol "n" in current context.``)
    when the watchpoint is set; memory it cannot read yet is no reason to."""
    recorder = Recorder(context)
    try:
        evaluate(condition, recorder)
    except EvalError:
        if not recorder.memory_error:
            raise


def _pieces(watch: Watchpoint) -> list[tuple[int, int]]:
    return [piece for start, size in watch.ranges for piece in aligned_pieces(start, size)]


class Watchpoints:
    """The session's watchpoints, numbered with its breakpoints."""

    def __init__(self, debugger: Debugger) -> None:
        self.debugger = debugger
        self.table: dict[int, Watchpoint] = {}
        self._hits: list[WatchHit] = []
        self._left: list[int] = []
        # The instruction that fired a watchpoint left the pc on a user's breakpoint that
        # stops: gdb then reports the breakpoint (and counts both).
        self._at_breakpoint = False

    def __iter__(self) -> Iterator[Watchpoint]:
        return iter(list(self.table.values()))

    def __contains__(self, number: int) -> bool:
        return number in self.table

    # -- setting ---------------------------------------------------------------------------

    def add(self, text: str, kind: Kind, located: bool,
            condition: str | None) -> WatchpointSet:
        debugger = self.debugger
        process = debugger.require_stopped()
        context = debugger.frame_context()
        value, ranges, software_only, local = _what_to_watch(text, context, located)
        if condition is not None:
            _check_condition(condition, context)
        frame, scope_pc = self._watched_frame(process) if local else (None, None)
        watch = Watchpoint(
            number=-1, kind=kind,
            expression=f"-location {text}" if located else text, source=text,
            located=value if located else None, ranges=ranges, hardware=not software_only,
            frame=frame, scope_pc=scope_pc, process=process, old=value,
            old_shown=context.shown(value), condition=condition, software_only=software_only)
        if debugger.settings.get("can-use-hw-watchpoints") == "0":
            if kind is not Kind.WRITE:
                raise DebuggerError("Can't set read/access watchpoint when hardware "
                                    "watchpoints are disabled.")
            watch.hardware = False
        if watch.hardware and len(_pieces(watch)) + self._slots_used(process) > SLOTS:
            watch.hardware = False
        if not watch.hardware and kind is not Kind.WRITE:
            raise DebuggerError("Expression cannot be implemented with read/access "
                                "watchpoint.")
        if scope_pc is not None:
            try:
                process.add_internal(scope_pc)
            except MemoryAccessError as exc:
                raise DebuggerError(str(exc)) from exc
        watch.number = debugger.breakpoints.new_number()
        self.table[watch.number] = watch
        self._install(process)
        return WatchpointSet(watch.number, kind.value, watch.hardware, watch.expression)

    @staticmethod
    def _watched_frame(process: Process) -> tuple[int | None, int | None]:
        """The selected frame's CFA and its resume address in its caller (None in the
        outermost frame: the watchpoint then lasts as long as the program)."""
        stack = process.stack
        here = stack.frame(stack.selected)
        caller = stack.frame(stack.selected + 1)
        assert here is not None
        return here.state.cfa, caller.pc if caller is not None else None

    def _slots_used(self, process: Process) -> int:
        return sum(len(_pieces(w)) for w in self.table.values()
                   if w.enabled and w.hardware and w.process is process)

    def _install(self, process: Process) -> None:
        """Give the enabled hardware watchpoints of ``process`` their debug registers,
        and single-step it while a software one is enabled."""
        slots: list[Slot] = []
        for watch in self.table.values():
            watch.mask = 0
            if watch.process is not process or not watch.enabled or not watch.hardware:
                continue
            access = Access.WRITE if watch.kind is Kind.WRITE else Access.READ_WRITE
            for address, length in _pieces(watch):
                watch.mask |= 1 << len(slots)
                slots.append(Slot(address, length, access))
        process.watch_by_stepping = any(
            w.enabled and not w.hardware and w.process is process for w in self.table.values())
        if process.alive:
            try:
                process.inferior.watch(slots)
            except EngineError as exc:
                raise DebuggerError(str(exc)) from exc

    def delete(self, number: int) -> None:
        watch = self.table.pop(number)
        if watch.scope_pc is not None:
            watch.process.remove_internal(watch.scope_pc)
        self._install(watch.process)

    def enable(self, number: int, enabled: bool) -> None:
        """Enabling finds the watchpoint registers again: others may have taken them
        meanwhile, or freed them."""
        watch = self.table[number]
        watch.enabled = False
        if (enabled and not watch.software_only
                and self.debugger.settings.get("can-use-hw-watchpoints") == "1"):
            fits = len(_pieces(watch)) + self._slots_used(watch.process) <= SLOTS
            if not fits and watch.kind is not Kind.WRITE:
                raise DebuggerError(f"Could not insert hardware watchpoint {number}.")
            watch.hardware = fits
        watch.enabled = enabled
        if enabled:
            self._refresh(watch)
        self._install(watch.process)

    def _refresh(self, watch: Watchpoint) -> None:
        """Take the value now as the old one (gdb does when a watchpoint is enabled)."""
        context = self._context(watch) if self.debugger.current is watch.process else None
        if context is None:
            return
        try:
            watch.old = self._value(watch, context)
        except (EvalError, DebuggerError, MemoryAccessError):
            return
        watch.old_shown = context.shown(watch.old)

    def rows(self) -> list[WatchpointRow]:
        return [WatchpointRow(w.number, w.kind.value, w.hardware, w.enabled, w.expression,
                              w.condition, w.hits) for w in self.table.values()]

    def started(self, process: Process) -> None:
        """A new run: watchpoints on locals are gone with their frames; the others watch
        the new process from its first instruction."""
        for watch in list(self.table.values()):
            if watch.frame is not None:
                del self.table[watch.number]
                continue
            watch.process = process
            self._refresh(watch)
        self._install(process)

    # -- at a stop -------------------------------------------------------------------------

    def stops(self, event: StopEvent) -> bool:
        self._hits, self._left = [], []
        process = self.debugger.current
        if not self.table or process is None or not event.alive:
            return False
        for watch in sorted(self.table.values(), key=lambda w: w.number):
            if watch.process is not process or not watch.enabled:
                continue
            if (event.kind is StopKind.BREAKPOINT and event.pc == watch.scope_pc
                    and self._left_scope(watch, process)):
                continue
            if watch.hardware:
                fired = bool(event.watch & watch.mask)
            else:
                fired = event.kind in (StopKind.WATCH, StopKind.STEP, StopKind.BREAKPOINT)
            if fired:
                self._check(watch)
        self._at_breakpoint = bool(
            self._hits and event.kind is not StopKind.BREAKPOINT and event.pc is not None
            and process.breakpoints_at(event.pc)
            and self.debugger.breakpoint_stops_at(event.pc))
        return bool(self._hits or self._left)

    def _left_scope(self, watch: Watchpoint, process: Process) -> bool:
        """At the resume address of the watched frame's caller: whether that frame is
        gone (a recursive call's deeper copy returns there too); if so, delete it."""
        if watch.frame is None or process.stack.innermost.cfa is None:
            return False
        if process.stack.innermost.cfa <= watch.frame:
            return False
        self._left.append(watch.number)
        self.delete(watch.number)
        return True

    def _check(self, watch: Watchpoint) -> None:
        if not watch.hardware and not watch.software_only:
            # A software watchpoint on memory: after most single steps none of its bytes
            # changed, and reading them is much cheaper than evaluating the expression.
            memory = _bytes_of(watch)
            if memory is not None and memory == watch.memory:
                return
        context = self._context(watch)
        if context is None:
            return
        try:
            new = self._value(watch, context)
            if watch.located is None and not watch.software_only:
                self._follow(watch, context)
        except (EvalError, DebuggerError, MemoryAccessError):
            return
        if not watch.hardware:
            watch.memory = _bytes_of(watch)
        changed = new.data != watch.old.data
        if (watch.kind is Kind.WRITE and not changed) or (watch.kind is Kind.READ and changed):
            if changed:
                watch.old, watch.old_shown = new, context.shown(new)
            return
        shown = context.shown(new)
        old = watch.old_shown if changed else None
        watch.old, watch.old_shown = new, shown
        if not self._condition_holds(watch, context):
            return
        watch.hits += 1
        self._hits.append(WatchHit(watch.number, watch.kind.value, watch.hardware,
                                   watch.expression, old, shown))

    def _follow(self, watch: Watchpoint, context: FrameContext) -> None:
        """A pointer on the way changed (``head->next``): watch where the expression reads
        now, as gdb re-inserts a watchpoint when its value chain moves; in software when
        that no longer fits in the registers."""
        recorder = Recorder(context)
        evaluate_noting(watch.source, recorder)
        ranges = _merged(recorder.ranges)
        if ranges == watch.ranges or not ranges:
            return
        others = self._slots_used(watch.process) - len(_pieces(watch))
        watch.ranges = ranges
        if not watch.hardware:
            return
        if len(_pieces(watch)) + others > SLOTS:
            if watch.kind is not Kind.WRITE:
                return
            watch.hardware = False
        self._install(watch.process)

    def _context(self, watch: Watchpoint) -> FrameContext | None:
        """The frame the expression is evaluated in: the watched locals' frame (None if
        it is not on the stack), or frame 0."""
        debugger = self.debugger
        if watch.frame is None:
            return debugger.frame_context(0)
        stack = debugger.stack
        for level in range(MAX_FRAME_SEARCH):
            frame = stack.frame(level)
            if frame is None:
                return None
            if frame.state.cfa == watch.frame and not frame.inlined:
                return debugger.frame_context(level)
        return None

    @staticmethod
    def _value(watch: Watchpoint, context: FrameContext) -> Value:
        if watch.located is not None:
            located = watch.located
            assert located.address is not None
            return Value(located.type, context.read(located.address,
                                                    len(located.data or b"")),
                         located.address)
        return evaluate(watch.source, context)

    def _condition_holds(self, watch: Watchpoint, context: FrameContext) -> bool:
        """gdb stops where the condition fails to evaluate, too."""
        if watch.condition is None:
            return True
        try:
            value = evaluate(watch.condition, context)
            return to_int(value) != 0 if not is_float(value.type) else to_float(value) != 0
        except (EvalError, DebuggerError):
            return True

    def report(self, event: StopEvent) -> Result | None:
        if not (self._hits or self._left):
            return None
        debugger = self.debugger
        if self._at_breakpoint:
            self._hits, self._at_breakpoint = [], False
            return debugger.report(dataclasses.replace(event, kind=StopKind.BREAKPOINT))
        process = debugger.require_stopped()
        line = debugger.frame_line(0)
        result = WatchpointStopped(tuple(self._hits), tuple(self._left), event.pc or 0, line,
                                   debugger.sources.source_line(line.location),
                                   **process.stopping_thread())
        self._hits, self._left = [], []
        return result


def watchpoints_of(debugger: Debugger) -> Watchpoints:
    """The session's watchpoints, made when first asked for."""
    if not isinstance(debugger.watcher, Watchpoints):
        debugger.watcher = Watchpoints(debugger)
    return debugger.watcher
