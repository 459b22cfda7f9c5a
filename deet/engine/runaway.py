"""Whether a fork child returned from the function it was forked in: the lecture's runaway
child, which runs on in code meant for its parent instead of exiting.

The debugger unwinds the new child (stopped at its first instruction, with a copy of its
parent's stack) to the forking function's frame and asks for a watch on that frame's
return: one int3 of deet's at the return address, in the child's own memory. The stack
pointer tells a return of that very frame (``%rsp`` is the frame's CFA once ``ret`` has
popped the return address) from a deeper call returning to the same place. Either way the
byte is put back and the pc rewound at the first hit: one hit a child, at most. A child
that exits or execs first never meets it, and a child of the child inherits it, armed,
with the memory: it too would return into the parent's code.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ptrace.binding.func import ptrace_getregs

from deet.engine.execwatch import INT3, Trap, arm, disarm, take_back
from deet.engine.memory import Memory
from deet.engine.registers import Registers
from deet.engine.tracing import EngineError

Read = Callable[[int, int], bytes]


@dataclass(frozen=True)
class ReturnWatch:
    """deet's int3 at ``address``, the forking function's return address, in a child;
    ``cfa``: the stack pointer once that function has returned."""

    address: int
    cfa: int
    saved: int


def watch_return(pid: int, address: int, cfa: int) -> ReturnWatch | None:
    """None where it cannot be armed, or where an int3 is already (a breakpoint of the
    parent's, about to be cleaned out of the child's copy)."""
    trap = arm(pid, address)
    if trap is None:
        return None
    if trap.saved == INT3:
        disarm(pid, trap)
        return None
    return ReturnWatch(address, cfa, trap.saved)


def return_hit(tid: int, watches: list[ReturnWatch]) -> tuple[ReturnWatch, bool] | None:
    """The watch ``tid`` stopped on (disarmed and rewound, then) and whether the watched
    frame itself returned; None when the stop is not at one."""
    regs = ptrace_getregs(tid)
    for watch in watches:
        if regs.rip - 1 == watch.address:
            take_back(tid, Trap(watch.address, watch.saved), regs)
            return watch, regs.rsp == watch.cfa
    return None


@contextlib.contextmanager
def stopped_frame(pid: int) -> Iterator[tuple[dict[str, int], Read] | None]:
    """The registers and a memory reader of a stopped free-running process (a new fork
    child), for the debugger to unwind; None when it cannot be read."""
    try:
        registers = Registers(pid).as_dict()
        memory = Memory(pid)
    except (EngineError, OSError):
        yield None
        return
    try:
        yield registers, memory.read
    finally:
        memory.close()

