"""Frames and where the program is: backtraces, frame lines, steps that ended, threads
and inferiors with the frame each is stopped in."""

from __future__ import annotations

from dataclasses import field

from deet.debuginfo import SourceLocation
from deet.results.data import Printed, SourceLine, Variables
from deet.results.reprs import result
from deet.results.shown import Shown


@result
class ThreadTag:
    """A thread as ``info threads`` numbers it, and its kernel id (LWP)."""

    number: int
    tid: int


@result
class Frame:
    """One line of a backtrace. ``library`` names the shared object for code outside the
    program; ``signal_handler`` marks the kernel's signal trampoline."""

    pc: int
    function: str | None
    location: SourceLocation | None
    library: str | None = None
    signal_handler: bool = False


@result
class Backtrace:
    """``more``: frames beyond these exist (``bt N``); ``locals``: with ``bt full``, each
    frame's locals (None for a frame that has no scope to show), else None."""

    frames: tuple[Frame, ...] = field(default_factory=tuple)
    more: bool = False
    locals: tuple[Variables | None, ...] | None = None


@result
class FrameArg:
    """A parameter in a frame line: its value, and what it was worth when the function
    was entered, from the caller's call site (gdb's ``x@entry``), when that is known;
    ``same``: the two are equal (gdb then writes ``x=x@entry=5``)."""

    name: str
    value: Shown
    entry: Shown | None = None
    same: bool = False


@result
class FrameLine:
    """A frame as gdb describes it. ``show_address``: the pc is not where its line starts
    (a caller's frame, a stop mid-line); ``library``: the file mapped there when no
    function is known."""

    level: int
    pc: int
    function: str | None
    args: tuple[FrameArg, ...]
    location: SourceLocation | None
    show_address: bool
    library: str | None = None


@result
class FrameReport:
    """``frame``/``up``/``down``: the selected frame's line and its source line."""

    frame: FrameLine
    source: SourceLine | None


@result
class Stepped:
    """A ``next``/``step``/``stepi``/``nexti`` that ended where it was meant to.
    ``new_place``: it ended in another frame or function than it began in."""

    frame: FrameLine
    source: SourceLine | None
    new_place: bool


@result
class RunTillExit:
    """``finish`` announcing the frame it runs out of, before the program runs."""

    frame: FrameLine


@result
class Finished:
    """``finish`` arrived in the caller; ``value`` is the returned value (None: void)."""

    frame: FrameLine
    source: SourceLine | None
    value: Printed | None


@result
class ThreadRow:
    thread: ThreadTag
    name: str
    current: bool
    frame: FrameLine | None


@result
class ThreadList:
    """``info threads``."""

    rows: tuple[ThreadRow, ...]


@result
class ThreadSwitched:
    """``thread N``: the thread now selected and its innermost frame."""

    thread: ThreadTag
    frame: FrameLine
    source: SourceLine | None


@result
class InferiorRow:
    """``pid`` is None for an inferior whose process is gone."""

    number: int
    pid: int | None
    executable: str
    current: bool


@result
class InferiorList:
    """``info inferiors``."""

    rows: tuple[InferiorRow, ...]


@result
class InferiorSwitched:
    """``inferior N``: the process now selected, and where it is stopped."""

    inferior: InferiorRow
    thread: ThreadTag
    frame: FrameLine
    source: SourceLine | None


@result
class ThreadApplied:
    """``thread apply``: the results that follow are the command's in this thread."""

    thread: ThreadTag
    name: str | None


@result
class CurrentThread:
    """``thread`` without a number: which thread is selected."""

    thread: ThreadTag


@result
class CurrentInferior:
    """``inferior`` without a number: which inferior is selected (``pid`` None when its
    program is not running)."""

    inferior: InferiorRow


@result
class FrameInfo:
    """``info frame``: the selected frame as gdb's x86-64 code describes it. ``cfa``: the
    frame's address (its CFA; None for the outermost frame, which gdb shows as 0x0);
    ``saved_pc``: the caller's pc (None: not saved); ``caller_cfa``/``callee_cfa``: the
    frames it was called by and is the caller of (None where there is none to show);
    ``inlined_into``: for an inlined call's frame, the level of the frame it is in;
    ``base``: where gdb says the arguments and locals are (None: unknown, as for an
    inlined call); ``previous_sp``: the caller's %rsp (None: the caller's is this frame's
    %rsp, an inlined call's); ``previous_sp_at``: where the caller's %rsp is saved
    instead (a signal frame); ``saved``: where the caller's other registers are saved, in
    gdb's register order; ``selected``: the selected frame was described (gdb then names its
    level)."""

    level: int
    cfa: int | None
    pc: int
    function: str | None
    location: SourceLocation | None
    saved_pc: int | None
    outermost: bool
    caller_cfa: int | None
    callee_cfa: int | None
    language: str | None
    base: int | None
    args: tuple[FrameArg, ...]
    previous_sp: int | None
    saved: tuple[tuple[str, int], ...]
    selected: bool = True
    inlined_into: int | None = None
    previous_sp_at: int | None = None
