"""Line and instruction stepping, and running to the end of a frame (gdb's algorithm).

``next``/``step`` single-step while the pc stays in the current line's address range.
A call is never single-stepped through: ``next`` (and ``step`` into code without line
info) puts a temporary internal breakpoint on the return address and continues until it
is reached *by the same frame* (same CFA: a recursive call returns to the same address
from deeper frames first). Leaving the range ends the step at the start of a line-table
row for a different line; landing mid-line (back in a caller) refreshes the range and
goes on, as gdb does. Lines are those of whichever object the pc is in, so a step out of
``main`` goes on in libc's code when libc's debug info is there.

Inlined calls are frames of their own, and stepping treats entering one as gdb does
(infrun's "calls to inlined functions"): ``next`` steps through an inlined body as
through a call, ``step`` stops in it, at its first line, without running when the pc is
already at its start. ``finish`` out of an inlined frame steps until the code of the
call is left. Any other event on the way (a user breakpoint, a signal, the program
ending) ends the command and is reported as it would be after ``continue``.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import dataclass

from deet.debugger.core import Debugger
from deet.debugger.disassembly import MAX_INSTRUCTION, Instruction, decode
from deet.debugger.errors import DebuggerError
from deet.debugger.inspection import record
from deet.debugger.process import Process
from deet.debugger.returns import return_value
from deet.debugger.stack import StackFrame
from deet.debuginfo.types import without_typedefs
from deet.engine import MemoryAccessError, StopEvent, StopKind
from deet.results import Finished, Result, RunTillExit, Stepped

FrameKey = tuple[int | None, int | None, int]


@dataclass
class _Frame:
    """What a step's end is compared with to decide how it is shown: the frame it
    began in (gdb's frame id, refreshed when the step lands mid-line elsewhere) and the
    out-of-line function (by entry)."""

    key: FrameKey | None
    function: int | None


@dataclass
class StepRange:
    """The line being stepped: its code range, the line itself (None: none yet, as for
    ``finish`` out of an inlined call) and the frame stepping in it."""

    low: int
    high: int
    line: tuple[str, int] | None
    frame: FrameKey


class Stepper:
    def __init__(self, debugger: Debugger) -> None:
        self.debugger = debugger
        debugger.require_stopped()
        self._reference = _Frame(None, None)

    @property
    def process(self) -> Process:
        """The process the step goes on in (under ``follow-fork-mode child``, a fork on
        the way makes it the child)."""
        return self.debugger.require_stopped()

    # -- what the commands call ------------------------------------------------------------

    def step_lines(self, count: int, into: bool) -> Result:
        return self._repeat(count, lambda: self._line(into))

    def step_instructions(self, count: int, over_calls: bool) -> Result:
        return self._repeat(count, lambda: self._instruction(over_calls))

    def _repeat(self, count: int, once: Callable[[], StopEvent | None]) -> Result:
        """gdb compares each step's end with where that step (not the command) began."""
        for _ in range(count):
            self._reference = self._here()
            event = once()
            if event is not None:
                return self.debugger.report(event)
        return self._stepped(self._reference)

    # -- one line --------------------------------------------------------------------------

    def _line(self, into: bool) -> StopEvent | None:
        """One ``next``/``step``; None when it ended normally, else the event that ended it."""
        process = self.process
        stack = process.stack
        if into and stack.hidden:
            # At the start of an inlined call, ``step`` is "down": into the call, with
            # nothing run.
            stack.show_inlined(stack.hidden - 1)
            return None
        pc = process.inferior.pc
        row = process.line_at(pc)
        if row is None:
            return self._leave_function_without_lines()
        here = stack.frame(0)
        assert here is not None
        location = here.location
        line = (location.file, location.line) if location is not None else None
        return self._step(StepRange(row.start, row.end, line, here.key), into)

    def _step(self, step: StepRange, into: bool) -> StopEvent | None:
        """Single-step (over calls) until the program reaches the start of another line
        in the frame ``step`` began in, or leaves it for code without lines."""
        while True:
            event = self._advance(into)
            if event is not None:
                return event
            process = self.process
            pc = process.inferior.pc
            if self.debugger.breakpoint_stops_at(pc):
                return self._breakpoint_event(pc)
            if step.low <= pc < step.high:
                continue
            stack = process.stack
            frame = stack.frame(0)
            assert frame is not None
            if frame.key == step.frame and stack.hidden:
                # At the start of an inlined call made in this frame: stepping over it
                # if its call is on the line being stepped, else the step ends at it.
                site = frame.location
                if site is None or (site.file, site.line) != step.line:
                    return None
                if into:
                    stack.show_inlined(stack.hidden - 1)
                    return None
                continue
            if frame.inlined and self._stepped_in_from(frame, step.frame):
                # Inside a call inlined in the frame being stepped: ``next`` goes on
                # through it, ``step`` stops in it.
                if into:
                    return None
                continue
            row = process.line_at(pc)
            if row is None:
                return None
            line: tuple[str, int] | None = (row.file, row.line)
            refresh = True
            if row.start == pc and line != step.line:
                if row.is_stmt:
                    return None
                if frame.key == step.frame:
                    # Not a statement, and the same frame: step through its range, but
                    # as the line being stepped (gdb's refresh_step_info false).
                    refresh = False
                else:
                    # Not a statement, in another frame: go on, but stop at the next
                    # line start, whatever its line (gdb forgets the line here).
                    line = None
            if self._entered_function(pc, into):
                return None
            step.low, step.high = row.start, row.end
            if refresh:
                step.line, step.frame = line, frame.key
                self._reference.key = frame.key

    def _stepped_in_from(self, frame: StackFrame, key: FrameKey) -> bool:
        """Whether frame 0 (an inlined call's) was reached from the frame ``key`` through
        calls inlined in it (gdb's stepped_in_from)."""
        stack = self.process.stack
        level = 1
        while (outer := stack.frame(level)) is not None:
            if outer.key == key:
                return True
            if not outer.inlined:
                return False
            level += 1
        return False

    def _advance(self, into: bool) -> StopEvent | None:
        """Execute one instruction, or a whole call: into it only with ``into`` and only
        when the callee has line info, in which case the pc ends after its prologue."""
        instruction = self._instruction_at(self.process.inferior.pc)
        if instruction is None or not instruction.is_call:
            return self._single_step()
        cfa = self._frame_cfa()
        event = self._single_step()
        if event is not None:
            return event
        process = self.process
        callee = process.inferior.pc
        if self.debugger.breakpoint_stops_at(callee):
            # A breakpoint on the callee's first instruction (``break *ADDR``; an
            # optimised function's ``break FUNC``) stops the step there, as in gdb.
            return self._breakpoint_event(callee)
        if into and process.line_at(callee) is None:
            # A call through the PLT: step through the trampoline (and the dynamic
            # loader's lazy binding) to the function, when that has lines.
            target = process.plt_target(callee)
            if target is not None and process.line_at(target) is not None:
                event = self._run_to(target, frame_cfa=self._frame_cfa())
                if event is not None:
                    return event
                callee = target
        if into and process.line_at(callee) is not None:
            body = process.after_prologue(callee)
            return None if body == callee else self._run_to(body, frame_cfa=None)
        return self._run_to(instruction.next_address, frame_cfa=cfa)

    def _entered_function(self, pc: int, into: bool) -> bool:
        """After ``step`` into a function the pc sits after its prologue: stop there."""
        if not into:
            return False
        process = self.process
        function = process.function_at(pc)
        return function is not None and process.after_prologue(function[1]) == pc

    def _leave_function_without_lines(self) -> StopEvent | None:
        """gdb: "Single stepping until exit from function X, which has no line number
        information": run to the caller; with no function known, nothing can be done."""
        process = self.process
        caller = process.stack.physical(1) if process.function_at(process.inferior.pc) else None
        if caller is None:
            raise DebuggerError("Cannot find bounds of current function")
        return self._run_to(caller.pc, frame_cfa=caller.cfa)

    # -- one instruction -------------------------------------------------------------------

    def _instruction(self, over_calls: bool) -> StopEvent | None:
        instruction = self._instruction_at(self.process.inferior.pc)
        if over_calls and instruction is not None and instruction.is_call:
            return self._run_to(instruction.next_address, frame_cfa=self._frame_cfa())
        event = self._single_step()
        if event is not None:  # it ended otherwise: the program may be gone
            return event
        pc = self.process.inferior.pc
        if self.debugger.breakpoint_stops_at(pc):
            return self._breakpoint_event(pc)
        return None

    # -- finish ----------------------------------------------------------------------------

    def finish(self) -> Result:
        """Run until the selected frame returns; show where, and the value it returned.
        An inlined call returns nothing to show: its code is stepped out of."""
        debugger = self.debugger
        stack = debugger.stack
        level = stack.selected
        frame = stack.current
        caller = stack.frame(level + 1)
        if caller is None:
            raise DebuggerError('"finish" not meaningful in the outermost frame.')
        scope = debugger.frame_context(level).scope
        function_type = scope.subprogram.type if scope is not None else None
        debugger.listener(RunTillExit(debugger.frame_line(level)))
        if frame.inlined:
            pc = self.process.inferior.pc
            event = self._step(StepRange(pc, pc, None, caller.key), into=False)
        else:
            event = self._run_to(caller.pc, frame_cfa=caller.state.cfa)
        if event is not None:
            return debugger.report(event)
        line = debugger.frame_line(0)
        printed = None
        if function_type is not None and not frame.inlined:
            # gdb shows the value as of the type the declared one names (``struct _expr *``
            # for ``expr_ty``).
            value = return_value(without_typedefs(function_type.returns), self.process.inferior)
            if value is not None:
                printed = record(debugger, value, debugger.frame_context(0))
        return Finished(line, debugger.sources.source_line(line.location), printed)

    # -- running ---------------------------------------------------------------------------

    def _single_step(self) -> StopEvent | None:
        """One instruction of the selected thread; None when it was executed, else what
        happened first. Stepping onto an int3 is a step like any other: whether a user's
        breakpoint there stops the program is the stepper's question afterwards."""
        def go(remaining: float | None) -> StopEvent:
            event = self.process.step_instruction(remaining)
            if event.kind is StopKind.BREAKPOINT:
                return StopEvent(StopKind.STEP, event.pid, signal=event.signal, pc=event.pc,
                                 tid=event.tid)
            return event

        return self.debugger.run_until(go, lambda event: event.kind is StopKind.STEP)

    def _run_to(self, address: int, frame_cfa: int | None) -> StopEvent | None:
        """Continue to ``address`` (in the frame whose CFA is ``frame_cfa``, when given)
        with an internal breakpoint there; None on arrival, else what happened first."""
        try:
            self.process.add_internal(address)
        except MemoryAccessError as exc:
            raise DebuggerError(str(exc)) from exc

        def arrived(event: StopEvent) -> bool:
            return (event.kind is StopKind.BREAKPOINT and event.pc == address
                    and (frame_cfa is None or self._frame_cfa() == frame_cfa))

        try:
            return self.debugger.run_until(lambda remaining: self.process.cont(remaining),
                                           arrived)
        finally:
            # A fork on the way copied the int3 into the child; an exec took it away.
            for process in self.debugger.processes:
                process.remove_internal(address)

    def _breakpoint_event(self, pc: int) -> StopEvent:
        process = self.process
        return StopEvent(StopKind.BREAKPOINT, process.pid, signal=signal.SIGTRAP, pc=pc,
                         tid=process.inferior.thread.tid)

    def _instruction_at(self, pc: int) -> Instruction | None:
        try:
            code = self.process.inferior.read(pc, MAX_INSTRUCTION)
        except MemoryAccessError:
            return None
        found = decode(code, pc, limit=1)
        return found[0] if found else None

    def _frame_cfa(self) -> int | None:
        return self.process.stack.innermost.cfa

    def _here(self) -> _Frame:
        process = self.process
        frame = process.stack.frame(0)
        function = process.function_at(process.inferior.pc)
        return _Frame(frame.key if frame is not None else None,
                      function[1] if function else None)

    def _stepped(self, start: _Frame, always_place: bool = False) -> Stepped:
        """gdb prints just the line when the step ends in the frame and function it began
        in, and the frame's description too when it ends anywhere else (or, with
        ``always_place``, always: a stop at a momentary breakpoint is not a step's end)."""
        line = self.debugger.frame_line(0)
        here = self._here()
        new_place = (always_place or here.key != start.key
                     or here.function != start.function)
        return Stepped(line, self.debugger.sources.source_line(line.location), new_place)
