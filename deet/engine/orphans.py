"""Processes of the program's that deet let go of, or that lost their parent.

A forked child deet keeps (``detach-on-fork off``) outlives its parent when deet kills
the parent first, or when the parent exits. The kernel then gives it to the nearest
ancestor marked as a child subreaper, or to init. deet marks itself, so such an orphan
becomes deet's own child and deet can reap it: otherwise it would stay a zombie under
an init that does not reap (a container's shell, a test runner). The processes deet
lets run free stay traced: the process tree (``tree.py``) collects them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time

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
