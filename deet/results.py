"""What commands and the running program produce, as typed values.

Commands return these; the debugger core announces some of them as events (a program
killed to make way for a new one). ``deet.render`` is the only place that turns them into
text or JSON, and the Python API hands them to callers as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deet.debuginfo import SourceLocation
from deet.engine import StopKind
from deet.shown import CString, Shown

__all__ = [
    "Backtrace",
    "BreakpointRow",
    "BreakpointSet",
    "BreakpointTable",
    "CodeRow",
    "CommandEcho",
    "Disassembly",
    "Error",
    "Examined",
    "Exited",
    "Finished",
    "Frame",
    "FrameLine",
    "FrameReport",
    "InferiorKilled",
    "InferiorList",
    "InferiorRow",
    "InferiorSwitched",
    "Listing",
    "MemoryRow",
    "Message",
    "Printed",
    "ProgramOutput",
    "Quit",
    "RegisterRow",
    "RegisterTable",
    "Result",
    "RunTillExit",
    "SettingValue",
    "SettingValues",
    "SharedLibraries",
    "SharedLibrary",
    "SignalRow",
    "SignalTable",
    "Signaled",
    "SourceLine",
    "SourceLocation",
    "Stepped",
    "StopKind",
    "Stopped",
    "ThreadList",
    "ThreadRow",
    "ThreadSwitched",
    "ThreadTag",
    "TimedOut",
    "Variables",
]


@dataclass(frozen=True)
class SourceLine:
    """A line of source text, shown at a stop when the file is readable."""

    line: int
    text: str


@dataclass(frozen=True)
class ThreadTag:
    """A thread as ``info threads`` numbers it, and its kernel id (LWP)."""

    number: int
    tid: int


@dataclass(frozen=True)
class Stopped:
    """The program is alive and stopped: at a breakpoint, after a step, or by a signal.
    ``thread``: the thread that stopped, when the program has several; ``switched``: it is
    not the thread that was selected before (gdb then says so)."""

    reason: StopKind
    signal: str
    pc: int
    function: str | None
    location: SourceLocation | None
    breakpoint: int | None = None
    source: SourceLine | None = None
    thread: ThreadTag | None = None
    switched: bool = False


@dataclass(frozen=True)
class Exited:
    status: int


@dataclass(frozen=True)
class Signaled:
    """The program died of a signal."""

    signal: str


@dataclass(frozen=True)
class TimedOut:
    """The program ran past the time limit; it has been killed and reaped."""

    seconds: float
    pid: int


@dataclass(frozen=True)
class InferiorKilled:
    """A live program was killed (and reaped) to make way for a new run, or on quit."""

    pid: int


@dataclass(frozen=True)
class BreakpointSet:
    """A new breakpoint; with no addresses it is pending (waiting for a library)."""

    number: int
    addresses: tuple[int, ...]
    location: SourceLocation | None = None
    spec: str = ""


@dataclass(frozen=True)
class BreakpointRow:
    """One breakpoint in ``info breakpoints``; ``places``: each address with its function
    and source location."""

    number: int
    temporary: bool
    enabled: bool
    places: tuple[tuple[int, str | None, SourceLocation | None], ...]
    condition: str | None
    hits: int


@dataclass(frozen=True)
class BreakpointTable:
    rows: tuple[BreakpointRow, ...]


@dataclass(frozen=True)
class Frame:
    """One line of a backtrace. ``library`` names the shared object for code outside the
    program; ``signal_handler`` marks the kernel's signal trampoline."""

    pc: int
    function: str | None
    location: SourceLocation | None
    library: str | None = None
    signal_handler: bool = False


