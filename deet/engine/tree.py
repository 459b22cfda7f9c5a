"""Every process the program creates, at any depth: the process tree.

deet keeps each one traced (the tracing options, PTRACE_O_EXITKILL among them, are
inherited by every child a tracee forks), so none can outlive deet, even a SIGKILLed one,
and each fork, exec and exit is seen. Those deet does not hold for the user are
*free-running*: no int3 of deet's in their memory (a fork child's copy of the parent's is
cleaned before it first runs), resumed at once after each event, never stopped for the
user. Their events are serviced whenever deet waits (``poll`` is part of every wait) and,
without blocking, before each prompt.

Waiting is per process and thread id (``waitpid(tid, WNOHANG)``), never ``waitpid(-1)``:
the real parent of a traced child keeps its wait semantics. ptrace shows the tracer a
child's exit first; once deet has collected it, the child becomes a zombie of its real
parent, which reaps it as if deet were not there.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ptrace.binding.func import (
    PTRACE_EVENT_CLONE,
    PTRACE_EVENT_EXEC,
    PTRACE_EVENT_FORK,
    PTRACE_EVENT_VFORK,
    ptrace_cont,
    ptrace_geteventmsg,
    ptrace_getsiginfo,
    ptrace_syscall,
)
from ptrace.error import PtraceError

from deet.engine.capture import OutputCapture
from deet.engine.execwatch import ExecFailure, ExecWatch, Trap, arm, trap_hit
from deet.engine.forksite import code_ranges, fork_return
from deet.engine.forkthreads import (
    ThreadAtFork,
    ThreadedChildRan,
    ThreadedChildWatch,
)
from deet.engine.runaway import ReturnWatch, return_hit, watch_return
from deet.engine.tracing import initial_stop
from deet.engine.waiting import WALL, ChildWatch, Found

# How long killing the tree goes on collecting what it left.
KILL_SECONDS = 5.0
# A syscall stop's signal under PTRACE_O_TRACESYSGOOD.
SYSCALL_TRAP = signal.SIGTRAP | 0x80
# How often a wait wakes up, while someone wants ticks, to call ``on_service``.
TICK_SECONDS = 0.25


@dataclass
class TreeProcess:
    """One process of the program's tree. ``held``: a process deet holds for the user
    (an inferior), whose events the inferior handles; otherwise free-running.
    ``fork_site``: the return address, in the program deet debugs, of the user code's
    call that forked it (None when unknown). ``exit_code``/``exit_signal``: how it ended,
    once it has; ``ended_at``: when (``time.monotonic``)."""

    pid: int
    parent: int | None
    held: bool
    fork_site: int | None = None
    exe: str | None = None
    execs: list[str] = field(default_factory=list)
    tids: set[int] = field(default_factory=set)
    exit_code: int | None = None
    exit_signal: int | None = None
    ended_at: float | None = None
    # How a free-running fork child's exec is watched (``execwatch.py``): the int3 after
    # execve's system call, or its system calls.
    trap: Trap | None = None
    watch: ExecWatch | ThreadedChildWatch | None = None
    # Forking functions' returns watched in its memory (``runaway.py``).
    returns: list[ReturnWatch] = field(default_factory=list)
    # Whether its memory is laid out as the held processes' (``exec_return`` applies):
    # not after an exec of its own.
    same_image: bool = True

    @property
    def ended(self) -> bool:
        return self.ended_at is not None


@dataclass(frozen=True)
class TreeForked:
    parent: int
    child: int
    fork_site: int | None


@dataclass(frozen=True)
class TreeExeced:
    pid: int
    path: str


@dataclass(frozen=True)
class TreeEnded:
    pid: int
    code: int | None
    signal: int | None


@dataclass(frozen=True)
class TreeExecFailed:
    """An exec failed in ``pid``, which then went on running."""

    pid: int
    path: str
    errno: int


@dataclass(frozen=True)
class TreeReturned:
    """The fork child ``pid`` returned from the function it was forked in, to
    ``address`` (a runaway child)."""

    pid: int
    address: int


@dataclass(frozen=True)
class TreeThreadedChild:
    """The child ``pid`` of a process with ``threads`` running at the fork did something
    other than exec (``ran``)."""

    pid: int
    threads: tuple[ThreadAtFork, ...]
    ran: ThreadedChildRan


TreeEvent = (TreeForked | TreeExeced | TreeEnded | TreeExecFailed | TreeThreadedChild
             | TreeReturned)


def _ignore(_event: TreeEvent) -> None:
    """What the tree does with its events until the debugger listens."""


def _nothing() -> None:
    """What the tree does after servicing until the debugger listens."""


class ProcessTree:
    """The processes of one run of the program, by pid, in the order they appeared."""

    def __init__(self) -> None:
        self.processes: dict[int, TreeProcess] = {}
        # The live free-running ones (polled at every wait: kept apart, not searched for).
        self._free: dict[int, TreeProcess] = {}
        # Where each process's program code is mapped: a fork child's is its parent's.
        self._code: dict[int, list[tuple[int, int]]] = {}
        self.listener: Callable[[TreeEvent], None] = _ignore
        # Called after each poll; ``ticking``: polls are wanted every TICK_SECONDS even
        # with nothing free-running (the debugger times zombies).
        self.on_service: Callable[[], None] = _nothing
        self.ticking = False
        # The tree is being killed: its ends are deet's doing, not the program's.
        self.killing = False
        # Where the C library's execve returns from its system call (a live address in
        # the program's processes), set by the debugger once it knows; None: unwatched.
        self.exec_return: int | None = None

    def __iter__(self) -> Iterator[TreeProcess]:
        return iter(self.processes.values())

    def get(self, pid: int) -> TreeProcess | None:
        return self.processes.get(pid)

    def free(self) -> list[TreeProcess]:
        """The free-running processes still alive."""
        return list(self._free.values())

    def alive(self) -> list[TreeProcess]:
        return [p for p in self.processes.values() if not p.ended]

    def busy(self) -> bool:
        """Whether a wait must poll the tree too: something runs free, or ticks are
        wanted."""
        return self.ticking or bool(self._free)

    # -- what the held processes report -----------------------------------------------------

    def started(self, pid: int) -> None:
        """The process deet launched: the root of the tree."""
        self.processes.clear()
        self._free.clear()
        self._code.clear()
        self.processes[pid] = TreeProcess(pid, None, held=True, exe=_exe(pid), tids={pid})

    def forked(self, parent: int, child: int, held: bool, vfork: bool = False,
               threads: tuple[ThreadAtFork, ...] = ()) -> TreeProcess:
        """``parent`` forked ``child``, which is stopped at its first instruction (a
        free-running one is resumed by ``let_run``)."""
        code = self._code.get(parent)
        if code is None:
            code = self._code[parent] = code_ranges(child)
        self._code[child] = code
        site = fork_return(child, code)
        known = self.processes.get(parent)
        exe = known.exe if known is not None else None
        process = TreeProcess(child, parent, held, fork_site=site, exe=exe, tids={child})
        if known is not None and not held and not vfork:
            process.returns = list(known.returns)  # copied with the memory, armed
        self.processes[child] = process
        # Told first: the debugger may set ``exec_return`` for the watch.
        self.listener(TreeForked(parent, child, site))
        if not held:
            self._free[child] = process
            if threads:
                process.watch = ThreadedChildWatch(child, threads)
            else:
                self._watch_exec(process, self.processes.get(parent), vfork)
        return process

    def _watch_exec(self, child: TreeProcess, parent: TreeProcess | None, vfork: bool) -> None:
        if vfork:
            child.watch = ExecWatch(child.pid)
        elif parent is not None and parent.trap is not None:
            child.trap = parent.trap  # copied with the memory, armed
        elif self.exec_return is not None and (parent is None or parent.same_image):
            child.trap = arm(child.pid, self.exec_return)
        child.same_image = parent is None or parent.same_image

    def execed(self, pid: int) -> None:
        process = self.processes.get(pid)
        if process is None:
            return
        process.tids = {pid}
        process.watch = None
        process.trap = None
        process.returns = []
        if process.held:
            self.exec_return = None  # the debugger finds it again in the new program
        else:
            process.same_image = False
        self._code.pop(pid, None)
        with contextlib.suppress(OSError):
            process.exe = os.readlink(f"/proc/{pid}/exe")
            process.execs.append(process.exe)
            self.listener(TreeExeced(pid, process.exe))

    def ended(self, pid: int, status: int) -> None:
        process = self.processes.get(pid)
        if process is None or process.ended:
            return
        if os.WIFEXITED(status):
            process.exit_code = os.WEXITSTATUS(status)
        else:
            process.exit_signal = os.WTERMSIG(status)
        process.ended_at = time.monotonic()
        process.tids = set()
        self._free.pop(pid, None)
        self._code.pop(pid, None)
        self.listener(TreeEnded(pid, process.exit_code, process.exit_signal))

    def killed(self, pid: int) -> None:
        """deet killed ``pid`` (a held process): its end is deet's doing."""
        self.killing = True
        try:
            self.ended(pid, signal.SIGKILL)
        finally:
            self.killing = False

    def watch_return(self, pid: int, address: int, cfa: int) -> None:
        """Tell when the free-running fork child ``pid`` (stopped at its first
        instruction) returns to ``address`` with ``cfa`` as its stack pointer."""
        process = self.processes.get(pid)
        if process is not None and not process.held:
            watch = watch_return(pid, address, cfa)
            if watch is not None:
                process.returns.append(watch)

    def let_run(self, pid: int, tids: set[int]) -> None:
        """A stopped process with no int3 of deet's in it runs on free (the parent after
        following a fork's child, or a newly forked child): resumed at once."""
        process = self.processes.get(pid)
        if process is None:
            process = self.processes[pid] = TreeProcess(pid, None, held=False)
        process.held = False
        process.tids = set(tids)
        self._free[pid] = process
        for tid in tids:
            _resume(tid, 0, process.watch)

    # -- servicing the free-running --------------------------------------------------------

    def poll(self) -> bool:
        """Collect and handle every event of the free-running processes that is ready,
        without blocking; True when there was one."""
        any_ = False
        for process in self.free():
            for tid in list(process.tids):
                try:
                    found, status = os.waitpid(tid, WALL | os.WNOHANG)
                except ChildProcessError:
                    process.tids.discard(tid)
                    continue
                if found:
                    any_ = True
                    with contextlib.suppress(PtraceError):
                        # ESRCH: killed from outside meanwhile; its end comes next.
                        self._handle(process, tid, status)
        self.on_service()
        return any_

    def _handle(self, process: TreeProcess, tid: int, status: int) -> None:
        if os.WIFEXITED(status) or os.WIFSIGNALED(status):
            process.tids.discard(tid)
            if tid == process.pid:
                self.ended(process.pid, status)
            return
        signum = os.WSTOPSIG(status)
        event = status >> 16
        watch = process.watch
        if signum == SYSCALL_TRAP and watch is not None:
            seen = watch.syscall_stop(tid)
            if isinstance(seen, ExecFailure):
                self.listener(TreeExecFailed(process.pid, seen.path, seen.errno))
            elif isinstance(seen, ThreadedChildRan) and isinstance(watch, ThreadedChildWatch):
                self.listener(TreeThreadedChild(process.pid, watch.threads, seen))
            _resume(tid, 0, watch)
            return
        if signum == signal.SIGTRAP and event:
            self._ptrace_event(process, tid, event)
            _resume(tid, 0, process.watch)
            return
        if signum == signal.SIGTRAP and process.trap is not None:
            failure = trap_hit(tid, process.trap)
            if failure is not None:
                process.trap = None
                process.watch = ExecWatch(process.pid, failure)
                _resume(tid, 0, process.watch)
                return
        if signum == signal.SIGTRAP and process.returns:
            hit = return_hit(tid, process.returns)
            if hit is not None:
                process.returns.remove(hit[0])
                if hit[1]:
                    self.listener(TreeReturned(process.pid, hit[0].address))
                _resume(tid, 0, watch)
                return
        if signum in (signal.SIGSTOP, signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU):
            try:
                ptrace_getsiginfo(tid)
            except PtraceError:
                # A group-stop, not a signal to deliver: deet does not keep it stopped.
                signum = 0
        _resume(tid, signum, watch)

    def _ptrace_event(self, process: TreeProcess, tid: int, event: int) -> None:
        message = ptrace_geteventmsg(tid)
        if event == PTRACE_EVENT_CLONE:
            if process.watch is not None:
                process.watch.stop()  # threads: more than a child about to exec
            if initial_stop(message):
                process.tids.add(message)
                _resume(message, 0)
        elif event in (PTRACE_EVENT_FORK, PTRACE_EVENT_VFORK):
            if initial_stop(message):
                child = self.forked(process.pid, message, held=False,
                                    vfork=event == PTRACE_EVENT_VFORK)
                _resume(message, 0, child.watch)
        elif event == PTRACE_EVENT_EXEC:
            for other in process.tids - {process.pid, tid}:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(other, WALL | os.WNOHANG)
            self.execed(process.pid)

    # -- the end ----------------------------------------------------------------------------

    def finish(self, grace: float, capture: OutputCapture | None) -> None:
        """On the way out: the process deet launched, if it runs free (deet followed a
        fork's child), gets ``grace`` seconds to end on its own, its output passed on;
        then every free-running process left is killed."""
        root = next(iter(self.processes.values()), None)
        if root is not None and not root.held and not root.ended and grace > 0:
            def root_ended() -> Found:
                self.poll()
                return (root.pid, 0) if root.ended else None

            if capture is not None:
                capture.wait(root_ended, timeout=grace)
            else:
                watch = ChildWatch()
                try:
                    watch.wait(root_ended, timeout=grace)
                finally:
                    watch.close()
        self.kill_free()

    def _under_free_root(self, process: TreeProcess) -> bool:
        """Whether ``process`` is the launched process running free, or was forked by it
        through free-running processes only."""
        while process.parent is not None:
            parent = self.processes.get(process.parent)
            if parent is None or parent.held:
                return False
            process = parent
        return not process.held

    def kill_free(self, *, spare_root: bool = False) -> None:
        """SIGKILL every free-running process and collect the end of each: nothing the
        program started is left (a ``setsid`` daemon included: it is traced too).
        ``spare_root``: the process deet launched, when it runs free, is left for
        ``finish`` with what it forked (gdb's ``kill`` and ``quit`` do not touch a process
        let go of)."""
        free = [p for p in self.free() if not (spare_root and self._under_free_root(p))]
        self.killing = True
        try:
            self._kill(free)
        finally:
            self.killing = False

    def _kill(self, free: list[TreeProcess]) -> None:
        for process in free:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGKILL)
        deadline = time.monotonic() + KILL_SECONDS
        while any(p.tids for p in free) and time.monotonic() < deadline:
            for process in free:
                for tid in list(process.tids):
                    try:
                        found, status = os.waitpid(tid, WALL | os.WNOHANG)
                    except ChildProcessError:
                        process.tids.discard(tid)
                        continue
                    if found and (os.WIFEXITED(status) or os.WIFSIGNALED(status)):
                        process.tids.discard(tid)
                        if tid == process.pid:
                            self.ended(process.pid, status)
                    elif found:
                        _resume(tid, 0)
            time.sleep(0.001)
        for process in free:
            if not process.ended:
                self.ended(process.pid, signal.SIGKILL)


def _resume(tid: int, signum: int,
            watch: ExecWatch | ThreadedChildWatch | None = None) -> None:
    """PTRACE_SYSCALL while ``watch`` watches the process's system calls, else PTRACE_CONT."""
    with contextlib.suppress(PtraceError, ProcessLookupError):
        if watch is not None and not watch.done:
            ptrace_syscall(tid, signum)
        else:
            ptrace_cont(tid, signum)


def _exe(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None
