"""Commands: parse the words a user typed, call the debugger, return a result.

``execute`` is the one entry point the front ends use; it also turns every expected
failure into an ``Error`` result, so no front end ever shows a traceback for bad input.
"""

from __future__ import annotations

import os
import traceback

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
from deet.debugger.settings import SettingError
from deet.debuginfo import DebugInfoError
from deet.engine import EngineError
from deet.results import Error, InternalError, Result

__all__ = ["COMMANDS", "CommandSpec", "Needs", "execute", "internal_error", "lookup",
           "unique_commands"]

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
    try:
        with debugger.clock.command():
            return spec.handler(debugger, words[1] if len(words) > 1 else "")
    except (DebuggerError, LocationError, DebugInfoError, EvalError, SettingError,
            EngineError) as exc:
        return Error(str(exc))
    except BrokenPipeError:
        # Whoever reads deet's output has gone: the front end ends the session.
        raise
    except Exception as exc:  # noqa: BLE001 - a bug in one command must not end the session
        return internal_error(spec.name, exc)


def internal_error(command: str, exc: Exception) -> InternalError:
    """A bug met while running ``command``, as one line (with the traceback under
    ``DEET_DEBUG=1``): the program and the session go on, as after any failed command."""
    detail = "".join(traceback.format_exception(exc)) if os.environ.get("DEET_DEBUG") else None
    return InternalError(str(exc), command=command, exception=type(exc).__name__,
                         traceback=detail)
