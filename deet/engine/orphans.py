"""Processes of the program's that lose their parent while deet holds them.

A forked child deet keeps (``detach-on-fork off``) outlives its parent when deet kills
the parent first, or when the parent exits. The kernel then gives it to the nearest
ancestor marked as a child subreaper, or to init. deet marks itself, so such an orphan
becomes deet's own child and deet can reap it: otherwise it would stay a zombie under
an init that does not reap (a container's shell, a test runner).
"""

from __future__ import annotations

import contextlib
import ctypes
import os

PR_SET_CHILD_SUBREAPER = 36

_libc = ctypes.CDLL(None, use_errno=True)


def become_subreaper() -> None:
    _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def reap_orphan(pid: int) -> None:
    """Collect ``pid`` if it ended and has become deet's child; otherwise leave it."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def reap_adopted() -> None:
    """At deet's exit: collect every orphan that ended as deet's child. Only the
    command-line deet calls this; its children are all the program's, so waiting on any
    child cannot take a status someone else is waiting for."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
