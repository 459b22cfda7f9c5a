"""What holds while the program runs: Ctrl-C is the program's, and time may be limited.

SIGINT: the terminal sends Ctrl-C to deet and the program alike, and a KeyboardInterrupt
raised inside ``waitpid`` would lose the program's stop, so deet does not raise it while the
program runs and reports the program's own SIGINT stop instead (passing the SIGINT on to a
program in another process group, which the terminal does not reach: one that called
``setsid()``, or one deet attached to). The time
limit: when it expires, SIGALRM sends the program a SIGSTOP (and kills a vfork child that
has not exec'd: its parent cannot stop while the child borrows it, and a time limit must
end the run). Such a SIGSTOP can arrive after the resume it was meant for has ended, so
the ones not yet seen are counted for as long as the process lives, and each is recognised
whenever it comes.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress


class RunGuard:
    """The SIGINT and time-limit set-up around each resume of process ``pid``."""

    def __init__(self, pid: int) -> None:
        self._pid = pid
        # A process deet attached to is not in the terminal's foreground group: Ctrl-C
        # reaches deet alone, which passes it on (gdb does the same).
        # The time limit of the current resume ran out.
        self.expired = False
        # SIGSTOPs the time limit sent that the program has not yet reported.
        self._unseen_sigstops = 0
        # A vfork child deet let go of that still borrows the process (no exec or exit
        # yet): until it is gone the parent cannot stop, so the time limit kills it.
        self.vfork_child: int | None = None

    @contextmanager
    def running(self, timeout: float | None) -> Iterator[None]:
        """Around one resume: SIGINT ignored, and with ``timeout`` a wall-clock limit.
        Entered once per resume, not per ptrace request: it is on the breakpoint hot path."""
        self.expired = False

        def expire(_signum, _frame) -> None:
            self.expired = True
            try:
                os.kill(self._pid, signal.SIGSTOP)
            except ProcessLookupError:
                return
            self._unseen_sigstops += 1
            if self.vfork_child is not None:
                with suppress(ProcessLookupError):
                    os.kill(self.vfork_child, signal.SIGKILL)

        previous_int = signal.signal(signal.SIGINT, self._pass_interrupt)
        previous_alarm = None
        if timeout is not None:
            previous_alarm = signal.signal(signal.SIGALRM, expire)
            signal.setitimer(signal.ITIMER_REAL, max(timeout, 0.001))
        try:
            yield
        finally:
            if timeout is not None:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous_alarm)
            signal.signal(signal.SIGINT, previous_int)

    def _pass_interrupt(self, _signum, _frame) -> None:
        """Ctrl-C while the program runs: the terminal sent it to deet's process group; a
        program that left it (``setsid()``, ``setpgid(0, 0)``) did not get it, so it is
        passed on, as gdb does. Never raises: the stop must not be lost in ``waitpid``."""
        with suppress(OSError):
            if os.getpgid(self._pid) != os.getpgrp():
                os.kill(self._pid, signal.SIGINT)

    def sent_sigstop(self) -> bool:
        """Whether a SIGSTOP the program reports is one the time limit sent; it is counted
        off, so each is recognised once."""
        if not self._unseen_sigstops:
            return False
        self._unseen_sigstops -= 1
        return True
