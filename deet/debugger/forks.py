"""Forks, execs and switching between the processes deet holds (gdb's inferiors).

The engine applies the fork policy itself when deet stays with the parent (the child is
cleaned of int3s and let go, or kept stopped); what it cannot decide alone comes here:
following the child, reloading debug info after an exec, and parking one inferior while
another is current. Each step is announced in gdb's words.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from deet.debugger.linespec import AddressSpec
from deet.debuginfo import DebugInfo, DebugInfoError
from deet.engine import Inferior, StopEvent
from deet.results import (
    InferiorList,
    InferiorRow,
    InferiorSwitched,
    Message,
    Result,
    ThreadTag,
)

if TYPE_CHECKING:
    from deet.debugger.core import Debugger, Held


def keep(debugger: Debugger, child: Inferior) -> None:
    """``detach-on-fork off``: the child is parked, stopped, as a new inferior."""
    debugger.held.append(_hold(debugger, child))


def _hold(debugger: Debugger, child: Inferior) -> Held:
    """A forked child as a parked inferior: same program, same layout, same int3s."""
    number = debugger.new_inferior_number()
    debugger.listen_to(child)
    debugger.listener(Message(f"[New inferior {number} (process {child.pid})]"))
    return _parked(debugger, number, child)


def follow_child(debugger: Debugger, event: StopEvent) -> None:
    """``follow-fork-mode child``: the child becomes current; the parent is let go of
    (without its int3s) or, under ``detach-on-fork off``, parked."""
    parent = debugger.inferior
    assert parent is not None and event.child is not None
    child = parent.followed
    parent.followed = None
    debugger.listener(Message(
        f"[Attaching after process {parent.pid} fork to child process {child.pid}]"
    ))
    held = _hold(debugger, child)
    if debugger.fork_policy.detach:
        debugger.listener(Message(f"[Detaching after fork from parent process {parent.pid}]"))
        parent.detach()
        debugger.release(parent.pid)
        debugger.listener(Message(
            f"[Inferior {debugger.inferior_number} (process {parent.pid}) detached]"
        ))
    else:
        debugger.held.insert(0, park(debugger))
    _unpark(debugger, held)


def park(debugger: Debugger) -> Held:
    assert debugger.inferior is not None
    return _parked(debugger, debugger.inferior_number, debugger.inferior)


def _parked(debugger: Debugger, number: int, inferior: Inferior) -> Held:
    """``inferior`` with the current process's program, layout and int3s."""
    from deet.debugger.core import Held

    return Held(number, inferior, debugger.target, debugger.space, debugger.rendezvous,
                {b.number: set(b.installed) for b in debugger.breakpoints})


def _unpark(debugger: Debugger, held: Held) -> None:
    """Make a parked inferior current, bringing its int3s up to date with breakpoints
    added, deleted, enabled or disabled while it was parked."""
    debugger.adopt(held.inferior)
    debugger.inferior_number = held.number
    debugger.target = held.target
    debugger.space = held.space
    debugger.rendezvous = held.rendezvous
    debugger.selected_frame = 0
    debugger.last_thread = held.inferior.thread.tid
    wanted: set[int] = set()
    for breakpoint_ in debugger.breakpoints:
        breakpoint_.installed = held.installed.get(breakpoint_.number, set())
        if breakpoint_.enabled:
            debugger.install(breakpoint_, warn=True)
        wanted |= breakpoint_.installed
    if held.rendezvous is not None:
        wanted.add(held.rendezvous.breakpoint)
    stale = set().union(*held.installed.values()) - wanted if held.installed else set()
    for address in stale:
        if address in held.inferior.sites:
            held.inferior.sites.remove(address)


def switch_to_held(debugger: Debugger, held: Held) -> Result:
    """Make a parked inferior current (``inferior N``, or when the current one ended)."""
    if held in debugger.held:
        if debugger.alive:
            debugger.held.append(park(debugger))
        debugger.held.remove(held)
    _unpark(debugger, held)
    from deet.debugger.core import DebuggerError
    from deet.debugger.inspection import source_line
    from deet.debugger.threads import innermost_line

    inferior = held.inferior
    row = InferiorRow(held.number, inferior.pid, str(held.target.path), current=True)
    line = innermost_line(debugger)
    if line is None:
        raise DebuggerError(f"Inferior {held.number} has no readable frame.")
    thread = inferior.thread
    return InferiorSwitched(row, ThreadTag(thread.number, thread.tid), line,
                            source_line(debugger, line))


def on_exec(debugger: Debugger) -> None:
    """The current process ran ``execve``: load the new program's debug info, keep the
    breakpoints that still resolve in it and drop the others, with a note for each."""
    inferior = debugger.inferior
    assert inferior is not None
    path = os.readlink(f"/proc/{inferior.pid}/exe")
    debugger.listener(Message(f"process {inferior.pid} is executing new program: {path}"))
    try:
        info = DebugInfo(path)
    except DebugInfoError as exc:
        debugger.listener(Message(f"{path}: {exc}; its breakpoints are dropped"))
        info = None
    if debugger.target is not debugger.program_info and debugger.target is not info:
        debugger.target.close()
    if info is not None:
        debugger.target = info
    debugger.breakpoints.forget_installed()
    debugger.start_address_space(inferior)
    rebind_breakpoints(debugger)
    for breakpoint_ in debugger.breakpoints:
        debugger.install(breakpoint_, warn=True)


def rebind_breakpoints(debugger: Debugger) -> None:
    """Resolve every breakpoint again in ``debugger.target``; one that names nothing there
    (or a raw address, which meant the old program) is deleted, with a note."""
    from deet.debugger.core import DebuggerError

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
            debugger.breakpoints.discard(breakpoint_.number)
            debugger.listener(Message(
                f"Deleted breakpoint {breakpoint_.number} ({breakpoint_.spec}): {reason}."
            ))


def inferior_list(debugger: Debugger) -> InferiorList:
    rows = [InferiorRow(debugger.inferior_number,
                        debugger.inferior.pid if debugger.alive and debugger.inferior else None,
                        str(debugger.target.path), current=True)]
    rows += [InferiorRow(held.number, held.inferior.pid, str(held.target.path), current=False)
             for held in debugger.held]
    return InferiorList(tuple(sorted(rows, key=lambda row: row.number)))


def switch_to_number(debugger: Debugger, number: int) -> Result:
    from deet.debugger.core import DebuggerError

    if number == debugger.inferior_number and debugger.alive:
        return switch_to_held(debugger, park(debugger))
    found = [held for held in debugger.held if held.number == number]
    if not found:
        raise DebuggerError(f"Inferior ID {number} not known.")
    return switch_to_held(debugger, found[0])
