"""Taking hold of a process deet did not start (gdb's ``attach``), every thread of it.

``PTRACE_ATTACH`` stops one thread with a SIGSTOP; the others run on until each is
attached in turn, and a thread may start while that happens, so the task list is read
again until no new thread appears. A thread that reports something else before its
SIGSTOP keeps that status for the next resume and its SIGSTOP counts as one of deet's
still on its way (``allstop.py`` swallows it when it comes), as after deet's own stops.
Threads are numbered as gdb numbers them: the leader first, then by thread id (the
order ``/proc/PID/task`` lists them in, which is the order they started in).

An attached process is not deet's child and outlives deet: it is traced without
``PTRACE_O_EXITKILL``, and leaving deet detaches from it rather than killing it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal

from ptrace.binding.func import ptrace_attach, ptrace_detach, ptrace_setoptions
from ptrace.error import PtraceError

from deet.engine.capture import OutputCapture
from deet.engine.inferior import Inferior
from deet.engine.tracing import OPTIONS, PTRACE_O_EXITKILL, EngineError, tasks
from deet.engine.waiting import WALL

ATTACH_OPTIONS = OPTIONS & ~PTRACE_O_EXITKILL
YAMA_SCOPE = "/proc/sys/kernel/yama/ptrace_scope"


def attach(pid: int, capture: OutputCapture | None = None) -> Inferior:
    """Every thread of process ``pid`` traced and stopped; raises ``EngineError`` with
    one line saying why when the kernel refuses. ``capture``: the front end's, waited on
    while the process runs for the inputs it watches (``deet dap``'s client, whose
    ``pause`` and ``disconnect`` must be heard then); the process writes where it always
    did, not to its terminals."""
    if pid == os.getpid():
        raise EngineError("I refuse to debug myself!")
    held: dict[int, int | None] = {}
    try:
        while new := sorted(tasks(pid) - held.keys(), key=lambda tid: (tid != pid, tid)):
            for tid in new:
                try:
                    ptrace_attach(tid)
                except PtraceError as exc:
                    if tid == pid or not held:
                        raise EngineError(refusal(pid, exc.errno)) from exc
                    continue  # a thread that ended meanwhile
                held[tid] = _first_stop(tid)
        if pid not in held:
            raise EngineError(refusal(pid, errno.ESRCH))
        for tid in held:
            ptrace_setoptions(tid, ATTACH_OPTIONS)
    except BaseException:
        for tid in held:
            with contextlib.suppress(PtraceError):
                ptrace_detach(tid, 0)
        raise
    return Inferior.attached_to(pid, held, capture)


def _first_stop(tid: int) -> int | None:
    """Wait for the thread's first stop: None for the SIGSTOP of the attach, else the
    status it reported first (its SIGSTOP is then still to come)."""
    _, status = os.waitpid(tid, WALL)
    if os.WIFSTOPPED(status) and os.WSTOPSIG(status) == signal.SIGSTOP:
        return None
    return status


def refusal(pid: int, code: int | None) -> str:
    """gdb's ``ptrace: ...`` line, with the reason the kernel had when it is known."""
    if code == errno.ESRCH or not os.path.exists(f"/proc/{pid}"):
        return "ptrace: No such process."
    words = f"ptrace: {os.strerror(code or errno.EPERM)}"
    if code != errno.EPERM:
        return f"{words}."
    if _state(pid) == "Z":
        return f"{words} (process {pid} is a zombie: it has already terminated)."
    tracer = _tracer(pid)
    if tracer:
        return f"{words} (process {pid} is already traced by process {tracer})."
    owner = _owner(pid)
    if owner is not None and owner != os.geteuid():
        return (f"{words} (process {pid} belongs to user {owner}: tracing another user's "
                "process needs CAP_SYS_PTRACE).")
    scope = _yama_scope()
    if scope in YAMA_RULES:
        return f"{words} (kernel.yama.ptrace_scope is {scope}: {YAMA_RULES[scope]})."
    return f"{words}."


# What each Yama ptrace_scope forbids, and the way out (Documentation/admin-guide/LSM/Yama).
YAMA_RULES = {
    1: "only a parent may trace its children; run as root or set it to 0",
    2: "only a process with CAP_SYS_PTRACE may attach; run as root",
    3: "no process may attach, until the next reboot",
}


def _owner(pid: int) -> int | None:
    """The process's real user id; None if it cannot be read. (The kernel wants the
    tracer's uid to match its real, effective and saved uids; the real one tells the user
    whose process it is.)"""
    uids = _status_field(pid, "Uid")
    if not uids or not uids.split()[0].isdigit():
        return None
    return int(uids.split()[0])


def _status_field(pid: int, name: str) -> str | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key == name:
                    return value.strip()
    except OSError:
        return None
    return None


def _state(pid: int) -> str | None:
    state = _status_field(pid, "State")
    return state[:1] if state else None


def _tracer(pid: int) -> int:
    value = _status_field(pid, "TracerPid")
    return int(value) if value and value.isdigit() else 0


def _yama_scope() -> int:
    try:
        with open(YAMA_SCOPE) as scope:
            return int(scope.read().strip() or 0)
    except (OSError, ValueError):
        return 0
