"""Auto-display: display[/FMT] [EXPR], undisplay [N...], info display, and the displays shown
after each command that stopped the program."""

from __future__ import annotations

from deet.commands.registry import command, info_subcommand
from deet.debugger import Debugger, DebuggerError
from deet.debugger.displays import displays_of
from deet.results import (
    Displays,
    Finished,
    Message,
    Result,
    Stepped,
    Stopped,
    TimedOut,
    WatchpointStopped,
)

# The results after which gdb shows the displays: the program stopped.
STOPS = (Stopped, Stepped, Finished, WatchpointStopped, TimedOut)


@command("display", group="data",
         doc="display[/FMT] EXPR: show EXPR after every stop (FMT as print's, or x's with a "
         "size, i or s); without EXPR, show them all now")
def display(debugger: Debugger, args: str) -> Result:
    text = args.strip()
    fmt = None
    if text.startswith("/"):
        fmt, _, text = text[1:].partition(" ")
        text = text.strip()
    displays = displays_of(debugger)
    if not text:
        return displays.shown(debugger)
    added = displays.add(debugger, text, fmt)
    return displays.shown(debugger, only=[added])


def _numbers(args: str) -> list[int] | None:
    words = args.split()
    if not words:
        return None
    numbers = []
    for word in words:
        if not word.isdigit():
            raise DebuggerError(f"Arguments must be display numbers.\n"
                                f"Bad display number: '{word}'")
        numbers.append(int(word))
    return numbers


def delete_displays(debugger: Debugger, args: str) -> Result:
    displays = displays_of(debugger)
    numbers = _numbers(args)
    errors = []
    for number in numbers if numbers is not None else list(displays.table):
        try:
            displays.delete(number)
        except DebuggerError as exc:
            errors.append(str(exc))
    return Message("\n".join(errors))


def enable_displays(debugger: Debugger, args: str, enabled: bool) -> Result:
    displays = displays_of(debugger)
    numbers = _numbers(args)
    errors = []
    for number in numbers if numbers is not None else list(displays.table):
        try:
            displays.get(number).enabled = enabled
        except DebuggerError as exc:
            errors.append(str(exc))
    return Message("\n".join(errors))


@command("undisplay", group="data",
         doc="undisplay [N...]: stop showing displays N... (all without N); also "
         "delete display [N...]")
def undisplay(debugger: Debugger, args: str) -> Result:
    return delete_displays(debugger, args)


@info_subcommand("display")
def info_display(debugger: Debugger, _args: str) -> Result:
    return displays_of(debugger).rows(debugger)


def after(debugger: Debugger, result: Result) -> Displays | None:
    """The displays to show after ``result`` (when it is a stop and there are any)."""
    if not isinstance(result, STOPS) or not debugger.alive:
        return None
    shown = displays_of(debugger).shown(debugger)
    return shown if shown.items else None
