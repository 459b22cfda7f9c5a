"""What the child of a process with other threads running does before it execs: the
lecture's "mixing threads and processes".

Only the forking thread exists in the child; a lock another thread held at the fork (the
malloc lock, a pthread mutex) stays locked in the child's copy of memory, forever. So the
threads running at the fork are noted (``threads_at_fork``), and the child is resumed
with PTRACE_SYSCALL until it execs (the safe case) or does something else a parent's code
does (``RUNNING_ON``, or waits on a futex): then ``ThreadedChildRan`` says so. A wait on
a process-private futex (FUTEX_PRIVATE_FLAG) in a one-thread process can never be woken:
that is the deadlock, with the lock word's address and, for a pthread mutex (its owner's
thread id 8 bytes in), the thread of the parent that held it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ptrace.binding.func import ptrace_getregs

from deet.engine.execwatch import EXECS, RUNNING_ON, SYSCALL_BUDGET

SYS_FUTEX = 202
FUTEX_PRIVATE_FLAG = 128
FUTEX_WAITS = (0, 6, 9)  # FUTEX_WAIT, FUTEX_LOCK_PI, FUTEX_WAIT_BITSET
OWNER_OFFSET = 8  # pthread_mutex_t: __lock, __count, then __owner


@dataclass(frozen=True)
class ThreadAtFork:
    """A thread of the parent, other than the forking one, at the fork: its name and,
    when it was in a system call, its pc (None: it was running user code)."""

    tid: int
    name: str
    pc: int | None


@dataclass(frozen=True)
class ThreadedChildRan:
    """The child did ``syscall`` instead of exec'ing; ``lock``: the futex word it waits
    on for ever (a deadlock), ``owner``: the parent's thread that held it, if known."""

    syscall: int
    lock: int | None
    owner: int | None


def threads_at_fork(pid: int, forking: int, tids: list[int]) -> tuple[ThreadAtFork, ...]:
    return tuple(ThreadAtFork(tid, _comm(pid, tid), _syscall_pc(pid, tid))
                 for tid in tids if tid != forking)


@dataclass
class ThreadedChildWatch:
    """A child of a threaded process, watched until it execs or runs on."""

    pid: int
    threads: tuple[ThreadAtFork, ...]
    budget: int = SYSCALL_BUDGET
    _entered: bool = False

    @property
    def done(self) -> bool:
        return self.budget <= 0

    def stop(self) -> None:
        self.budget = 0

    def syscall_stop(self, tid: int) -> ThreadedChildRan | None:
        self._entered = not self._entered
        if not self._entered:
            return None
        regs = ptrace_getregs(tid)
        number = regs.orig_rax
        self.budget -= 1
        if number in EXECS:
            return None
        if number == SYS_FUTEX:
            op = regs.rsi
            if op & FUTEX_PRIVATE_FLAG and op & 0x7F in FUTEX_WAITS:
                self.stop()
                return ThreadedChildRan(number, regs.rdi, self._owner(tid, regs.rdi))
            return None
        if number in RUNNING_ON:
            self.stop()
            return ThreadedChildRan(number, None, None)
        return None

    def _owner(self, tid: int, lock: int) -> int | None:
        """The pthread mutex's owner, if it is one of the parent's threads at the fork."""
        try:
            fd = os.open(f"/proc/{tid}/mem", os.O_RDONLY)
        except OSError:
            return None
        try:
            owner = int.from_bytes(os.pread(fd, 4, lock + OWNER_OFFSET), "little")
        except OSError:
            return None
        finally:
            os.close(fd)
        return owner if any(thread.tid == owner for thread in self.threads) else None


def _comm(pid: int, tid: int) -> str:
    try:
        with open(f"/proc/{pid}/task/{tid}/comm") as comm:
            return comm.read().strip()
    except OSError:
        return "?"


def _syscall_pc(pid: int, tid: int) -> int | None:
    """/proc's word on where a thread blocked in a system call is (its last field)."""
    try:
        with open(f"/proc/{pid}/task/{tid}/syscall") as syscall:
            fields = syscall.read().split()
    except OSError:
        return None
    if len(fields) < 3 or fields[0] == "running":
        return None
    return int(fields[-1], 16)
