"""Debugging a process deet did not start: ``attach PID`` takes hold of it where it is,
``detach`` lets it run on untraced (gdb's commands, and gdb's rule that leaving deet
detaches from such a process rather than killing it)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from deet.debugger.errors import DebuggerError
from deet.debugger.process import Process
from deet.debuginfo import DebugInfo
from deet.engine import EngineError, attach
from deet.results import Attached, Detached

if TYPE_CHECKING:
    from deet.debugger.core import Debugger


def process_id(args: str) -> int:
    """The PID of ``attach PID`` (gdb's words when it is missing or not a number)."""
    word = args.strip()
    if not word:
        raise DebuggerError("Argument required (process-id to attach).")
    if not word.isdigit() or int(word) == 0:
        raise DebuggerError(f"Illegal process-id: {word}.")
    return int(word)


def attach_to(debugger: Debugger, pid: int) -> Attached:
    """Stop every thread of process ``pid`` and debug it as inferior 1, with the program
    /proc says it runs; a program deet is running already is killed first, as ``run``
    does."""
    debugger.kill()
    try:
        inferior = attach(pid, debugger.capture)
    except EngineError as exc:
        raise DebuggerError(str(exc)) from None
    try:
        path = os.readlink(f"/proc/{pid}/exe")
        target = _program(debugger, path)
        process = Process.attached(1, inferior, target, debugger.files)
    except (OSError, DebuggerError) as exc:
        inferior.detach()
        raise DebuggerError(f"{pid}: {exc}") from None
    debugger.begin(process)
    line = debugger.frame_line(0)
    return Attached(pid, path, line, debugger.sources.source_line(line.location))


def _program(debugger: Debugger, path: str) -> DebugInfo:
    """The debug info of the program the process runs: the one deet was given, or the
    file /proc names when it is another."""
    if os.path.realpath(path) == os.path.realpath(debugger.program):
        return debugger.program_info
    info, _problem = debugger.files.executable(path)
    return info


def detach(debugger: Debugger) -> Detached:
    """Take every int3 out of the current process and let it run on: untraced when deet
    attached to it; one deet started runs free in its process tree, so that, like
    everything the program started, it does not outlive deet."""
    process = debugger.require_stopped()
    if process.inferior.attached:
        process.inferior.detach()
    else:
        process.inferior.run_free()
    debugger.forget(process)
    return Detached(process.number, process.pid, str(process.target.path))


def leave(debugger: Debugger) -> list[Detached]:
    """``quit``: the processes deet attached to are detached (each said), the rest
    killed."""
    detached = []
    for process in [p for p in debugger.processes if p.inferior.attached]:
        debugger.select(process)
        detached.append(detach(debugger))
    return detached
