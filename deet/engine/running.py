"""What holds while the program runs: Ctrl-C is the program's, and time may be limited.

SIGINT: the terminal sends Ctrl-C to deet and the program alike, and a KeyboardInterrupt
raised inside ``waitpid`` would lose the program's stop, so deet ignores SIGINT while the
program runs and reports the program's own SIGINT stop instead (an attached program, in
a process group of its own, is sent the SIGINT deet received). The time limit: when it
expires, SIGALRM sends the program a SIGSTOP. Such a SIGSTOP can arrive after the resume
it was meant for has ended, so the ones not yet seen are counted for as long as the
process lives, and each is recognised whenever it comes.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager


class RunGuard:
    """The SIGINT and time-limit set-up around each resume of process ``pid``."""

    def __init__(self, pid: int) -> None:
        self._pid = pid
        # A process deet attached to is not in the terminal's foreground group: Ctrl-C
        # reaches deet alone, which passes it on (gdb does the same).
        self.forward_sigint = False
        # The time limit of the current resume ran out.
        self.expired = False
        # SIGSTOPs the time limit sent that the program has not yet reported.
        self._unseen_sigstops = 0

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

        def forward(_signum, _frame) -> None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGINT)

        previous_int = signal.signal(signal.SIGINT,
                                     forward if self.forward_sigint else signal.SIG_IGN)
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

    def sent_sigstop(self) -> bool:
        """Whether a SIGSTOP the program reports is one the time limit sent; it is counted
        off, so each is recognised once."""
        if not self._unseen_sigstops:
            return False
        self._unseen_sigstops -= 1
        return True
