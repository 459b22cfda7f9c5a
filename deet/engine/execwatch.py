"""Whether a fork child's exec failed and the child then went on running: the lecture's
"remember to properly exit if exec fails!".

A failed ``execve`` leaves no event (PTRACE_EVENT_EXEC comes only when it succeeds), and
tracing every child's system calls costs two stops each. So a fork child gets one int3
of deet's, in its own copy of the C library, just after the ``syscall`` instruction of
``execve`` (``TRAP``): only a failed exec returns there; a successful one replaces the
memory, int3 and all, and a child that never execs never meets it. A child of a child
inherits the armed int3 with the memory. When it is hit, the byte is put back, the pc
rewound, the errno read from rax, and from then on the child is resumed with
PTRACE_SYSCALL (``ExecWatch``) for at most ``SYSCALL_BUDGET`` system calls. A vfork child
shares its parent's memory, which must not get an int3: it is watched by system calls
from the start (it execs at once).

At the entry of an ``execve`` the path is read; at its exit a negative return is the
failure's errno. After a failure, the child
may still try other paths (``execvp`` walks PATH), write a message (``perror`` may look
up a translation, ``fstat`` its stream, ...) and exit; a system call of the kind a parent
makes (waiting for children, forking, reading input, sleeping, piping, signalling) means
it went on running its parent's code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ptrace.binding.func import ptrace_getregs, ptrace_setregs
from ptrace.binding.linux_struct import user_regs_struct

SYSCALL_BUDGET = 256
SYS_EXECVE, SYS_EXECVEAT = 59, 322
EXECS = (SYS_EXECVE, SYS_EXECVEAT)
# What only a child that went on running its parent's code does: read (0), pipe (22),
# pause (34), nanosleep (35), clone (56), fork (57), vfork (58), wait4 (61), kill (62),
# clock_nanosleep (230), waitid (247), pipe2 (293), clone3 (435).
RUNNING_ON = frozenset((0, 22, 34, 35, 56, 57, 58, 61, 62, 230, 247, 293, 435))
PATH_MAX = 4096


@dataclass(frozen=True)
class ExecFailure:
    """``path``: the program the child tried to run; ``errno``: why it could not."""

    path: str
    errno: int


INT3 = 0xCC
CALL_SYSCALL = b"\x0f\x05"
# How far into ``execve`` its ``syscall`` instruction is looked for.
EXECVE_SCAN = 64


@dataclass(frozen=True)
class Trap:
    """deet's int3 after ``execve``'s system call in a process's memory."""

    address: int
    saved: int


def trap_address(pid: int, execve: int) -> int | None:
    """Where, in ``execve`` (a live address in ``pid``), its system call returns to."""
    code = _read(pid, execve, EXECVE_SCAN)
    offset = code.find(CALL_SYSCALL)
    return None if offset < 0 else execve + offset + len(CALL_SYSCALL)


def arm(pid: int, address: int) -> Trap | None:
    """One open of the memory for the read and the write: done at every fork."""
    try:
        fd = os.open(f"/proc/{pid}/mem", os.O_RDWR)
    except OSError:
        return None
    try:
        saved = os.pread(fd, 1, address)
        if len(saved) != 1 or os.pwrite(fd, bytes([INT3]), address) != 1:
            return None
    except OSError:
        return None
    finally:
        os.close(fd)
    return Trap(address, saved[0])


def disarm(pid: int, trap: Trap) -> None:
    _write(pid, trap.address, bytes([trap.saved]))


def take_back(tid: int, trap: Trap, regs: user_regs_struct) -> None:
    """A thread stopped on ``trap``: the byte put back and the thread's pc (in ``regs``,
    its registers at the stop) rewound onto it, to run what was there."""
    disarm(tid, trap)
    regs.rip = trap.address
    ptrace_setregs(tid, regs)


def trap_hit(tid: int, trap: Trap) -> ExecFailure | None:
    """The failure, if ``tid`` stopped on ``trap`` (disarmed and rewound, then)."""
    regs = ptrace_getregs(tid)
    if regs.rip - 1 != trap.address:
        return None
    take_back(tid, trap, regs)
    result = regs.rax - (1 << 64) if regs.rax >= 1 << 63 else regs.rax
    return ExecFailure(_string(tid, regs.rdi), -result if result < 0 else 0)


@dataclass
class ExecWatch:
    """One child's system calls, watched until it execs or the budget is spent; from
    the start (a vfork child) or after a failed exec (``failure``)."""

    pid: int
    failure: ExecFailure | None = None
    budget: int = SYSCALL_BUDGET
    _entered: int | None = None
    _path: str = "?"

    @property
    def done(self) -> bool:
        return self.budget <= 0

    def stop(self) -> None:
        self.budget = 0

    def syscall_stop(self, tid: int) -> ExecFailure | None:
        """Handle one syscall-entry or -exit stop; the failure when the child, its exec
        failed, goes on running (the watch is then done)."""
        regs = ptrace_getregs(tid)
        if self._entered is None:
            number = regs.orig_rax
            self._entered = number
            self.budget -= 1
            if number in EXECS:
                self._path = _string(tid, regs.rdi if number == SYS_EXECVE else regs.rsi)
            if self.failure is not None and number in RUNNING_ON:
                self.stop()
                return self.failure
            return None
        number, self._entered = self._entered, None
        result = regs.rax - (1 << 64) if regs.rax >= 1 << 63 else regs.rax
        if number in EXECS and result < 0:
            self.failure = ExecFailure(self._path, -result)
        return None


def _string(tid: int, address: int) -> str:
    data = _read(tid, address, PATH_MAX)
    return data.split(b"\0", 1)[0].decode(errors="replace") if data else "?"


def _read(pid: int, address: int, size: int) -> bytes:
    try:
        fd = os.open(f"/proc/{pid}/mem", os.O_RDONLY)
    except OSError:
        return b""
    try:
        return os.pread(fd, size, address)
    except OSError:
        return b""
    finally:
        os.close(fd)


def _write(pid: int, address: int, data: bytes) -> bool:
    try:
        fd = os.open(f"/proc/{pid}/mem", os.O_WRONLY)
    except OSError:
        return False
    try:
        return os.pwrite(fd, data, address) == len(data)
    except OSError:
        return False
    finally:
        os.close(fd)
