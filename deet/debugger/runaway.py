"""The runaway-child diagnostic's debugger half: which fork children are watched, and where
the function that forked each returns to (the engine's ``runaway.py`` watches the return).

A child is watched when the function that called ``fork`` is an out-of-line function of
the program that returns nothing (``void``) and was called from the program's own code:
such a function cannot tell its caller it is returning in the child, so the caller goes on
as if it were the parent. A function that returns a value may be telling it (a ``fork``
wrapper handing back the pid) and is not watched; nor is ``main``, whose return is the
process's exit, nor a fork in a function inlined into its caller (there is no return to
watch), nor a child held for the user (``follow-fork-mode child``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deet.debugger.unwind import unwind
from deet.debuginfo import DebugInfoError
from deet.debuginfo.types import VoidType, strip
from deet.engine import ProcessTree, TreeProcess, stopped_frame
from deet.results import ForkSite

if TYPE_CHECKING:
    from deet.debugger.process import Process

# How many frames of the C library's fork are walked to reach the program's.
FORK_FRAMES = 8


def returns_nothing(process: Process, site: int) -> bool:
    """Whether the function holding the fork call that returns to ``site`` (a live return
    address) is out of line and void."""
    if len(process.place(site - 1).names) != 1:
        return False  # inlined: the call is in a function with no return of its own
    found = process.lookup(site - 1)
    if found is None or not found[0].info.has_debug_info:
        return False
    obj, link = found
    try:
        function = obj.info.function_die_at(link)
    except DebugInfoError:
        return False
    return (function is not None and function.type is not None
            and isinstance(strip(function.type.returns), VoidType))


def watch(process: Process, tree: ProcessTree, child: TreeProcess) -> None:
    """Unwind ``child``, stopped at its first instruction in the C library's fork, to the
    frame that called fork, and have the tree watch that frame's return."""
    site = child.fork_site
    if site is None:
        return
    with stopped_frame(child.pid) as stopped:
        if stopped is None:
            return
        registers, read = stopped
        frames = unwind(registers, read, process.unwind_row)
        for _ in range(FORK_FRAMES):
            frame = next(frames, None)
            if frame is None:
                return
            if frame.pc == site:
                caller = next(frames, None)
                break
        else:
            return
    if caller is None or frame.cfa is None or not _in_program(process, caller.pc):
        return
    tree.watch_return(child.pid, caller.pc, frame.cfa)


def _in_program(process: Process, live: int) -> bool:
    found = process.lookup(live)
    return found is not None and found[0] is process.space.program


def returned_to(process: Process, live: int) -> ForkSite:
    """The caller a runaway child returned into, named as a fork site is."""
    place = process.place(live - 1)
    location = place.location
    return ForkSite(place.function, location.file if location else None,
                    location.line if location else None)
