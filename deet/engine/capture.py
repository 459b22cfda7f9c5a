"""The program's stdout and stderr, captured while deet waits on it (``--json``, the API).

Why pseudo-terminals, not pipes: C's stdio fully buffers a pipe, so what a program prints
before a breakpoint would arrive only at its exit, and a program that crashes or is killed
would lose it all. On a terminal it writes each line as a person would see it. Each stream
has a terminal of its own, so stdout and stderr stay apart, and output processing (OPOST)
is off, so a "\\n" stays a "\\n".

Why a token: a pty passes bytes to its reading side asynchronously (a kernel worker pushes
them), so "the program has stopped and nothing is readable" does not mean everything it
wrote has been read. After every stop deet writes a token of its own into each terminal and
reads up to it: what comes before the token is all the program wrote before it stopped. So
each stop's output is complete before the stop is reported, the same on every run.

Waiting stays on one thread: SIGCHLD's handler does nothing, but ``signal.set_wakeup_fd``
turns its arrival into a byte on a pipe, so one ``select()`` sleeps until there is output to
read or a state change to collect with ``waitpid(WNOHANG | __WALL)``.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import termios
from collections.abc import Callable

from deet.launcher import Child

# A callback for each piece of output: the stream ("stdout" or "stderr") and the text.
Sink = Callable[[str, str], None]

WALL = 0x40000000
CHUNK = 65536


def _nothing(_signum, _frame) -> None:
    """SIGCHLD needs a handler of its own for the wake-up byte to be written."""


class _Terminal:
    """One pseudo-terminal: the program writes to ``slave``; deet reads ``master``."""

    def __init__(self, stream: str) -> None:
        self.stream = stream
        self.master, self.slave = os.openpty()
        attributes = termios.tcgetattr(self.slave)
        attributes[1] &= ~termios.OPOST
        termios.tcsetattr(self.slave, termios.TCSANOW, attributes)
        # deet writes its token through a description of its own, non-blocking, so the
        # program's stdout never turns non-blocking under it.
        self.writer = os.open(
            os.ttyname(self.slave), os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
        )
        self.unsent = b""

    def close(self) -> None:
        for fd in (self.writer, self.slave, self.master):
            os.close(fd)


class OutputCapture:
    """Terminals for the program's stdout and stderr, read while deet waits on it.

    Output goes to ``sink`` a whole line at a time while the program runs, and whatever is
    left of a line when it stops, so the pieces are the same however the reads fall."""

    def __init__(self, sink: Sink) -> None:
        self._sink = sink
        self._terminals = [_Terminal("stdout"), _Terminal("stderr")]
        self._token = b"\0deet-sync-" + os.urandom(8).hex().encode() + b"\0"
        self._wake_r, self._wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)

    @property
    def stdout(self) -> int:
        """The descriptor to give the program as its stdout."""
        return self._terminals[0].slave

    @property
    def stderr(self) -> int:
        return self._terminals[1].slave

    def wait(self, child: Child) -> int:
        """``waitpid(__WALL)`` on ``child``, passing its output on while it runs."""
        by_fd = {terminal.master: terminal for terminal in self._terminals}
        previous_handler = signal.signal(signal.SIGCHLD, _nothing)
        previous_fd = signal.set_wakeup_fd(self._wake_w, warn_on_full_buffer=False)
        try:
            while (status := child.wait(WALL | os.WNOHANG)) is None:
                ready, _, _ = select.select([self._wake_r, *by_fd], [], [])
                for fd in ready:
                    if fd == self._wake_r:
                        with contextlib.suppress(BlockingIOError):
                            os.read(self._wake_r, CHUNK)
                    else:
                        self._received(by_fd[fd], os.read(fd, CHUNK))
        finally:
            signal.set_wakeup_fd(previous_fd)
            signal.signal(signal.SIGCHLD, previous_handler)
        for terminal in self._terminals:
            self._sync(terminal)
        return status

    def _received(self, terminal: _Terminal, data: bytes) -> None:
        *lines, terminal.unsent = (terminal.unsent + data).split(b"\n")
        for line in lines:
            self._sink(terminal.stream, (line + b"\n").decode(errors="replace"))

    def _sync(self, terminal: _Terminal) -> None:
        """Read everything the stopped program wrote, up to deet's token, and pass it on."""
        token = self._token
        unwritten = token
        received = b""
        while True:
            if unwritten:
                with contextlib.suppress(BlockingIOError):
                    unwritten = unwritten[os.write(terminal.writer, unwritten):]
            if not unwritten and token in received:
                break
            # Blocking is safe: either the token is on its way, or the terminal is full of
            # output that has to be read before the rest of the token fits.
            received += os.read(terminal.master, CHUNK)
        before, _, after = received.partition(token)
        self._received(terminal, before)
        if terminal.unsent:
            self._sink(terminal.stream, terminal.unsent.decode(errors="replace"))
        terminal.unsent = after

    def close(self) -> None:
        for terminal in self._terminals:
            terminal.close()
        os.close(self._wake_r)
        os.close(self._wake_w)
