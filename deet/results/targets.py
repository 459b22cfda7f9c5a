"""Programs deet did not start: a process taken hold of by ``attach`` and let go of by
``detach``, and one that ended in a core file."""

from __future__ import annotations

from deet.results.data import SourceLine
from deet.results.frames import FrameLine, ThreadTag
from deet.results.reprs import result


@result
class Attached:
    """``attach PID``: the program it runs, and where its selected thread was stopped."""

    pid: int
    executable: str
    frame: FrameLine
    source: SourceLine | None


@result
class Detached:
    """``detach`` (or ``quit`` after ``attach``): the process runs on, untraced."""

    number: int
    pid: int
    executable: str


@result
class CoreLoaded:
    """A core file taken as the process to debug: the command line it ran, the signal
    that ended it (None when the core says none), and where its first thread (the one
    that took the signal) was; ``thread`` names it when the core has several."""

    path: str
    command: str
    signal: str | None
    description: str | None
    frame: FrameLine
    source: SourceLine | None
    thread: ThreadTag | None = None
