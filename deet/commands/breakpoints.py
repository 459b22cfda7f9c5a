"""Setting and managing breakpoints: break, tbreak, condition, info breakpoints, delete,
disable, enable."""

from __future__ import annotations

import re

from deet.commands.registry import command, info_subcommand
from deet.debugger import Debugger, DebuggerError
from deet.debugger.conditions import check_condition
from deet.debugger.linespec import parse_location
from deet.results import BreakpointRow, BreakpointTable, ConditionChanged, Message, Result

_CONDITION = re.compile(r"^(?P<location>.*?)\s+if(?:\s+|(?=\())(?P<condition>.*)$")


def _set(debugger: Debugger, args: str, temporary: bool) -> Result:
    location, condition = args, None
    match = _CONDITION.match(args.strip())
    if match:
        location, condition = match["location"], match["condition"].strip()
        if not condition:
            raise DebuggerError("Argument required (boolean expression).")
    spec = parse_location(location)
    if condition is not None:
        check_condition(debugger.target, condition, debugger.resolve(spec), at_break=True)
    result = debugger.add_breakpoint(spec)
    breakpoint_ = debugger.breakpoints.get(result.number)
    assert breakpoint_ is not None
    breakpoint_.condition = condition
    breakpoint_.temporary = temporary
    return result


@command("break", "b", group="breakpoints",
         doc="break LOC [if COND]: stop at LOC, one of *ADDR, LINE, FILE:LINE, "
         "FUNC; with COND, only where the C expression COND is true")
def break_(debugger: Debugger, args: str) -> Result:
    return _set(debugger, args, temporary=False)


@command("tbreak", group="breakpoints",
         doc="tbreak LOC [if COND]: a breakpoint deleted when it first stops")
def tbreak(debugger: Debugger, args: str) -> Result:
    return _set(debugger, args, temporary=True)


@command("condition", group="breakpoints",
         doc="condition N [COND]: stop at breakpoint N only where COND is true; "
         "without COND, always")
def condition(debugger: Debugger, args: str) -> Result:
    number_text, _, text = args.strip().partition(" ")
    if not number_text:
        raise DebuggerError("Argument required (breakpoint number).")
    number = _breakpoint_number(number_text)
    breakpoint_ = debugger.breakpoints.get(number)
    if breakpoint_ is None:
        raise DebuggerError(f"No breakpoint number {number}.")
    text = text.strip()
    if text:
        check_condition(debugger.target, text, breakpoint_.code, at_break=False)
    breakpoint_.condition = text or None
    return ConditionChanged(number, breakpoint_.condition)


@info_subcommand("breakpoints")
def info_breakpoints(debugger: Debugger, _args: str) -> Result:
    rows = []
    space = debugger.current.space if debugger.current is not None else None
    for breakpoint_ in debugger.breakpoints:
        places = tuple(
            (address, code.function, code.location)
            for address, code in breakpoint_.places(space)
        )
        rows.append(BreakpointRow(breakpoint_.number, breakpoint_.temporary,
                                  breakpoint_.enabled, places, breakpoint_.condition,
                                  breakpoint_.hits))
    return BreakpointTable(tuple(rows))


def _numbers(debugger: Debugger, args: str) -> list[int]:
    words = args.split()
    if not words:
        return [b.number for b in debugger.breakpoints]
    return [_breakpoint_number(word) for word in words]


def _breakpoint_number(word: str) -> int:
    if not word.isdigit():
        raise DebuggerError(f"Convenience variable must have integer value.\n"
                            f"Bad breakpoint argument: '{word}'")
    return int(word)


def _each(debugger: Debugger, args: str, action) -> Result:
    errors = []
    for number in _numbers(debugger, args):
        try:
            action(number)
        except DebuggerError as exc:
            errors.append(str(exc))
    return Message("\n".join(errors))


@command("delete", "d", group="breakpoints",
         doc="delete [N...]: delete breakpoints N... (all without N)")
def delete(debugger: Debugger, args: str) -> Result:
    return _each(debugger, args, debugger.delete_breakpoint)


@command("disable", group="breakpoints",
         doc="disable [N...]: breakpoints N... (all without N) stop nothing")
def disable(debugger: Debugger, args: str) -> Result:
    return _each(debugger, args, lambda n: debugger.enable_breakpoint(n, False))


@command("enable", group="breakpoints",
         doc="enable [N...]: breakpoints N... (all without N) stop again")
def enable(debugger: Debugger, args: str) -> Result:
    return _each(debugger, args, lambda n: debugger.enable_breakpoint(n, True))
