"""Every process the program creates stays under deet: children deet does not hold run
free (traced, without breakpoints, never stopped for the user), and no way out of deet
leaves one of them behind, however deep or detached from its parent it is."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import _descendants
from support import ROOT, deet, deet_command, program, sample

import deet as deet_api
from deet import render
from deet.debugger import Debugger
from deet.debugger.linespec import FunctionSpec

TRANSCRIPTS = ROOT / "tests" / "transcripts"


def _named(name: str) -> dict[int, str]:
    """Live (not zombie) processes under this test whose command line names ``name``."""
    return {pid: what for pid, what in _descendants(os.getpid()).items()
            if name in what and not what.startswith("Z ")}


def _gone(pids: list[int], seconds: float = 10.0) -> bool:
    """Whether each of ``pids`` has ended (a zombie counts: it runs no more); the zombies
    re-parented to this subreaper are reaped on the way."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for pid in pids:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
        if all(_ended(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


def _ended(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def test_a_child_deet_does_not_hold_is_traced_by_deet_and_runs_on():
    heard: list[str] = []
    debugger = Debugger(str(sample("signal_storm")),
                        lambda result: heard.append(render.text(result)))
    try:
        debugger.add_breakpoint(FunctionSpec("tick"))
        debugger.run(["2000"])
        child = int(re.search(r"child process (\d+)", " ".join(heard))[1])
        with open(f"/proc/{child}/status") as status:
            text = status.read()
        assert re.search(r"^TracerPid:\s+(\d+)$", text, re.M)[1] == str(os.getpid())
        # Not stopped for the user: it never stays in a ptrace stop (state t) for long.
        deadline = time.monotonic() + 10
        while re.search(r"^State:\s+t", text, re.M) and time.monotonic() < deadline:
            debugger.tree.poll()
            with open(f"/proc/{child}/status") as status:
                text = status.read()
        assert not re.search(r"^State:\s+t", text, re.M)
    finally:
        debugger.shutdown()
    assert _gone([child])


def test_every_process_of_a_nested_fork_loop_runs_and_is_seen():
    binary = sample("fork_nested")
    alone = subprocess.run([binary], capture_output=True, text=True, check=True)
    run = deet("--batch", "-ex", "run", binary)
    program_lines = sorted(line for line in run.lines if line.startswith("child "))
    assert program_lines == sorted(alone.stdout.splitlines())
    assert run.lines[-1] == "Child exited (status 0)"


def test_grandchildren_reap_their_own_children_with_the_real_status():
    """deet, as tracer, sees each free-running child's exit first; the real parent (a
    free-running process too) must still reap it with its own status."""
    run = deet("--batch", "-ex", "set follow-fork-mode child", "-ex", "run 3",
               sample("forks"))
    for n in range(3):
        assert f"parent reaped child {n}: status {n}" in run.lines
    assert "parent done" in run.lines


def test_a_worker_and_a_setsid_daemon_are_gone_at_the_end_of_a_batch():
    run = deet("--batch", "-ex", "run", sample("fork_leftover"))
    assert "Child exited (status 0)" in run.lines
    assert _named("fork_leftover") == {}


def test_a_worker_and_a_setsid_daemon_are_gone_after_a_session():
    with deet_api.Session(sample("fork_leftover")) as session:
        session.run()
    assert _named("fork_leftover") == {}


def test_run_again_ends_the_previous_run_s_whole_tree():
    run = deet("--batch", "-ex", "run", "-ex", "run", sample("fork_leftover"))
    parents = re.findall(r"^parent (\d+) exits$", run.stdout, re.M)
    assert len(parents) == 2
    assert _named("fork_leftover") == {}


def _follow_child_of_a_pausing_parent() -> tuple[subprocess.Popen, int, list[str]]:
    """deet following the child of a parent that pauses forever once the child is done:
    returns deet (at its prompt, on a pipe), the parent's pid and the lines so far."""
    deet_process = subprocess.Popen(
        [*deet_command(), str(program("fork_pause"))], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert deet_process.stdin and deet_process.stdout
    deet_process.stdin.write("set follow-fork-mode child\nrun\n")
    deet_process.stdin.flush()
    parent = None
    lines: list[str] = []
    # The parent prints once it has reaped the child, so its line may come after deet's
    # report of the child's exit, while deet waits for a command: read until both are in.
    # A parent left at its SIGCHLD stop never prints: the alarm fails the test instead of
    # hanging it.
    def hung(_signum: int, _frame: object) -> None:
        raise AssertionError(f"the released parent never ran on: {lines}")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    try:
        while "Child exited (status 0)" not in lines or f"parent {parent} pauses" not in lines:
            line = deet_process.stdout.readline()
            assert line, f"deet ended early: {lines}"
            lines.append(line.rstrip("\n"))
            found = re.match(r"^\[Detaching after fork from parent process (\d+)\]$", line)
            if found:
                parent = int(found[1])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert parent is not None
    return deet_process, parent, lines


def test_sigkill_of_deet_takes_the_parent_it_let_go_of_with_it():
    """PTRACE_O_EXITKILL: the parent runs free but stays traced, so the kernel kills it
    with its tracer."""
    deet_process, parent, _ = _follow_child_of_a_pausing_parent()
    deet_process.kill()
    deet_process.wait(timeout=10)
    deet_process.communicate()
    assert _gone([parent])


def test_sigterm_during_the_grace_after_quit_takes_the_parent_with_it():
    deet_process, parent, _ = _follow_child_of_a_pausing_parent()
    assert deet_process.stdin
    deet_process.stdin.write("quit\n")
    deet_process.stdin.flush()
    time.sleep(0.5)
    deet_process.send_signal(signal.SIGTERM)
    deet_process.wait(timeout=10)
    deet_process.communicate()
    assert _gone([parent])


def test_quit_gives_the_parent_let_go_of_its_grace_then_ends_it():
    deet_process, parent, lines = _follow_child_of_a_pausing_parent()
    assert f"parent {parent} pauses" in lines
    started = time.monotonic()
    deet_process.communicate("quit\n", timeout=30)
    assert time.monotonic() - started >= 1.5
    assert _gone([parent])


@pytest.mark.slow
def test_a_forking_transcript_gives_the_same_output_on_every_parallel_run():
    """The announcement of a fork comes before anything the child prints, on every run,
    however loaded the machine is."""
    transcript = TRANSCRIPTS / "forks.deet"

    def check(_index: int) -> str:
        run = deet("check", transcript, timeout=300)
        return run.stdout + run.stderr

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(check, range(24)))
    assert results == [f"{transcript}: ok\n"] * 24


# -- every way out, with a worker and a setsid daemon running free ------------------------

STOP_LINE = 32  # fork_leftover.c: the parent, past its print, with its tree alive


def _stopped_with_a_tree() -> tuple[subprocess.Popen, list[int]]:
    """deet on a pipe, stopped in fork_leftover's parent after its worker has started a
    daemon; the pids of deet's program and what it started."""
    deet_process = subprocess.Popen(
        [*deet_command(), str(sample("fork_leftover"))], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert deet_process.stdin and deet_process.stdout
    deet_process.stdin.write(f"break {STOP_LINE}\nrun 1\n")
    deet_process.stdin.flush()
    while not (line := deet_process.stdout.readline()).startswith("Stopped at"):
        assert line, "deet ended early"
    tree = [pid for pid in _named("fork_leftover") if pid != deet_process.pid]
    assert len(tree) == 3  # the parent, the worker and the daemon
    return deet_process, tree


@pytest.mark.parametrize("way", ["quit", "end of input", "SIGTERM", "SIGHUP", "SIGKILL"])
def test_every_way_out_of_an_interactive_session_ends_the_whole_tree(way):
    deet_process, tree = _stopped_with_a_tree()
    if way == "quit":
        deet_process.communicate("quit\n", timeout=30)
    elif way == "end of input":
        deet_process.communicate("", timeout=30)
    else:
        deet_process.send_signal(getattr(signal, way))
        deet_process.communicate(timeout=30)
    assert _gone(tree)
    assert _named("fork_leftover") == {}


def test_timeout_ends_the_whole_tree():
    run = deet("--batch", "--timeout", "2", "-ex", "run 1", sample("fork_leftover"))
    assert "Program timed out after 2 s" in run.lines
    assert _named("fork_leftover") == {}


def test_the_end_of_a_transcript_ends_the_whole_tree(tmp_path):
    (tmp_path / "fork_leftover").symlink_to(sample("fork_leftover"))
    transcript = tmp_path / "tree.deet"
    transcript.write_text(
        "program: fork_leftover\n\n"
        f"(deet) break {STOP_LINE}\n"
        "Set breakpoint 0 at {{addr}}\n"
        "(deet) run 1\n"
        "{{...}}\n"
        "Stopped at {{dir}}/fork_leftover.c:" f"{STOP_LINE}\n"
        "{{*}}\n")
    done = deet("check", transcript)
    assert done.lines == [f"{transcript}: ok"], done.stdout
    assert _named("fork_leftover") == {}
