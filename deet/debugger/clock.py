"""One command's time: ``--timeout`` and ``interrupt``.

A time limit is a limit on a command, not on one resume: ``next`` over a loop on one line
is thousands of single steps, ``finish`` a continue to an internal breakpoint that a
condition or a fork may resume many times. ``command`` sets one deadline for all of it;
the stop loop (``Debugger.run_until``) hands the engine what is left of it for each resume
and, once it has passed, resumes nothing more: the command ends where the program is
(``out_of_time``), as when the engine's timer stopped it mid-run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator

from deet.debugger.process import Process
from deet.engine import StopEvent, StopKind


class CommandClock:
    def __init__(self) -> None:
        # ``--timeout``: how long one command may run the program before deet stops it.
        self.timeout: float | None = None
        self._deadline: float | None = None
        self._running = False

    @contextlib.contextmanager
    def command(self) -> Iterator[None]:
        """Around one command: everything it runs the program for shares one deadline."""
        self._deadline = None if self.timeout is None else time.monotonic() + self.timeout
        self._running = True
        try:
            yield
        finally:
            self._deadline = None
            self._running = False

    def deadline(self) -> float | None:
        """When the program must be stopped: the command's deadline, or (the debugger
        driven without ``command``) one from now."""
        if self._deadline is None and self.timeout is not None:
            return time.monotonic() + self.timeout
        return self._deadline

    def interrupt(self, process: Process | None) -> bool:
        """Stop the program a command is running, as Ctrl-C would: it is sent SIGINT, and
        the command ends with that stop. Only kill(2), so it is safe in a signal handler.
        False, and nothing sent, when no command is running the program."""
        if not self._running or process is None:
            return False
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGINT)
        return True


def out_of_time(process: Process) -> StopEvent:
    """The time ran out between two resumes of one command: a time-out where it stands."""
    inferior = process.inferior
    return StopEvent(StopKind.TIMEOUT, process.pid, signal=signal.SIGSTOP, pc=inferior.pc,
                     tid=inferior.thread.tid)
