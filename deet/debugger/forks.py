"""Forks, execs and switching between the processes deet holds (gdb's inferiors).

The engine applies the fork policy itself when deet stays with the parent (the child is
cleaned of int3s and let go, or kept stopped); what it cannot decide alone comes here:
keeping a child as a new ``Process``, following the child, reloading debug info after an
exec, and switching which process is current. Each step is announced as a typed event.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from deet.debugger.errors import DebuggerError
from deet.debugger.linespec import AddressSpec
from deet.debugger.process import Process
from deet.engine import Inferior, StopEvent
from deet.results import (
    BreakpointDropped,
    CurrentInferior,
    ExecStarted,
    ExecWithoutDebugInfo,
    ForkDetached,
    ForkFollowed,
    InferiorDetached,
    InferiorList,
    InferiorRow,
    InferiorSwitched,
    NewInferior,
    ThreadTag,
)

if TYPE_CHECKING:
    from deet.debugger.core import Debugger


def keep(debugger: Debugger, parent: Process, child: Inferior) -> None:
    """``detach-on-fork off``: the child is held, stopped, as a new inferior."""
    process = parent.forked(debugger.new_number(), child)
    debugger.add_process(process)
    debugger.listener(NewInferior(process.number, process.pid))


def follow_child(debugger: Debugger, event: StopEvent) -> None:
    """``follow-fork-mode child``: the child becomes current; the parent is let go of
    (without its int3s) or, under ``detach-on-fork off``, held."""
    parent = debugger.require_stopped()
    child = parent.inferior.followed
    assert child is not None and event.child == child.pid
    parent.inferior.followed = None
    debugger.listener(ForkFollowed(parent.pid, child.pid))
    process = parent.forked(debugger.new_number(), child)
    debugger.add_process(process, current=True)
    debugger.listener(NewInferior(process.number, process.pid))
    if debugger.fork_policy.detach:
        debugger.listener(ForkDetached(parent.pid, "parent"))
        parent.inferior.run_free()
        debugger.forget(parent)
        debugger.listener(InferiorDetached(parent.number, parent.pid))


def switch_to(debugger: Debugger, process: Process) -> InferiorSwitched:
    """Make a held process current (``inferior N``, or when the current one ended)."""
    debugger.select(process)
    thread = process.inferior.thread
    process.last_thread = thread.tid
    process.stack.selected = 0
    try:
        line = debugger.frame_line(0)
    except DebuggerError:
        raise DebuggerError(f"Inferior {process.number} has no readable frame.") from None
    return InferiorSwitched(_row(process, current=True), ThreadTag(thread.number, thread.tid),
                            line, debugger.sources.source_line(line.location))


def switch_to_number(debugger: Debugger, number: int) -> InferiorSwitched:
    for process in debugger.processes:
        if process.number == number:
            return switch_to(debugger, process)
    raise DebuggerError(f"Inferior ID {number} not known.")


def on_exec(debugger: Debugger) -> None:
    """The current process ran ``execve``: load the new program's debug info, keep the
    breakpoints that still resolve in it and drop the others, each with a note."""
    process = debugger.require_stopped()
    path = os.readlink(f"/proc/{process.pid}/exe")
    debugger.listener(ExecStarted(process.pid, path))
    info, problem = debugger.files.executable(path)
    if problem is not None:
        debugger.listener(ExecWithoutDebugInfo(path, problem))
    process.execed(info, debugger.files)
    rebind_breakpoints(debugger)
    for breakpoint_ in debugger.breakpoints:
        debugger.install(process, breakpoint_)


def rebind_breakpoints(debugger: Debugger) -> None:
    """Resolve every breakpoint again in ``debugger.target``; one that names nothing there
    (or a raw address, which meant the old program) is deleted, with a note."""
    for breakpoint_ in debugger.breakpoints:
        reason = None
        if isinstance(breakpoint_.spec, AddressSpec):
            reason = "an address in the previous program"
        else:
            try:
                breakpoint_.code = debugger.resolve(breakpoint_.spec)
            except DebuggerError as exc:
                reason = str(exc).rstrip(".")
        if reason is not None:
            debugger.delete_breakpoint(breakpoint_.number)
            debugger.listener(BreakpointDropped(breakpoint_.number, str(breakpoint_.spec),
                                                reason))


def inferior_list(debugger: Debugger) -> InferiorList:
    current = debugger.current
    rows = [_row(process, current=process is current) for process in debugger.processes]
    if current is None:
        rows.append(_idle_row(debugger))
    return InferiorList(tuple(sorted(rows, key=lambda row: row.number)))


def current_inferior(debugger: Debugger) -> CurrentInferior:
    current = debugger.current
    if current is None:
        return CurrentInferior(_idle_row(debugger))
    return CurrentInferior(_row(current, current=True))


def _row(process: Process, current: bool) -> InferiorRow:
    return InferiorRow(process.number, process.pid, str(process.target.path), current)


def _idle_row(debugger: Debugger) -> InferiorRow:
    return InferiorRow(debugger.idle_number, None, str(debugger.target.path), current=True)
