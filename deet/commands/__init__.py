"""Commands: parse the words a user typed, call the debugger, return a result.

``execute`` is the one entry point the front ends use; it also turns every expected
failure into an ``Error`` result, so no front end ever shows a traceback for bad input.
"""

from __future__ import annotations

from deet.commands import (  # noqa: F401 - they register
    breakpoints,
    data,
    frames,
    info,
    processes,
    running,
    settings,
    source,
    stack,
    stepping,
    support,
    world,
)
from deet.commands.registry import COMMANDS, CommandSpec, Needs, lookup, unique_commands, unmet
from deet.debugger import Debugger, DebuggerError
from deet.debugger.cexpr import EvalError
from deet.debugger.linespec import LocationError
from deet.debugger.proctree import service
from deet.debugger.settings import SettingError
from deet.debuginfo import DebugInfoError
from deet.results import Error, Result

__all__ = ["COMMANDS", "CommandSpec", "Needs", "execute", "lookup", "unique_commands"]

UNKNOWN = "Unrecognized command."


def execute(debugger: Debugger, line: str) -> Result | None:
    """Run one command line; None for a blank line."""
    words = line.strip().split(maxsplit=1)
    if not words:
        return None
    if "/" in words[0][1:]:
        # gdb's ``x/4xw ADDR``, ``p/x EXPR``: the format is the argument's beginning.
        name, _, fmt = words[0].partition("/")
        words = [name, f"/{fmt} {words[1] if len(words) > 1 else ''}"]
    spec = lookup(words[0])
    if spec is None:
        return Error(UNKNOWN)
    problem = unmet(spec.needs, debugger)
    if problem is not None:
        return Error(problem)
    service(debugger)
    try:
        with debugger.clock.command():
            return spec.handler(debugger, words[1] if len(words) > 1 else "")
    except (DebuggerError, LocationError, DebugInfoError, EvalError, SettingError) as exc:
        return Error(str(exc))
    finally:
        service(debugger)
