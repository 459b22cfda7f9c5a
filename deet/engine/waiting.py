"""Waiting for one of several traced threads without ``waitpid(-1)``.

``waitpid(-1)`` would also reap children that are not the debugger's business: the
program's own children once they are re-parented to a subreaper deet runs under, and, in
the Python API, every other child of the host process (the Popen pitfall in
docs/design.md). So deet waits on the thread ids it traces, one by one, with ``WNOHANG``,
and sleeps in ``select()`` until SIGCHLD says something changed: the signal's handler does
nothing, but ``signal.set_wakeup_fd`` turns its arrival into a byte on a pipe. That stays
on deet's one thread, and it lets the same ``select()`` watch the program's output.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import time
from collections.abc import Callable, Iterable

WALL = 0x40000000
CHUNK = 65536

# What a poll found: (thread id, wait status), or None when nothing has changed yet.
Found = tuple[int, int] | None
Poll = Callable[[], Found]


def poll_threads(tids: Iterable[int]) -> Found:
    """The first of ``tids`` with a state change to collect, without blocking."""
    for tid in tids:
        try:
            pid, status = os.waitpid(tid, WALL | os.WNOHANG)
        except ChildProcessError:
            continue
        if pid:
            return pid, status
    return None


def _nothing(_signum, _frame) -> None:
    """SIGCHLD needs a handler of its own for the wake-up byte to be written."""


class ChildWatch:
    """Sleeps until ``poll`` finds a change, also serving ``readers`` (descriptor ->
    callback) whenever they have data. Created once; each ``wait`` installs the SIGCHLD
    wake-up only for its own duration."""

    def __init__(self) -> None:
        self._wake_r, self._wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)

    def wait(self, poll: Poll, readers: dict[int, Callable[[int], None]] | None = None,
             timeout: float | None = None) -> Found:
        """What ``poll`` found, or None once ``timeout`` seconds have passed."""
        readers = readers or {}
        deadline = None if timeout is None else time.monotonic() + timeout
        previous_handler = signal.signal(signal.SIGCHLD, _nothing)
        previous_fd = signal.set_wakeup_fd(self._wake_w, warn_on_full_buffer=False)
        try:
            while (found := poll()) is None:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    break
                ready, _, _ = select.select([self._wake_r, *readers], [], [], left)
                for fd in ready:
                    if fd == self._wake_r:
                        with contextlib.suppress(BlockingIOError):
                            os.read(self._wake_r, CHUNK)
                    else:
                        readers[fd](fd)
        finally:
            signal.set_wakeup_fd(previous_fd)
            signal.signal(signal.SIGCHLD, previous_handler)
        return found

    def close(self) -> None:
        if self._wake_r >= 0:
            os.close(self._wake_r)
            os.close(self._wake_w)
            self._wake_r = self._wake_w = -1
