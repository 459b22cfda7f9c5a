"""Stepping: next, step, stepi, nexti, finish."""

from __future__ import annotations

from deet.commands.registry import Needs, command
from deet.debugger import Debugger, DebuggerError
from deet.debugger.stepping import Stepper
from deet.results import Result


def repeat_count(args: str) -> int:
    """The optional COUNT of a stepping command (gdb evaluates it; deet takes an integer).
    0 or less steps nothing and describes the frame, as gdb does."""
    text = args.strip()
    if not text:
        return 1
    try:
        return max(int(text, 0), 0)
    except ValueError:
        raise DebuggerError(f'No symbol "{text}" in current context.') from None


@command("next", "n", group="stepping",
         doc="next [COUNT]: run to the next line of this function, stepping over "
         "calls", needs=Needs.LIVE)
def next_(debugger: Debugger, args: str) -> Result:
    return Stepper(debugger).step_lines(repeat_count(args), into=False)


@command("step", "s", group="stepping",
         doc="step [COUNT]: run to the next line, entering functions that have "
         "line info", needs=Needs.LIVE)
def step(debugger: Debugger, args: str) -> Result:
    return Stepper(debugger).step_lines(repeat_count(args), into=True)


@command("stepi", "si", group="stepping",
         doc="stepi [COUNT]: execute one machine instruction",
         needs=Needs.LIVE)
def stepi(debugger: Debugger, args: str) -> Result:
    return Stepper(debugger).step_instructions(repeat_count(args), over_calls=False)


@command("nexti", "ni", group="stepping",
         doc="nexti [COUNT]: execute one machine instruction, stepping over "
         "calls", needs=Needs.LIVE)
def nexti(debugger: Debugger, args: str) -> Result:
    return Stepper(debugger).step_instructions(repeat_count(args), over_calls=True)


@command("finish", "fin", group="stepping",
         doc="finish: run until the selected frame returns; show the "
         "returned value", needs=Needs.LIVE)
def finish_(debugger: Debugger, args: str) -> Result:
    if args.strip():
        raise DebuggerError('The "finish" command does not take any arguments.')
    return Stepper(debugger).finish()
