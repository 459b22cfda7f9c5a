"""Changing where the program goes: ``until``, ``until LOCATION``, ``advance LOCATION``,
``jump LOCATION`` and ``return [EXPR]``, each as gdb does it.

``until`` is ``next`` whose range starts at the function's entry, so a jump back to a
loop's head does not end it (gdb's until_next_command). ``until``/``advance LOCATION``
run to internal breakpoints at LOCATION and at the selected frame's return address (gdb's
momentary breakpoints, bp_until); for ``until`` LOCATION counts only in the selected frame.
``return`` pops frames by writing the caller's registers, as the unwinder found them,
into the thread: what gdb's frame_pop does.
"""

from __future__ import annotations

from deet.debugger.cexpr import evaluate
from deet.debugger.core import Debugger
from deet.debugger.errors import DebuggerError
from deet.debugger.linespec import AddressSpec, LocationSpec
from deet.debugger.stepping import Stepper, StepRange
from deet.debugger.values import to_int
from deet.debuginfo.types import is_float, without_typedefs
from deet.engine import MemoryAccessError, StopEvent, StopKind
from deet.results import Result

# Registers the x86-64 ABI returns integers and pointers in, and those a return restores.
_RETURNED = "rax"


def live_addresses(debugger: Debugger, spec: LocationSpec) -> list[int]:
    """Where LOCATION's code is in the running process (the addresses ``break`` would use)."""
    process = debugger.require_stopped()
    code = debugger.resolve(spec)
    if isinstance(spec, AddressSpec):
        return [spec.address]
    found = []
    for path, locations in code.items():
        bias = process.space.bias_of(path)
        if bias is not None:
            found += [location.address + bias for location in locations]
    if not found:
        raise DebuggerError(f"No code for {spec}.")
    return found


class Flow(Stepper):
    """The stepper, with gdb's other ways of moving the program on."""

    def until_next(self) -> Result:
        """``until``: ``next``, except that a jump backwards within the function does not
        stop it; it ends at a line after this one, or in the caller."""
        process = self.process
        pc = process.inferior.pc
        row = process.line_at(pc)
        function = process.function_at(pc)
        if row is None or function is None:
            return self.step_lines(1, into=False)
        here = process.stack.frame(0)
        assert here is not None
        self._reference = self._here()
        location = here.location
        line = (location.file, location.line) if location is not None else None
        event = self._step(StepRange(function[1], row.end, line, here.key), into=False)
        if event is not None:
            return self.debugger.report(event)
        return self._stepped(self._reference)

    def until_location(self, spec: LocationSpec, anywhere: bool) -> Result:
        """``until LOCATION`` (``anywhere`` False: only in the selected frame) and ``advance
        LOCATION`` (anywhere): run until LOCATION or until the selected frame returns."""
        debugger = self.debugger
        stack = debugger.stack
        addresses = live_addresses(debugger, spec)
        frame = stack.current.state
        caller = stack.physical(stack.current.physical + 1)
        targets = [(address, None if anywhere else frame.cfa) for address in addresses]
        if caller is not None:
            targets.append((caller.pc, caller.cfa))
        self._reference = self._here()
        event = self._run_to_any(targets)
        if event is not None:
            return debugger.report(event)
        return self._stepped(self._reference, always_place=True)

    def _run_to_any(self, targets: list[tuple[int, int | None]]) -> StopEvent | None:
        """Continue until one of ``targets`` (address, and the CFA its frame must have,
        or None for any) is reached; None on arrival, else what happened first."""
        process = self.process
        added = []
        try:
            for address, _cfa in targets:
                process.add_internal(address)
                added.append(address)
        except MemoryAccessError as exc:
            for address in added:
                process.remove_internal(address)
            raise DebuggerError(str(exc)) from exc

        def arrived(event: StopEvent) -> bool:
            return event.kind is StopKind.BREAKPOINT and any(
                event.pc == address and (cfa is None or self._frame_cfa() == cfa)
                for address, cfa in targets)

        try:
            return self.debugger.run_until(lambda remaining: self.process.cont(remaining),
                                           arrived)
        finally:
            for held in self.debugger.processes:
                for address in added:
                    held.remove_internal(address)


def jump_target(debugger: Debugger, spec: LocationSpec) -> int:
    """The address ``jump LOCATION`` resumes at; the pc is set to it."""
    address = live_addresses(debugger, spec)[0]
    process = debugger.require_stopped()
    process.inferior.set_pc(address)
    process.registers_changed()
    return address


def force_return(debugger: Debugger, expression: str) -> None:
    """Pop the selected frame (and those inside it) as if it returned now, with the value
    of ``expression`` (converted to the function's return type) when one is given."""
    stack = debugger.stack
    frame = stack.current
    if frame.inlined:
        raise DebuggerError("Can not force return from an inlined function.")
    caller = stack.physical(frame.physical + 1)
    if caller is None:
        raise DebuggerError("Can not force return from the outermost frame.")
    value = None
    if expression.strip():
        context = debugger.frame_context()
        result = evaluate(expression, context)
        returns = None
        if context.scope is not None and context.scope.subprogram.type is not None:
            returns = without_typedefs(context.scope.subprogram.type.returns)
        if returns is not None and is_float(returns):
            raise DebuggerError("deet cannot return a floating-point value yet.")
        value = to_int(result)
    process = debugger.require_stopped()
    registers = process.inferior.registers
    for name, content in caller.registers.items():
        try:
            registers[name] = content
        except KeyError:
            continue
    if value is not None:
        registers[_RETURNED] = value
    process.registers_changed()
