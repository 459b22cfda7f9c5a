"""The program's life as it happens: stops, exits, the output it wrote, and what deet
announces on the way (forks followed or let go of, execs, signals passed over, breakpoints
that could not be inserted or no longer resolve)."""

from __future__ import annotations

import enum

from deet.debuginfo import SourceLocation
from deet.results.data import SourceLine
from deet.results.frames import ThreadTag
from deet.results.reprs import result


class StopReason(enum.Enum):
    """Why a live program stopped, as results say it (the engine's own event kinds stay in
    the engine)."""

    BREAKPOINT = "breakpoint"
    STEP = "step"
    SIGNAL = "signal"


@result
class Stopped:
    """The program is alive and stopped: at a breakpoint, after a step, or by a signal.
    ``thread``: the thread that stopped, when the program has several; ``switched``: it is
    not the thread that was selected before (gdb then says so)."""

    reason: StopReason
    signal: str
    pc: int
    function: str | None
    location: SourceLocation | None
    breakpoint: int | None = None
    source: SourceLine | None = None
    thread: ThreadTag | None = None
    switched: bool = False


@result
class Exited:
    status: int


@result
class Signaled:
    """The program died of a signal."""

    signal: str


@result
class TimedOut:
    """A command ran the program longer than the time limit: deet stopped it where it was,
    alive, as Ctrl-C would (``bt`` then shows where it spun). The fields after ``pid`` are
    a ``Stopped``'s."""

    seconds: float
    pid: int
    pc: int
    function: str | None
    location: SourceLocation | None
    source: SourceLine | None = None
    thread: ThreadTag | None = None
    switched: bool = False


@result
class InferiorKilled:
    """A live program was killed (and reaped) to make way for a new run, or on quit."""

    pid: int


@result
class ProgramOutput:
    """Text the program wrote to ``stream`` ("stdout" or "stderr"), captured by deet: one
    whole line with its newline, or what the program had written of a line when it stopped."""

    stream: str
    text: str


# -- what deet announces while the program runs ---------------------------------------------


@result
class SignalReceived:
    """A signal ``handle`` says to print but not to stop for arrived (and was passed on to
    the program, or not, as ``handle`` says)."""

    signal: str
    description: str


@result
class ConditionError:
    """A breakpoint's condition could not be evaluated; the breakpoint stops, as in gdb."""

    breakpoint: int
    message: str


@result
class InsertFailed:
    """An int3 of a breakpoint could not be written into the program's memory; that
    location is skipped."""

    breakpoint: int
    message: str


@result
class BreakpointDropped:
    """A breakpoint that names nothing in the program now running (after an exec, or a
    ``run`` of the original program) was deleted."""

    breakpoint: int
    spec: str
    reason: str


@result
class NewInferior:
    """A forked process deet keeps, as a new inferior."""

    number: int
    pid: int


@result
class ForkFollowed:
    """``follow-fork-mode child``: deet goes on with the child of ``parent``'s fork."""

    parent: int
    child: int


@result
class ForkDetached:
    """deet let go of one side of a fork: ``side`` is "child" (the usual case) or
    "parent" (after following the child); ``vfork``: the child came from vfork."""

    pid: int
    side: str
    vfork: bool = False


@result
class InferiorDetached:
    """The inferior deet let go of after following a fork's child."""

    number: int
    pid: int


@result
class ExecStarted:
    """Process ``pid`` ran ``execve``: its new program is ``path``."""

    pid: int
    path: str


@result
class ExecWithoutDebugInfo:
    """The program an exec started has no debug info deet can use: frames are named by its
    symbols, and breakpoints that do not resolve in it are dropped."""

    path: str
    reason: str
