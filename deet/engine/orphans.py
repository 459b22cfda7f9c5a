"""Processes of the program's that deet let go of, or that lost their parent.

A forked child deet keeps (``detach-on-fork off``) outlives its parent when deet kills
the parent first, or when the parent exits. The kernel then gives it to the nearest
ancestor marked as a child subreaper, or to init. deet marks itself, so such an orphan
becomes deet's own child and deet can reap it: otherwise it would stay a zombie under
an init that does not reap (a container's shell, a test runner). And the process deet
started, let go of when deet follows a fork's child, is still deet's child: reaped here.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time

from deet.engine.capture import OutputCapture
from deet.engine.libc import libc

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def reap_orphan(pid: int) -> None:
    """Collect ``pid`` if it ended and has become deet's child; otherwise leave it."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def reap_adopted(grace: float = 2.0) -> None:
    """At deet's exit: kill whatever is still under deet (what the program started and
    left behind, adopted by deet as subreaper) and collect it, giving it ``grace`` seconds
    to die. Only the command-line deet calls this; its children are all the program's, so
    waiting on any child cannot take a status someone else is waiting for."""
    kill_descendants(os.getpid())
    deadline = time.monotonic() + grace
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if time.monotonic() > deadline:
                return
            time.sleep(0.005)


def descendants(root: int) -> list[int]:
    """Every process under ``root`` (its children, theirs, ...), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        parent = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: list[int] = []
    frontier = [root]
    while frontier:
        for pid in children.get(frontier.pop(), ()):
            found.append(pid)
            frontier.append(pid)
    return found


def kill_descendants(root: int) -> None:
    """SIGKILL every process under ``root``, the program's whole tree below it: the end
    of a batch, a transcript or a session leaves nothing the program started behind."""
    for pid in descendants(root):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _ended(pids: list[int]) -> tuple[int, int] | None:
    for pid in pids:
        try:
            reaped, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return pid, 0
        if reaped:
            return reaped, status
    return None


def reap_released(pids: list[int], grace: float, capture: OutputCapture | None) -> list[int]:
    """Reap those of ``pids`` (deet's own children, let go of) that have ended, giving the
    rest ``grace`` seconds while their output is passed on; with a grace, what is still
    running then is killed (with what it started) and reaped, so nothing outlives deet.
    The pids left running."""
    remaining = list(pids)
    deadline = time.monotonic() + grace
    while remaining:
        left = max(deadline - time.monotonic(), 0.0)
        if capture is not None:
            found = capture.wait(lambda: _ended(remaining), timeout=left)
        else:
            found = _ended(remaining)
            if found is None and left > 0:
                time.sleep(0.01)
                continue
        if found is None:
            break
        remaining.remove(found[0])
    if grace:
        for pid in remaining:
            kill_descendants(pid)
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        return []
    return remaining
