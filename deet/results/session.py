"""The debugger's own state: breakpoints, libraries, settings, the signal table, and
what the session says that is not about the program (messages, errors, echoed commands)."""

from __future__ import annotations

from deet.debuginfo import SourceLocation
from deet.results.reprs import result
from deet.results.shown import Shown
from deet.results.watching import WatchpointRow


@result
class BreakpointSet:
    """A new breakpoint; with no addresses it is pending (waiting for a library)."""

    number: int
    addresses: tuple[int, ...]
    location: SourceLocation | None = None
    spec: str = ""


@result
class BreakpointRow:
    """One breakpoint in ``info breakpoints``; ``places``: each address with its function
    and source location."""

    number: int
    temporary: bool
    enabled: bool
    places: tuple[tuple[int, str | None, SourceLocation | None], ...]
    condition: str | None
    hits: int
    ignore: int = 0


@result
class BreakpointTable:
    """``info breakpoints`` (watchpoints among the rows, by number) or, with
    ``watchpoints_only``, ``info watchpoints``."""

    rows: tuple[BreakpointRow | WatchpointRow, ...]
    watchpoints_only: bool = False


@result
class SharedLibrary:
    """A loaded shared object: its path, the live range of its .text, whether its debug
    info was found (in the file or a separate debug file)."""

    path: str
    low: int | None
    high: int | None
    debug_info: bool


@result
class SharedLibraries:
    libraries: tuple[SharedLibrary, ...]


@result
class SettingValue:
    """A setting's value; ``changed`` when a ``set`` just gave it (gdb then says nothing)."""

    name: str
    value: str
    changed: bool = False


@result
class SettingValues:
    values: tuple[SettingValue, ...]


@result
class SignalRow:
    name: str
    stop: bool
    print: bool
    pass_: bool
    description: str


@result
class SignalTable:
    """``handle`` (the entries it changed) and ``info signals`` (``listing``)."""

    rows: tuple[SignalRow, ...]
    listing: bool = False


@result
class Message:
    """Plain information for the user that is neither an error nor a program event."""

    text: str


@result
class Error:
    """A command that failed. ``script`` and ``script_line`` say where the command came from
    when it was read from a script file (``-x FILE``), so the user can find it."""

    message: str
    script: str | None = None
    script_line: int | None = None


@result
class InternalError(Error):
    """A command that failed because of a bug in deet, not the user's input: ``command``
    is the command's name, ``exception`` the Python exception's type, ``message`` its text.
    It is still an ``Error`` (one line, the session goes on, ``--batch`` counts it, the
    API raises ``SessionError``); ``traceback`` is there only under ``DEET_DEBUG=1``, for
    whoever fixes it."""

    command: str = ""
    exception: str = ""
    traceback: str | None = None


@result
class CommandEcho:
    """A command about to run, shown (``--echo``) so a script's output reads like a session."""

    command: str


@result
class Quit:
    pass


@result
class ScriptOutput:
    """What ``echo``, ``printf`` and ``output`` write: exactly ``text``, with no newline
    added (``echo`` writes one only where its text says ``\\n``)."""

    text: str


@result
class Completions:
    """``complete TEXT``: each way Tab could complete TEXT, as the whole line."""

    lines: tuple[str, ...]


@result
class Printf:
    """``printf``: ``format`` (Python's ``%`` syntax, made from the user's C format) and
    the arguments it takes; written with no newline added."""

    format: str
    arguments: tuple[object, ...]


@result
class OutputValue:
    """``output EXPR``: the value as ``print`` shows it, without ``$N = `` or a newline."""

    value: Shown
    format: str | None = None


@result
class IgnoreCount:
    """``ignore N COUNT`` and ``continue COUNT``: breakpoint N lets the next ``count``
    crossings pass. ``continuing``: said by ``continue``, which then resumes the program."""

    breakpoint: int
    count: int
    continuing: bool = False


@result
class ConditionChanged:
    """``condition N [COND]``: breakpoint N's new condition (None: it stops always);
    ``watchpoint``: N is a watchpoint."""

    breakpoint: int
    condition: str | None
    watchpoint: bool = False
