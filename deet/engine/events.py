"""Plain values for what the traced program did, so no layer above sees a wait status."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class StopKind(enum.Enum):
    BREAKPOINT = "breakpoint"
    STEP = "step"
    SIGNAL = "signal"
    EXITED = "exited"
    KILLED = "killed"
    TIMEOUT = "timeout"
    FORKED = "forked"
    EXECED = "execed"
    # A hardware watchpoint fired while the program ran (a single step that fired one
    # stays a STEP, with ``watch`` set), or a step taken only to watch in software.
    WATCH = "watch"


@dataclass(frozen=True)
class StopEvent:
    """One change of the program's state, as the engine observed it.

    ``signal`` is the stopping signal (SIGNAL, BREAKPOINT, STEP, TIMEOUT) or the fatal one
    (KILLED); ``status`` is the exit code (EXITED); ``pc`` is set while the program is alive,
    and for a breakpoint it is the breakpoint's address (the engine rewinds past the int3).
    ``tid`` is the thread that stopped; ``child`` the new process of a FORKED event (which
    the engine reports only when deet follows the child). ``watch``: the debug registers
that fired (DR6's B0-B3), 0 for none.
    """

    kind: StopKind
    pid: int
    signal: int | None = None
    status: int | None = None
    pc: int | None = None
    tid: int | None = None
    child: int | None = None
    watch: int = 0

    @property
    def alive(self) -> bool:
        return self.kind not in (StopKind.EXITED, StopKind.KILLED)
