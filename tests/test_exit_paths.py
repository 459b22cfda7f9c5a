"""Every way out of deet leaves no child, zombie or traced process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import _descendants
from support import ROOT, deet_command, sample


def _deet_running_sleepy(extra: str = "") -> tuple[subprocess.Popen, int]:
    """deet on a pipe, its program started and printing; returns deet and the program's pid."""
    deet = subprocess.Popen(
        [*deet_command(), str(sample("sleepy_print"))],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=ROOT,
    )
    assert deet.stdin and deet.stdout
    deet.stdin.write("run 30\n" + extra)
    deet.stdin.flush()
    assert deet.stdout.readline() == "0\n"
    programs = [pid for pid, what in _descendants(deet.pid).items() if "sleepy_print" in what]
    assert len(programs) == 1
    return deet, programs[0]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_terminating_signal_while_the_program_runs(signum):
    deet, program = _deet_running_sleepy()
    deet.send_signal(signum)
    assert deet.wait(timeout=10) == 128 + signum
    assert not os.path.exists(f"/proc/{program}")
    deet.communicate()


def test_sigterm_while_the_program_is_stopped():
    deet = subprocess.Popen(
        [*deet_command(), str(sample("function_calls"))],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    assert deet.stdin and deet.stdout
    deet.stdin.write("break add\nrun\n")
    deet.stdin.flush()
    while not deet.stdout.readline().startswith("Stopped at"):
        pass
    (program,) = _descendants(deet.pid)
    deet.send_signal(signal.SIGTERM)
    assert deet.wait(timeout=10) == 128 + signal.SIGTERM
    assert not os.path.exists(f"/proc/{program}")
    deet.communicate()


def test_sigkill_of_deet_takes_the_program_with_it():
    """PTRACE_O_EXITKILL: the kernel kills the program when its tracer dies."""
    deet, program = _deet_running_sleepy()
    deet.kill()
    deet.wait(timeout=10)
    deet.communicate()
    # The orphan is re-parented to this test process (a subreaper); reap it here.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        pid, status = os.waitpid(program, os.WNOHANG)
        if pid:
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
            return
        time.sleep(0.05)
    pytest.fail("the program outlived a SIGKILLed deet")


CRASHING_DEET = """
import sys
from deet.cli import main
from deet.commands.registry import command

@command("crash", group="support", doc="raise an unexpected exception")
def crash(debugger, args):
    raise RuntimeError("boom")

sys.exit(main(sys.argv[1:]))
"""


def test_an_unexpected_exception_is_one_line_and_the_session_goes_on():
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_DEET, str(sample("function_calls"))],
        input="break add\nrun\ncrash\ncontinue\n", capture_output=True, text=True,
        timeout=30, cwd=ROOT,
    )
    assert done.returncode == 0
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert "deet: internal error in crash: RuntimeError: boom" in lines
    assert lines[-1] == "Child exited (status 0)"
