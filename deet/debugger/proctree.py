"""The program's process tree as the debugger sees it: every process the program created,
the free-running ones serviced between commands, and all of them ended on the way out.

The engine's ``ProcessTree`` keeps the processes and their events; this module listens to
those events (for the fork diagnostics) and answers ``info processes``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deet.engine import TreeEvent

if TYPE_CHECKING:
    from deet.debugger.core import Debugger


def watch(debugger: Debugger) -> None:
    """Listen to the events of the run just started."""
    debugger.tree.listener = lambda event: _on_event(debugger, event)


def _on_event(debugger: Debugger, event: TreeEvent) -> None:
    """Each fork, exec and exit anywhere in the tree, as it happens."""


def service(debugger: Debugger) -> None:
    """Between commands: handle what the free-running processes did meanwhile, without
    blocking, so none stays stopped at an event while the user reads."""
    debugger.tree.poll()


def finish(debugger: Debugger, grace: float) -> None:
    """On the way out, after the held processes were killed: nothing is left."""
    debugger.tree.finish(grace, debugger.capture)