@dataclass(frozen=True)
class Backtrace:
    frames: tuple[Frame, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SharedLibrary:
    """A loaded shared object: its path, the live range of its .text, whether its debug
    info was found (in the file or a separate debug file)."""

    path: str
    low: int | None
    high: int | None
    debug_info: bool


@dataclass(frozen=True)
class SharedLibraries:
    libraries: tuple[SharedLibrary, ...]


@dataclass(frozen=True)
class SettingValue:
    """A setting's value; ``changed`` when a ``set`` just gave it (gdb then says nothing)."""

    name: str
    value: str
    changed: bool = False


@dataclass(frozen=True)
class SettingValues:
    values: tuple[SettingValue, ...]


@dataclass(frozen=True)
class Printed:
    """``print``'s answer: the value history number and the value; ``format``: the
    letter of ``print/FMT``."""

    number: int
    value: Shown
    format: str | None = None


@dataclass(frozen=True)
class Variables:
    """``info locals`` / ``info args``: names and values, or ``empty`` when there are none."""

    items: tuple[tuple[str, Shown], ...]
    empty: str


@dataclass(frozen=True)
class FrameLine:
    """A frame as gdb describes it. ``show_address``: the pc is not where its line starts
    (a caller's frame, a stop mid-line); ``library``: the file mapped there when no
    function is known."""

    level: int
    pc: int
    function: str | None
    args: tuple[tuple[str, Shown], ...]
    location: SourceLocation | None
    show_address: bool
    library: str | None = None


@dataclass(frozen=True)
class FrameReport:
    """``frame``/``up``/``down``: the selected frame's line and its source line."""

    frame: FrameLine
    source: SourceLine | None


@dataclass(frozen=True)
class Stepped:
    """A ``next``/``step``/``stepi``/``nexti`` that ended where it was meant to.
    ``new_place``: it ended in another frame or function than it began in."""

    frame: FrameLine
    source: SourceLine | None
    new_place: bool


@dataclass(frozen=True)
class Listing:
    """``list``: numbered source lines."""

    lines: tuple[SourceLine, ...]


@dataclass(frozen=True)
class MemoryRow:
    """One line of ``x``: its address (and symbol), the units read, the string (``x/s``)
    or the error that stopped the reading; ``symbols``: for ``x/a``, each unit's."""

    address: int
    symbol: str | None
    items: tuple[int, ...]
    string: CString | None = None
    error: str | None = None
    symbols: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class CodeRow:
    """One instruction; ``at_pc`` marks the selected frame's pc (gdb's ``=>``)."""

    address: int
    size: int
    symbol: str | None
    mnemonic: str
    operands: str
    at_pc: bool
    target: int | None = None
    target_symbol: str | None = None
    rip_relative: int | None = None
    rip_symbol: str | None = None


@dataclass(frozen=True)
class Examined:
    format: str
    size: int
    rows: tuple[MemoryRow, ...] | tuple[CodeRow, ...]


@dataclass(frozen=True)
class Disassembly:
    function: str
    start: int
    rows: tuple[CodeRow, ...]


@dataclass(frozen=True)
class RegisterRow:
    """``kind``: int, pointer, code, flags or segment (what gdb's natural column shows);
    ``value`` None: not saved in this frame."""

    name: str
    value: int | None
    kind: str
    symbol: str | None = None


@dataclass(frozen=True)
class RegisterTable:
    rows: tuple[RegisterRow, ...]


@dataclass(frozen=True)
class RunTillExit:
    """``finish`` announcing the frame it runs out of, before the program runs."""

    frame: FrameLine


@dataclass(frozen=True)
class Finished:
    """``finish`` arrived in the caller; ``value`` is the returned value (None: void)."""

    frame: FrameLine
    source: SourceLine | None
    value: Printed | None


@dataclass(frozen=True)
class ThreadRow:
    thread: ThreadTag
    name: str
    current: bool
    frame: FrameLine | None


@dataclass(frozen=True)
class ThreadList:
    """``info threads``."""

    rows: tuple[ThreadRow, ...]


@dataclass(frozen=True)
class ThreadSwitched:
    """``thread N``: the thread now selected and its innermost frame."""

    thread: ThreadTag
    frame: FrameLine
    source: SourceLine | None


@dataclass(frozen=True)
class InferiorRow:
    """``pid`` is None for an inferior whose process is gone."""

    number: int
    pid: int | None
    executable: str
    current: bool


@dataclass(frozen=True)
class InferiorList:
    """``info inferiors``."""

    rows: tuple[InferiorRow, ...]


@dataclass(frozen=True)
class InferiorSwitched:
    """``inferior N``: the process now selected, and where it is stopped."""

    inferior: InferiorRow
    thread: ThreadTag
    frame: FrameLine
    source: SourceLine | None


@dataclass(frozen=True)
class SignalRow:
    name: str
    stop: bool
    print: bool
    pass_: bool
    description: str


@dataclass(frozen=True)
class SignalTable:
    """``handle`` (the entries it changed) and ``info signals`` (``listing``)."""

    rows: tuple[SignalRow, ...]
    listing: bool = False


@dataclass(frozen=True)
class Message:
    """Plain information for the user that is neither an error nor a program event."""

    text: str


@dataclass(frozen=True)
class Error:
    """A command that failed. ``script`` and ``script_line`` say where the command came from
    when it was read from a script file (``-x FILE``), so the user can find it."""

    message: str
    script: str | None = None
    script_line: int | None = None


@dataclass(frozen=True)
class CommandEcho:
    """A command about to run, shown (``--echo``) so a script's output reads like a session."""

    command: str


@dataclass(frozen=True)
class ProgramOutput:
    """Text the program wrote to ``stream`` ("stdout" or "stderr"), captured by deet: one
    whole line with its newline, or what the program had written of a line when it stopped."""

    stream: str
    text: str


@dataclass(frozen=True)
class Quit:
    pass


Result = (
    Stopped | Exited | Signaled | TimedOut | InferiorKilled | BreakpointSet | Backtrace
    | SharedLibraries | SettingValue | SettingValues | Message | Error | Quit | CommandEcho
    | ProgramOutput | Printed | Variables | FrameReport | Stepped | RunTillExit
    | Finished | Listing | BreakpointTable | Examined | Disassembly | RegisterTable
    | ThreadList | ThreadSwitched | InferiorList | InferiorSwitched | SignalTable
)
