"""Programs deet did not start: a process taken hold of by ``attach`` and let go of by
``detach``."""

from __future__ import annotations

from dataclasses import dataclass

from deet.results.data import SourceLine
from deet.results.frames import FrameLine


@dataclass(frozen=True)
class Attached:
    """``attach PID``: the program it runs, and where its selected thread was stopped."""

    pid: int
    executable: str
    frame: FrameLine
    source: SourceLine | None


@dataclass(frozen=True)
class Detached:
    """``detach`` (or ``quit`` after ``attach``): the process runs on, untraced."""

    number: int
    pid: int
    executable: str
