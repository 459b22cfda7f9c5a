"""What watchpoints and auto-displays produce: a watchpoint set, a stop because one fired
(or went out of scope), their rows in ``info breakpoints``, and the displays shown after a
stop."""

from __future__ import annotations

from deet.results.data import Examined, SourceLine
from deet.results.frames import FrameLine, ThreadTag
from deet.results.reprs import result
from deet.results.shown import Shown


@result
class WatchpointSet:
    """``kind``: "watch", "rwatch" or "awatch"; ``hardware``: in the debug registers
    (else deet single-steps and compares, gdb's software watchpoint)."""

    number: int
    kind: str
    hardware: bool
    expression: str


@result
class WatchHit:
    """One watchpoint that fired: ``old`` is None where gdb prints ``Value =`` alone
    (a read, or an access that changed nothing)."""

    number: int
    kind: str
    hardware: bool
    expression: str
    old: Shown | None
    new: Shown


@result
class WatchpointStopped:
    """The program stopped because watchpoints fired (``hits``) or because the frame of a
    watched local returned (``left_scope``: the watchpoints deleted for it)."""

    hits: tuple[WatchHit, ...]
    left_scope: tuple[int, ...]
    pc: int
    frame: FrameLine
    source: SourceLine | None
    thread: ThreadTag | None = None
    switched: bool = False


@result
class WatchpointRow:
    """A watchpoint in ``info breakpoints`` / ``info watchpoints``."""

    number: int
    kind: str
    hardware: bool
    enabled: bool
    expression: str
    condition: str | None
    hits: int


@result
class DisplayItem:
    """One auto-display as shown: ``format`` is the print-style letter, or the ``x``
    format as typed; ``examine``: what ``x`` shows (``x``-style: a size or ``i``/``s``
    letter); ``error``: why its value could not be shown (``examine_style``: in an
    ``x``-style display, which was to start at ``error_address``)."""

    number: int
    expression: str
    format: str | None
    value: Shown | None = None
    examine: Examined | None = None
    error: str | None = None
    examine_style: bool = False
    error_address: int | None = None


@result
class Displays:
    """The displays shown after a stop, or by ``display``."""

    items: tuple[DisplayItem, ...]


@result
class DisplayRow:
    """``elsewhere``: it uses locals of another function than the selected frame's."""

    number: int
    enabled: bool
    format: str | None
    expression: str
    elsewhere: bool = False


@result
class DisplayTable:
    """``info display``."""

    rows: tuple[DisplayRow, ...]
