"""Session set-up and the check that matters most: no test leaves a process behind.

pytest makes itself a child subreaper, so a program orphaned by a dying deet is re-parented
to pytest instead of init, where the after-test check can see it. After every test, every
descendant must be gone: no child, no zombie, no traced process.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

PR_SET_CHILD_SUBREAPER = 36
GRACE_SECONDS = 3.0


def pytest_configure(config: pytest.Config) -> None:
    # deet's debug-info cache (and every deet the tests start) writes to a directory of
    # the session's own, never the user's ~/.cache/deet.
    os.environ["DEET_CACHE_DIR"] = tempfile.mkdtemp(prefix="deet-test-cache-")
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise RuntimeError("cannot become a child subreaper")
    # The transcripts in tests/transcripts name the course samples in samples/build; make
    # builds them at test time like every other program (and does nothing when they are
    # up to date).
    subprocess.run(["make", "--silent", "samples"], cwd=Path(__file__).parent.parent,
                   check=True)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.get("DEET_CACHE_DIR", ""), ignore_errors=True)


def _descendants(root: int) -> dict[int, str]:
    """pid -> 'STATE cmdline' for every process under ``root``."""
    parents: dict[int, int] = {}
    info: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        info[pid] = f"{fields[0]} {cmdline or stat[stat.index('(') : stat.rindex(')') + 1]}"
    found: dict[int, str] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in found:
                found[pid] = info[pid]
                frontier.append(pid)
    return found


def _reap_all() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG | 0x40000000)
        except ChildProcessError:
            return
        if pid == 0:
            return


def leftover_processes() -> dict[int, str]:
    """What remains under this process once things have had a moment to end."""
    deadline = time.monotonic() + GRACE_SECONDS
    while True:
        left = {pid: what for pid, what in _descendants(os.getpid()).items()
                if not what.startswith("Z ")}
        zombies = {pid: what for pid, what in _descendants(os.getpid()).items()
                   if what.startswith("Z ")}
        if not left and not zombies:
            return {}
        if time.monotonic() > deadline:
            return {**left, **zombies}
        time.sleep(0.05)


@pytest.fixture(autouse=True)
def nothing_left_behind():
    yield
    left = leftover_processes()
    if left:
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.1)
        _reap_all()
        pytest.fail(f"test left processes behind: {left}")


@pytest.fixture
def history_home(tmp_path: Path) -> dict[str, str]:
    """An environment whose HOME is a fresh directory, for history-file tests."""
    env = dict(os.environ)
    env["HOME"] = str(tmp_path)
    env.pop("DEET_HISTORY", None)
    return env


@pytest.fixture
def pty_session(history_home):
    """Start deet on a pseudo-terminal (HOME isolated); whatever happens, it is closed."""
    from support import deet_pty

    children = []

    def start(target, *args, env=None):
        child = deet_pty(target, *args, env=env or history_home)
        children.append(child)
        return child

    yield start
    for child in children:
        if child.isalive():
            child.close(force=True)
