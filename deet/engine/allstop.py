"""The threads of one traced process, stopped and resumed together: gdb's all-stop mode.

When one thread stops for a reason the user must see, every other thread is stopped before
the stop is reported (SIGSTOP by tgkill, swallowed when it arrives), and a resume resumes
them all. What a thread reports instead of deet's SIGSTOP is kept and handled at the next
resume, so nothing the program did is lost between stops. At most one of deet's SIGSTOPs
is in flight per thread: a second could arrive after the first, when nobody expects it.
The group also numbers the threads as ``info threads`` shows them, and waits on them one
by one, never with ``waitpid(-1)`` (``waiting.py``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import time
from collections.abc import Callable, Container, Iterator

from ptrace.binding.func import ptrace_cont, ptrace_getsiginfo
from ptrace.error import PtraceError

from deet.engine.capture import OutputCapture
from deet.engine.threads import Thread, is_zombie
from deet.engine.tracing import SI_KERNEL, EngineError, tgkill
from deet.engine.tree import TICK_SECONDS, ProcessTree
from deet.engine.waiting import WALL, ChildWatch, poll_threads

# How a thread is resumed: ptrace_cont, or single-stepped (tracing.ptrace_singlestep).
Resume = Callable[[int, int], None]


class ThreadGroup:
    """The threads of process ``pid`` (its leader's thread id), by thread id."""

    def __init__(self, pid: int, capture: OutputCapture | None,
                 tree: ProcessTree | None = None) -> None:
        self.pid = pid
        self._capture = capture
        # Free-running processes of the program, serviced whenever this group is waited for.
        self._tree = tree
        self._only_the_leader()
        # Stops taken from threads' ``pending`` at a resume, handled before waiting again.
        self._queue: list[tuple[int, int]] = []
        self._watch: ChildWatch | None = None

    def _only_the_leader(self) -> None:
        """The one thread of a new process, or of one that has just exec'd: number 1."""
        self._threads: dict[int, Thread] = {self.pid: Thread(self.pid, 1)}
        self._next_number = 2

    # -- the table -------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Thread]:
        """Every thread known, a main thread that ended included."""
        return iter(self._threads.values())

    def __contains__(self, tid: int) -> bool:
        return tid in self._threads

    @property
    def leader(self) -> Thread:
        """The main thread: its id is the process's."""
        return self._threads[self.pid]

    def get(self, tid: int) -> Thread | None:
        return self._threads.get(tid)

    def live(self) -> list[Thread]:
        """The live threads, by number."""
        live = (thread for thread in self._threads.values() if not thread.exited)
        return sorted(live, key=lambda thread: thread.number)

    def add(self, tid: int) -> Thread:
        """A new thread (a clone), numbered after every thread seen so far."""
        thread = Thread(tid, self._next_number)
        self._next_number += 1
        self._threads[tid] = thread
        return thread

    def discard(self, tid: int) -> None:
        self._threads.pop(tid, None)

    def execed(self, former_tid: int) -> None:
        """After an exec the process has one thread, the leader, and the numbering starts
        again; the end of every other thread but the one that called exec (it became the
        leader) is collected here."""
        for tid in self._threads:
            if tid not in (self.pid, former_tid):
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(tid, WALL)
        self._only_the_leader()

    def close(self) -> None:
        """The process is gone: no thread runs any more, and there is nothing to wait for."""
        for thread in self._threads.values():
            thread.running = False
        if self._watch is not None:
            self._watch.close()
            self._watch = None

    # -- resuming and waiting --------------------------------------------------------------

    def resume(self, thread: Thread, request: Resume, signum: int) -> None:
        try:
            thread.flush_registers()
            request(thread.tid, signum)
        except PtraceError as exc:
            # ESRCH: killed from outside while stopped; waiting collects how it died.
            if exc.errno != errno.ESRCH:
                raise EngineError(f"cannot resume process {self.pid}: {exc}") from exc
        thread.running = True

    def resume_all(self, signum: int, selected: Thread) -> None:
        """Resume every stopped thread (``signum`` to ``selected``); one with a stop still
        to handle waits in the queue instead."""
        for thread in list(self._threads.values()):
            if thread.running or thread.exited:
                continue
            if thread.pending is not None:
                self._queue.append((thread.tid, thread.pending))
                thread.pending = None
                continue
            self.resume(thread, ptrace_cont, signum if thread is selected else 0)

    def idle(self) -> bool:
        """No thread runs and no stop waits in the queue: waiting would never end."""
        return not any(t.running for t in self._threads.values()) and not self._queue

    def next_stop(self, timeout: float | None = None) -> tuple[int, int] | None:
        """The next (thread id, wait status) to handle: a stop kept in the queue first, else
        the next change among the threads; None once ``timeout`` seconds passed without
        one. A plain blocking ``waitpid`` when there is one thread and no output to read:
        the breakpoint hot path."""
        if self._queue:
            return self._queue.pop(0)
        tids = list(self._threads)
        tree = self._tree
        busy = tree is not None and tree.busy()

        def poll() -> tuple[int, int] | None:
            if busy and tree is not None:
                tree.poll()
            return poll_threads(tids)

        if len(tids) == 1 and timeout is None and not busy and self._capture is None:
            return os.waitpid(tids[0], WALL)
        # The free-running processes of the tree are serviced at least every tick.
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            wait = left if not busy else (TICK_SECONDS if left is None
                                          else min(TICK_SECONDS, left))
            if self._capture is not None:
                found = self._capture.wait(poll, timeout=wait)
            else:
                if self._watch is None:
                    self._watch = ChildWatch()
                found = self._watch.wait(poll, timeout=wait)
            if found is not None or (deadline is not None and time.monotonic() >= deadline):
                return found

    # -- stopping --------------------------------------------------------------------------

    def stop_all(self, sites: Container[int], except_tid: int | None = None) -> None:
        """All-stop: every running thread is stopped before a stop is reported. What a
        thread reports instead of our SIGSTOP is kept for the next resume, except a hit of
        one of ``sites``, which is undone (the thread hits it again when resumed)."""
        running = [t for t in self._threads.values()
                   if t.running and t.tid != except_tid and not t.exited]
        if not running:
            return
        if len(self._threads) > 1:
            for thread in running:
                # A main thread that ended cannot stop: waiting for it would never end.
                thread.exited = thread.tid == self.pid and is_zombie(self.pid, thread.tid)
            running = [t for t in running if not t.exited]
        for thread in running:
            if thread.stop_requested:
                # One of ours is still on its way: a second could arrive after it, when
                # nobody expects it, and stop the thread for no reason.
                continue
            try:
                tgkill(self.pid, thread.tid, signal.SIGSTOP)
                thread.stop_requested = True
            except ProcessLookupError:
                continue
        for thread in running:
            try:
                _, status = os.waitpid(thread.tid, WALL)
            except ChildProcessError:
                self._threads.pop(thread.tid, None)
                continue
            thread.running = False
            self._absorb(thread, status, sites)

    def settle(self, thread: Thread, sites: Container[int]) -> None:
        """Collect a SIGSTOP deet sent and the thread has not reported yet: after detaching
        it would stop the whole process."""
        while thread.stop_requested and thread.pending is None:
            self.resume(thread, ptrace_cont, 0)
            try:
                _, status = os.waitpid(thread.tid, WALL)
            except ChildProcessError:
                return
            thread.running = False
            self._absorb(thread, status, sites)

    def _absorb(self, thread: Thread, status: int, sites: Container[int]) -> None:
        if os.WIFEXITED(status) or os.WIFSIGNALED(status):
            if thread.tid == self.pid:
                thread.pending = status
            else:
                self._threads.pop(thread.tid, None)
            return
        signum = os.WSTOPSIG(status)
        if signum == signal.SIGSTOP and thread.stop_requested:
            thread.stop_requested = False
            return
        if signum == signal.SIGTRAP and not status >> 16:
            pc = thread.registers.pc
            if ptrace_getsiginfo(thread.tid).si_code == SI_KERNEL and pc - 1 in sites:
                thread.registers["rip"] = pc - 1
                return
        thread.pending = status
