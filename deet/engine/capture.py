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

Waiting stays on one thread: ``waiting.ChildWatch`` sleeps in one ``select()`` until there
is output to read or a state change of a traced thread to collect.
"""

from __future__ import annotations

import contextlib
import os
import termios
from collections.abc import Callable

from deet.engine.waiting import CHUNK, ChildWatch, Found, Poll

# A callback for each piece of output: the stream ("stdout" or "stderr") and the text.
Sink = Callable[[str, str], None]

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
        """Once: a second call (a signal that ended deet halfway through) does nothing."""
        fds = [self.writer, self.slave, self.master]
        self.writer = self.slave = self.master = -1
        for fd in fds:
            if fd >= 0:
                os.close(fd)


class OutputCapture:
    """Terminals for the program's stdout and stderr, read while deet waits on it.

    Output goes to ``sink`` a whole line at a time while the program runs, and whatever is
    left of a line when it stops, so the pieces are the same however the reads fall."""

    def __init__(self, sink: Sink) -> None:
        self._sink = sink
        self._terminals = [_Terminal("stdout"), _Terminal("stderr")]
        # Other descriptors read while deet waits (a front end's own input: ``deet dap``'s
        # client, whose ``pause`` must be heard while the program runs), fd -> reader.
        self.inputs: dict[int, Callable[[int], None]] = {}
        self._token = b"\0deet-sync-" + os.urandom(8).hex().encode() + b"\0"
        self._watch = ChildWatch()

    @property
    def stdout(self) -> int:
        """The descriptor to give the program as its stdout."""
        return self._terminals[0].slave

    @property
    def stderr(self) -> int:
        return self._terminals[1].slave

    def wait(self, poll: Poll, timeout: float | None = None) -> Found:
        """The process or thread ``poll`` finds changed and its status (None after
        ``timeout`` seconds), passing the program's output on meanwhile."""
        by_fd = {terminal.master: terminal for terminal in self._terminals}
        readers = {fd: self._reader(terminal) for fd, terminal in by_fd.items()}
        readers.update(self.inputs)
        found = self._watch.wait(poll, readers, timeout)
        for terminal in self._terminals:
            self._sync(terminal)
        return found

    def flush(self) -> None:
        """Pass on everything the program has written so far (its processes stopped):
        what deet announces next comes after it, on every run."""
        for terminal in self._terminals:
            self._sync(terminal)

    def _reader(self, terminal: _Terminal) -> Callable[[int], None]:
        return lambda fd: self._received(terminal, os.read(fd, CHUNK))

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
        self._watch.close()
