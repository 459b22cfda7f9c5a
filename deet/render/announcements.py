"""The text of what deet announces while the program runs (forks, execs, signals passed
over, breakpoints that could not be inserted or were deleted) and of the small answers
about the current thread, inferior and a breakpoint's condition: gdb's wording.

These register with ``text.text``; ``deet.render`` imports this module so they always do.
"""

from __future__ import annotations

from deet.render.text import text
from deet.results import (
    BreakpointDropped,
    ConditionChanged,
    ConditionError,
    CurrentInferior,
    CurrentThread,
    ExecStarted,
    ExecWithoutDebugInfo,
    ForkDetached,
    ForkFollowed,
    InferiorDetached,
    InsertFailed,
    NewInferior,
    SignalReceived,
)


@text.register
def _(result: SignalReceived) -> str:
    return f"Program received signal {result.signal}, {result.description}."


@text.register
def _(result: ConditionError) -> str:
    return f"Error in testing condition for breakpoint {result.breakpoint}:\n{result.message}"


@text.register
def _(result: InsertFailed) -> str:
    return f"Cannot insert breakpoint {result.breakpoint}: {result.message}"


@text.register
def _(result: BreakpointDropped) -> str:
    return f"Deleted breakpoint {result.breakpoint} ({result.spec}): {result.reason}."


@text.register
def _(result: NewInferior) -> str:
    return f"[New inferior {result.number} (process {result.pid})]"


@text.register
def _(result: ForkFollowed) -> str:
    return f"[Attaching after process {result.parent} fork to child process {result.child}]"


@text.register
def _(result: ForkDetached) -> str:
    how = "vfork" if result.vfork else "fork"
    return f"[Detaching after {how} from {result.side} process {result.pid}]"


@text.register
def _(result: InferiorDetached) -> str:
    return f"[Inferior {result.number} (process {result.pid}) detached]"


@text.register
def _(result: ExecStarted) -> str:
    return f"process {result.pid} is executing new program: {result.path}"


@text.register
def _(result: ExecWithoutDebugInfo) -> str:
    return f"{result.reason}; breakpoints that do not resolve in it are deleted"


@text.register
def _(result: CurrentThread) -> str:
    return f"[Current thread is {result.thread.number} (LWP {result.thread.tid})]"


@text.register
def _(result: CurrentInferior) -> str:
    row = result.inferior
    process = f"process {row.pid}" if row.pid is not None else "<null>"
    return f"[Current inferior is {row.number} [{process}] ({row.executable})]"


@text.register
def _(result: ConditionChanged) -> str:
    if result.condition is not None:
        return ""
    kind = "Watchpoint" if result.watchpoint else "Breakpoint"
    return f"{kind} {result.breakpoint} now unconditional."
