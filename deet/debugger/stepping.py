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
from dataclasses import dataclass

from deet.debugger import forks
from deet.debugger.core import Debugger, DebuggerError
from deet.debugger.disassembly import MAX_INSTRUCTION, Instruction, decode
from deet.debugger.inspection import frame_line, record, source_line
from deet.debugger.returns import return_value
from deet.debugger.unwind import FrameState
from deet.engine import EngineError, Inferior, MemoryAccessError, StopEvent, StopKind
from deet.results import Finished, Result, RunTillExit, Stepped


@dataclass
class _Frame:
    """What a step compares against: the frame (by CFA) and the function (by entry)."""

    cfa: int | None
    function: int | None


class Stepper:
    def __init__(self, debugger: Debugger) -> None:
        self.debugger = debugger
        inferior = debugger.inferior
        if inferior is None or not inferior.alive:
            raise DebuggerError("The program is not being run.")
        self.inferior: Inferior = inferior
        self._reference = _Frame(None, None)

    # -- what the commands call ------------------------------------------------------------

    def step_lines(self, count: int, into: bool) -> Result:
        return self._repeat(count, lambda: self._line(into))

    def step_instructions(self, count: int, over_calls: bool) -> Result:
        return self._repeat(count, lambda: self._instruction(over_calls))

    def _repeat(self, count: int, once: Callable[[], StopEvent | None]) -> Result:
        """gdb compares each step's end with where that step (not the command) began."""
        for _ in range(count):
            self._reference = self._here()
            event = self._guarded(once)
            if event is not None:
                return self.debugger.report_stop(event)
        return self._stepped(self._reference)

    def _guarded(self, once: Callable[[], StopEvent | None]) -> StopEvent | None:
        try:
            return once()
        except (EngineError, MemoryAccessError) as exc:
            raise DebuggerError(str(exc)) from exc

    # -- one line --------------------------------------------------------------------------

    def _line(self, into: bool) -> StopEvent | None:
        """One ``next``/``step``; None when it ended normally, else the event that ended it."""
        bias = self.debugger.load_bias
        target = self.debugger.target
        row = target.line_row(self.inferior.pc - bias)
        if row is None:
            return self._leave_function_without_lines()
        low, high = row.address + bias, self._row_end(row.address) + bias
        line = (row.file, row.line)
        while True:
            event = self._advance(into)
            if event is not None:
                return event
            pc = self.inferior.pc
            if self._user_breakpoint_here(pc):
                return self._breakpoint_event(pc)
            if low <= pc < high:
                continue
            here = target.line_row(pc - bias)
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
        following = self.debugger.target.line_row_end(address)
        return following if following is not None else address + 1

    def _advance(self, into: bool) -> StopEvent | None:
        """Execute one instruction, or a whole call: into it only with ``into`` and only
        when the callee has line info, in which case the pc ends after its prologue."""
        instruction = self._instruction_at(self.inferior.pc)
        if instruction is None or not instruction.is_call:
            return self._single_step()
        cfa = self._frame().cfa
        event = self._single_step()
        if event is not None:
            return event
        callee = self.inferior.pc
        if into and self.debugger.target.location_for(callee - self.debugger.load_bias):
            body = self._after_prologue(callee)
            return None if body == callee else self._run_to(body, frame_cfa=None)
        return self._run_to(instruction.next_address, frame_cfa=cfa)

    def _entered_function(self, pc: int, into: bool) -> bool:
        """After ``step`` into a function the pc sits after its prologue: stop there."""
        if not into:
            return False
        function = self.debugger.target.function_at(pc - self.debugger.load_bias)
        if function is None:
            return False
        return self._after_prologue(function.address + self.debugger.load_bias) == pc

    def _after_prologue(self, entry: int) -> int:
        bias = self.debugger.load_bias
        return self.debugger.target.after_prologue_of(entry - bias) + bias

    def _leave_function_without_lines(self) -> StopEvent | None:
        """gdb: "Single stepping until exit from function X, which has no line number
        information." deet knows no bounds for code outside the program."""
        function = self.debugger.target.function_at(self.inferior.pc - self.debugger.load_bias)
        if function is None:
            raise DebuggerError("Cannot find bounds of current function")
        frames = self.debugger.frames()
        if len(frames) < 2:
            raise DebuggerError("Cannot find bounds of current function")
        return self._run_to(frames[1].pc, frame_cfa=frames[1].cfa)

    # -- one instruction -------------------------------------------------------------------

    def _instruction(self, over_calls: bool) -> StopEvent | None:
        instruction = self._instruction_at(self.inferior.pc)
        if over_calls and instruction is not None and instruction.is_call:
            cfa = self._frame().cfa
            return self._run_to(instruction.next_address, frame_cfa=cfa, step_first=True)
        event = self._single_step()
        if event is None and self._user_breakpoint_here(self.inferior.pc):
            return self._breakpoint_event(self.inferior.pc)
        return event

    # -- finish ----------------------------------------------------------------------------

    def finish(self) -> Result:
        """Run until the selected frame returns; show where, and the value it returned."""
        debugger = self.debugger
        level = debugger.selected_frame
        states = debugger.frames()
        if level + 1 >= len(states):
            raise DebuggerError('"finish" not meaningful in the outermost frame.')
        scope = debugger.frame_context(level).scope
        function_type = scope.function.type if scope is not None else None
        debugger.listener(RunTillExit(frame_line(debugger, states, level)))
        caller = states[level + 1]
        event = self._guarded(lambda: self._run_to(caller.pc, frame_cfa=caller.cfa))
        if event is not None:
            return debugger.report_stop(event)
        debugger.selected_frame = 0
        line = frame_line(debugger, debugger.frames(), 0)
        printed = None
        if function_type is not None:
            value = return_value(function_type.returns, self.inferior)
            if value is not None:
                printed = record(debugger, value, debugger.frame_context(0))
        return Finished(line, source_line(debugger, line), printed)

    # -- engine primitives -----------------------------------------------------------------

    def _signal(self) -> int:
        """A signal the program stopped with is delivered by the first resume (as by
        continue); taken only then, so a step refused before running keeps it."""
        return self.debugger.take_pending_signal()

    def _single_step(self) -> StopEvent | None:
        event = self.inferior.step_instruction(self._signal())
        return None if event.kind is StopKind.STEP else event

    def _run_to(self, address: int, frame_cfa: int | None,
                step_first: bool = False) -> StopEvent | None:
        """Continue to ``address`` (in the frame whose CFA is ``frame_cfa``, when given)
        with an internal breakpoint there; None on arrival, else what happened first."""
        sites = self.inferior.sites
        sites.add(address)
        try:
            while True:
                event = self.inferior.cont(self._signal(), timeout=self.debugger.timeout)
                if event.kind is StopKind.FORKED:
                    # follow-fork-mode child: the child, with a copy of this int3, goes on
                    # with the step (as in gdb, the step ends in the child).
                    forks.follow_child(self.debugger, event)
                    self.inferior = self.debugger.require_stopped()
                    sites = self.inferior.sites
                    continue
                if event.kind is not StopKind.BREAKPOINT:
                    return event
                if self._user_breakpoint_here(event.pc or 0):
                    return event
                if event.pc != address:
                    continue
                if frame_cfa is None or self._frame().cfa == frame_cfa:
                    return None
        finally:
            # After an exec the program has a new memory image, and a new site table.
            if self.inferior.alive and self.inferior.sites is sites:
                sites.remove(address)

    def _user_breakpoint_here(self, pc: int) -> bool:
        return self.debugger.breakpoint_stops_at(pc)

    def _breakpoint_event(self, pc: int) -> StopEvent:
        return StopEvent(StopKind.BREAKPOINT, self.inferior.pid, signal=signal.SIGTRAP, pc=pc)

    def _instruction_at(self, pc: int) -> Instruction | None:
        try:
            code = self.inferior.read(pc, MAX_INSTRUCTION)
        except MemoryAccessError:
            return None
        found = decode(code, pc, limit=1)
        return found[0] if found else None

    def _frame(self) -> FrameState:
        return self.debugger.innermost_frame()

    def _here(self) -> _Frame:
        function = self.debugger.target.function_at(self.inferior.pc - self.debugger.load_bias)
        return _Frame(self._frame().cfa, function.address if function else None)

    def _stepped(self, start: _Frame) -> Stepped:
        """gdb prints just the line when the step ends in the frame and function it began
        in, and the frame's description too when it ends anywhere else."""
        self.debugger.selected_frame = 0
        states = self.debugger.frames()
        line = frame_line(self.debugger, states, 0)
        here = self._here()
        new_place = here.cfa != start.cfa or here.function != start.function
        return Stepped(line, source_line(self.debugger, line), new_place)

