"""Line and instruction stepping, and running to the end of a frame (gdb's algorithm).

``next``/``step`` single-step while the pc stays in the current line's address range.
A call is never single-stepped through: ``next`` (and ``step`` into code without line
info) puts a temporary internal breakpoint on the return address and continues until it
is reached *by the same frame* (same CFA: a recursive call returns to the same address
from deeper frames first). Leaving the range ends the step at the start of a line-table
row for a different line; landing mid-line (back in a caller) refreshes the range and
goes on, as gdb does. Any other event on the way (a user breakpoint, a signal, the
program ending) ends the command and is reported as it would be after ``continue``.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import dataclass, replace

from deet.debugger.core import Debugger
from deet.debugger.disassembly import MAX_INSTRUCTION, Instruction, decode
from deet.debugger.errors import DebuggerError
from deet.debugger.inspection import record
from deet.debugger.process import Process
from deet.debugger.returns import return_value
from deet.debugger.unwind import FrameState
from deet.engine import MemoryAccessError, StopEvent, StopKind
from deet.results import Finished, Result, RunTillExit, Stepped


@dataclass
class _Frame:
    """What a step compares against: the frame (by CFA) and the function (by entry)."""

    cfa: int | None
    function: int | None


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
        row = process.target.line_row(process.program_address(process.inferior.pc))
        if row is None:
            return self._leave_function_without_lines()
        bias = process.load_bias
        low, high = row.address + bias, self._row_end(row.address) + bias
        line = (row.file, row.line)
        while True:
            event = self._advance(into)
            if event is not None:
                return event
            process = self.process
            pc = process.inferior.pc
            if self.debugger.breakpoint_stops_at(pc):
                return self._breakpoint_event(pc)
            if low <= pc < high:
                continue
            here = process.target.line_row(process.program_address(pc))
            if here is None:
                return None
            if here.address + bias == pc and (here.file, here.line) != line and here.is_stmt:
                return None
            if self._entered_function(pc, into):
                return None
            low, high = here.address + bias, self._row_end(here.address) + bias
            line = (here.file, here.line)
            self._reference.cfa = self._frame().cfa

    def _row_end(self, address: int) -> int:
        following = self.process.target.line_row_end(address)
        return following if following is not None else address + 1

    def _advance(self, into: bool) -> StopEvent | None:
        """Execute one instruction, or a whole call: into it only with ``into`` and only
        when the callee has line info, in which case the pc ends after its prologue."""
        instruction = self._instruction_at(self.process.inferior.pc)
        if instruction is None or not instruction.is_call:
            return self._single_step()
        cfa = self._frame().cfa
        event = self._single_step()
        if event is not None:
            return event
        process = self.process
        callee = process.inferior.pc
        if into and process.target.location_for(process.program_address(callee)):
            body = self._after_prologue(callee)
            return None if body == callee else self._run_to(body, frame_cfa=None)
        return self._run_to(instruction.next_address, frame_cfa=cfa)

    def _entered_function(self, pc: int, into: bool) -> bool:
        """After ``step`` into a function the pc sits after its prologue: stop there."""
        if not into:
            return False
        process = self.process
        function = process.target.function_at(process.program_address(pc))
        if function is None:
            return False
        return self._after_prologue(function.address + process.load_bias) == pc

    def _after_prologue(self, entry: int) -> int:
        process = self.process
        bias = process.load_bias
        return process.target.after_prologue_of(entry - bias) + bias

    def _leave_function_without_lines(self) -> StopEvent | None:
        """gdb: "Single stepping until exit from function X, which has no line number
        information." deet knows no bounds for code outside the program."""
        process = self.process
        function = process.target.function_at(process.program_address(process.inferior.pc))
        caller = process.stack.frame(1) if function is not None else None
        if caller is None:
            raise DebuggerError("Cannot find bounds of current function")
        return self._run_to(caller.pc, frame_cfa=caller.cfa)

    # -- one instruction -------------------------------------------------------------------

    def _instruction(self, over_calls: bool) -> StopEvent | None:
        instruction = self._instruction_at(self.process.inferior.pc)
        if over_calls and instruction is not None and instruction.is_call:
            return self._run_to(instruction.next_address, frame_cfa=self._frame().cfa)
        event = self._single_step()
        pc = self.process.inferior.pc
        if event is None and self.debugger.breakpoint_stops_at(pc):
            return self._breakpoint_event(pc)
        return event

    # -- finish ----------------------------------------------------------------------------

    def finish(self) -> Result:
        """Run until the selected frame returns; show where, and the value it returned."""
        debugger = self.debugger
        stack = debugger.stack
        level = stack.selected
        caller = stack.frame(level + 1)
        if caller is None:
            raise DebuggerError('"finish" not meaningful in the outermost frame.')
        scope = debugger.frame_context(level).scope
        function_type = scope.function.type if scope is not None else None
        debugger.listener(RunTillExit(debugger.frame_line(level)))
        event = self._run_to(caller.pc, frame_cfa=caller.cfa)
        if event is not None:
            return debugger.report(event)
        line = debugger.frame_line(0)
        printed = None
        if function_type is not None:
            value = return_value(function_type.returns, self.process.inferior)
            if value is not None:
                printed = record(debugger, value, debugger.frame_context(0))
        return Finished(line, debugger.sources.source_line(line.location), printed)

    # -- running ---------------------------------------------------------------------------

    def _single_step(self) -> StopEvent | None:
        """One instruction of the selected thread; None when it was executed, else what
        happened first. Stepping onto an int3 is a step like any other: whether a user's
        breakpoint there stops the program is the stepper's question afterwards."""
        def go(_remaining: float | None) -> StopEvent:
            event = self.process.step_instruction()
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
                    and (frame_cfa is None or self._frame().cfa == frame_cfa))

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

    def _frame(self) -> FrameState:
        return self.process.stack.innermost

    def _here(self) -> _Frame:
        process = self.process
        function = process.target.function_at(process.program_address(process.inferior.pc))
        return _Frame(self._frame().cfa, function.address if function else None)

    def _stepped(self, start: _Frame) -> Stepped:
        """gdb prints just the line when the step ends in the frame and function it began
        in, and the frame's description too when it ends anywhere else. deet steps by the
        program's line table alone, so a step that ends outside the program (``next`` out
        of ``main``) ends in code it has no lines for, shown as gdb shows such code."""
        line = self.debugger.frame_line(0)
        found = self.process.lookup(line.pc)
        if found is None or not found[0].is_program:
            line = replace(line, function=None, args=(), location=None, show_address=True)
        here = self._here()
        new_place = here.cfa != start.cfa or here.function != start.function
        return Stepped(line, self.debugger.sources.source_line(line.location), new_place)
