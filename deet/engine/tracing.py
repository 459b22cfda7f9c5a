"""The ptrace and kernel requests the engine makes that python-ptrace does not wrap, the
constants it leaves out, and the error a failed request becomes. No state: ``inferior.py``
and ``allstop.py`` decide when to make them."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal

from ptrace.binding.func import (
    PTRACE_O_TRACECLONE,
    PTRACE_O_TRACEEXEC,
    PTRACE_O_TRACEFORK,
    PTRACE_O_TRACESYSGOOD,
    PTRACE_O_TRACEVFORK,
    PTRACE_O_TRACEVFORKDONE,
    PTRACE_SINGLESTEP,
    ptrace,
    ptrace_detach,
    ptrace_traceme,
)
from ptrace.error import PtraceError

from deet.engine.libc import libc
from deet.engine.waiting import WALL

# python-ptrace lacks this one: the kernel SIGKILLs the tracee when the tracer dies.
PTRACE_O_EXITKILL = 0x100000
ADDR_NO_RANDOMIZE = 0x0040000
SI_KERNEL = 0x80
TRAP_BRKPT = 1
TRAP_TRACE = 2
# A debug register fired (a watchpoint).
TRAP_HWBKPT = 4
# A single step delivered a signal: the kernel stops the thread at its handler's first
# instruction with this code (ptrace_notify(SIGTRAP) when the handler's frame is set up).
TRAP_HANDLER_ENTERED = 5
SYS_TGKILL = 234
AT_BASE = 7
AT_ENTRY = 9

# TRACESYSGOOD: a fork child's syscall stops, while deet watches for a failed exec
# (execwatch.py), are told apart from a SIGTRAP; nothing else resumes with PTRACE_SYSCALL.
OPTIONS = (PTRACE_O_EXITKILL | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK
           | PTRACE_O_TRACEVFORKDONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESYSGOOD)


class EngineError(Exception):
    """A ptrace operation failed; ``str()`` is one line for the user."""


def ptrace_singlestep(pid: int, signum: int = 0) -> None:
    """python-ptrace's version cannot deliver a signal with the step; this one can."""
    ptrace(PTRACE_SINGLESTEP, pid, 0, signum)


def become_tracee() -> None:
    """pre_exec hook: runs in the forked child just before exec. The program starts as it
    would without deet: every signal at its default action (exec keeps what Python
    ignores, SIGPIPE and SIGXFSZ, ignored) and none blocked."""
    for signum in signal.valid_signals():
        if signum not in (signal.SIGKILL, signal.SIGSTOP):
            with contextlib.suppress(OSError, ValueError):
                signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, ())
    libc.personality(ADDR_NO_RANDOMIZE)
    ptrace_traceme()


def initial_stop(pid: int) -> bool:
    """Collect the SIGSTOP a new traced thread or process starts with; False if it died."""
    try:
        _, status = os.waitpid(pid, WALL)
    except ChildProcessError:
        return False
    return os.WIFSTOPPED(status)


def tasks(pid: int) -> set[int]:
    try:
        return {int(name) for name in os.listdir(f"/proc/{pid}/task")}
    except OSError:
        return set()


def tgkill(tgid: int, tid: int, signum: int) -> None:
    if libc.syscall(SYS_TGKILL, tgid, tid, signum) != 0:
        err = ctypes.get_errno()
        raise ProcessLookupError(err, os.strerror(err))


def detach_threads(tids: set[int]) -> None:
    """Let stopped threads go untraced; one that is gone meanwhile needs nothing."""
    for tid in tids:
        with contextlib.suppress(PtraceError):
            ptrace_detach(tid, 0)
