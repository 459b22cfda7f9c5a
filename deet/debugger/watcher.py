"""What the stop loop asks of watchpoints, so that ``core.py`` need not know how they work
(``debugger/watchpoints.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from deet.engine import StopEvent
from deet.results import Result

if TYPE_CHECKING:
    from deet.debugger.process import Process


class Watcher(Protocol):
    def stops(self, event: StopEvent) -> bool:
        """Whether ``event`` fired a watchpoint that stops the program (or ended one)."""

    def report(self, event: StopEvent) -> Result | None:
        """The stop to show for an event ``stops`` accepted; None for any other."""

    def started(self, process: Process) -> None:
        """``run`` started ``process``, before any of its code."""
