"""Commands: parse the words a user typed, call the debugger, return a result.

``execute`` is the one entry point the front ends use; it also turns every expected
failure into an ``Error`` result, so no front end ever shows a traceback for bad input.
"""

from __future__ import annotations

import os
import traceback

from deet.commands import (  # noqa: F401 - they register
    breakpoints,
    complete,
    data,
    displays,
    flow,
    frames,
    info,
    processes,
    running,
    scripting,
    settings,
    source,
    stack,
    stepping,
    support,
    watchpoints,
    world,
)
from deet.commands.displays import after
from deet.commands.registry import (
    COMMAND_ERRORS,
    COMMANDS,
    CommandSpec,
    Needs,
    lookup,
    split,
    unique_commands,
    unmet,
)
from deet.debugger import Debugger, DebuggerError
from deet.debugger.proctree import service
from deet.results import Error, InternalError, Result

__all__ = ["COMMANDS", "CommandSpec", "Needs", "after", "execute", "internal_error", "lookup",
           "repeat_of", "split", "unique_commands"]

UNKNOWN = "Unrecognized command."


def execute(debugger: Debugger, line: str) -> Result | None:
    """Run one command line; None for a blank line."""
    parsed = split(line)
    if parsed is None:
        return None
    word, args = parsed
    try:
        spec = lookup(word)
    except DebuggerError as exc:
        return Error(str(exc))
    if spec is None:
        return Error(UNKNOWN)
    problem = unmet(spec.needs, debugger)
    if problem is not None:
        return Error(problem)
    service(debugger)
    try:
        with debugger.clock.command():
            return spec.handler(debugger, args)
    except COMMAND_ERRORS as exc:
        return Error(str(exc))
    except BrokenPipeError:
        # Whoever reads deet's output has gone: the front end ends the session.
        raise
    except Exception as exc:  # noqa: BLE001 - a bug in one command must not end the session
        return internal_error(spec.name, exc)
    finally:
        service(debugger)


def internal_error(command: str, exc: Exception) -> InternalError:
    """A bug met while running ``command``, as one line (with the traceback under
    ``DEET_DEBUG=1``): the program and the session go on, as after any failed command."""
    detail = "".join(traceback.format_exception(exc)) if os.environ.get("DEET_DEBUG") else None
    return InternalError(str(exc), command=command, exception=type(exc).__name__,
                         traceback=detail)


def repeat_of(line: str) -> str | None:
    """What an empty line after ``line`` runs (gdb's rule for that command), or None."""
    parsed = split(line)
    if parsed is None:
        return None
    word, args = parsed
    try:
        spec = lookup(word)
    except DebuggerError:
        return line
    if spec is None:
        return line
    again = spec.repeat(args)
    if again is None:
        return None
    return f"{word} {again}".rstrip() if again else word
