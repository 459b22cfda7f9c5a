"""What commands and the running program produce, as typed values.

Commands return these; the debugger core announces some of them as events (a program
killed to make way for a new one). ``deet.render`` is the only place that turns them into
text or JSON, and the Python API hands them to callers as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deet.debuginfo import SourceLocation
from deet.engine import StopKind

__all__ = [
    "Backtrace",
    "BreakpointSet",
    "CommandEcho",
    "Error",
    "Exited",
    "Frame",
    "InferiorKilled",
    "Message",
    "ProgramOutput",
    "Quit",
    "Result",
    "SettingValue",
    "SettingValues",
    "SharedLibraries",
    "SharedLibrary",
    "Signaled",
    "SourceLine",
    "SourceLocation",
    "StopKind",
    "Stopped",
    "TimedOut",
]


@dataclass(frozen=True)
class SourceLine:
    """A line of source text, shown at a stop when the file is readable."""

    line: int
    text: str


@dataclass(frozen=True)
class Stopped:
    """The program is alive and stopped: at a breakpoint, after a step, or by a signal."""

    reason: StopKind
    signal: str
    pc: int
    function: str | None
    location: SourceLocation | None
    breakpoint: int | None = None
    source: SourceLine | None = None


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
    | ProgramOutput
)
