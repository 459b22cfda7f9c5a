"""Setting and managing breakpoints: break, tbreak, condition, info breakpoints, delete,
disable, enable."""

from __future__ import annotations

import re

from deet.commands.displays import delete_displays, enable_displays
from deet.commands.registry import command, info_subcommand, never
from deet.debugger import Debugger, DebuggerError
from deet.debugger.breakpoints import Breakpoint
from deet.debugger.conditions import check_condition
from deet.debugger.linespec import parse_location
from deet.debugger.watchpoints import watchpoints_of
from deet.results import (
    BreakpointRow,
    BreakpointSet,
    BreakpointTable,
    ConditionChanged,
    IgnoreCount,
    Message,
    Result,
)

# ``LOCATION if COND`` (and ``EXPR if COND`` for watchpoints).
CONDITION = re.compile(r"^(?P<location>.*?)\s+if(?:\s+|(?=\())(?P<condition>.*)$")


def set_breakpoint(debugger: Debugger, args: str, temporary: bool) -> BreakpointSet:
    location, condition = args, None
    match = CONDITION.match(args.strip())
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
    return set_breakpoint(debugger, args, temporary=False)


@command("tbreak", group="breakpoints",
         doc="tbreak LOC [if COND]: a breakpoint deleted when it first stops")
def tbreak(debugger: Debugger, args: str) -> Result:
    return set_breakpoint(debugger, args, temporary=True)


@command("condition", group="breakpoints",
         doc="condition N [COND]: stop at breakpoint N only where COND is true; "
         "without COND, always", repeat=never)
def condition(debugger: Debugger, args: str) -> Result:
    number_text, _, text = args.strip().partition(" ")
    if not number_text:
        raise DebuggerError("Argument required (breakpoint number).")
    number = _breakpoint_number(number_text)
    found = debugger.breakpoints.get(number)
    watch = watchpoints_of(debugger).table.get(number) if found is None else None
    if found is None and watch is None:
        raise DebuggerError(f"No breakpoint number {number}.")
    text = text.strip()
    if text:
        # A watchpoint's names are those of where it fires, checked when it does.
        check_condition(debugger.target, text, found.code if found is not None else {},
                        at_break=False)
    condition = text or None
    if found is not None:
        found.condition = condition
    else:
        watch.condition = condition
    return ConditionChanged(number, condition, watchpoint=watch is not None)


@command("ignore", group="breakpoints",
         doc="ignore N COUNT: let breakpoint N's next COUNT crossings pass without a stop")
def ignore(debugger: Debugger, args: str) -> Result:
    words = args.split()
    if not words:
        raise DebuggerError("Argument required (a breakpoint number).")
    if not words[0].isdigit():
        raise DebuggerError(f"bad breakpoint number: '{args.strip()}'")
    number = int(words[0])
    breakpoint_ = debugger.breakpoints.get(number)
    if breakpoint_ is None:
        raise DebuggerError(f"No breakpoint number {number}.")
    if len(words) < 2:
        raise DebuggerError("Second argument (specified ignore-count) is missing.")
    return set_ignore(breakpoint_, count_argument(" ".join(words[1:])))


def set_ignore(breakpoint_: Breakpoint, count: int, continuing: bool = False) -> IgnoreCount:
    """gdb's ``set_ignore_count``: a count below 0 is 0."""
    breakpoint_.ignore = max(count, 0)
    return IgnoreCount(breakpoint_.number, breakpoint_.ignore, continuing)


def count_argument(text: str) -> int:
    """A count gdb would evaluate as an expression; deet takes an integer."""
    try:
        return int(text.strip(), 0)
    except ValueError:
        raise DebuggerError(f'No symbol "{text.strip()}" in current context.') from None


@info_subcommand("breakpoints")
def info_breakpoints(debugger: Debugger, args: str) -> Result:
    rows = []
    space = debugger.current.space if debugger.current is not None else None
    if any(not word.isdigit() for word in args.split()):
        raise DebuggerError("Arguments must be numbers or '$' variables.")
    wanted = {int(word) for word in args.split()}
    for breakpoint_ in debugger.breakpoints:
        if wanted and breakpoint_.number not in wanted:
            continue
        places = tuple(
            (address, code.function, code.location)
            for address, code in breakpoint_.places(space)
        )
        rows.append(BreakpointRow(breakpoint_.number, breakpoint_.temporary,
                                  breakpoint_.enabled, places, breakpoint_.condition,
                                  breakpoint_.hits, breakpoint_.ignore))
    if debugger.watcher is not None:
        rows.extend(row for row in watchpoints_of(debugger).rows()
                    if not wanted or row.number in wanted)
    return BreakpointTable(tuple(sorted(rows, key=lambda row: row.number)))


def _numbers(debugger: Debugger, args: str) -> list[int]:
    words = args.split()
    if not words:
        watched = [w.number for w in watchpoints_of(debugger)]
        return sorted([b.number for b in debugger.breakpoints] + watched)
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


def _about_displays(args: str) -> bool:
    """``delete display``, ``disable display``, ``enable display``."""
    words = args.split()
    return bool(words) and words[0] == "display"


def _rest(args: str) -> str:
    parts = args.split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def _delete(debugger: Debugger, number: int) -> None:
    watchpoints = watchpoints_of(debugger)
    if number in watchpoints:
        watchpoints.delete(number)
    else:
        debugger.delete_breakpoint(number)


def _enable(debugger: Debugger, number: int, enabled: bool) -> None:
    watchpoints = watchpoints_of(debugger)
    if number in watchpoints:
        watchpoints.enable(number, enabled)
    else:
        debugger.enable_breakpoint(number, enabled)


@command("delete", "d", group="breakpoints",
         doc="delete [N...]: delete breakpoints and watchpoints N... (all without N)",
         repeat=never)
def delete(debugger: Debugger, args: str) -> Result:
    if _about_displays(args):
        return delete_displays(debugger, _rest(args))
    return _each(debugger, args, lambda n: _delete(debugger, n))


@command("disable", group="breakpoints",
         doc="disable [N...]: breakpoints and watchpoints N... (all without N) stop nothing",
         repeat=never)
def disable(debugger: Debugger, args: str) -> Result:
    if _about_displays(args):
        return enable_displays(debugger, _rest(args), False)
    return _each(debugger, args, lambda n: _enable(debugger, n, False))


@command("enable", group="breakpoints",
         doc="enable [N...]: breakpoints and watchpoints N... (all without N) stop again",
         repeat=never)
def enable(debugger: Debugger, args: str) -> Result:
    if _about_displays(args):
        return enable_displays(debugger, _rest(args), True)
    return _each(debugger, args, lambda n: _enable(debugger, n, True))
