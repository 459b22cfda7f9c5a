"""The program is set up as it would be without deet (issue 14): default signal actions,
nothing blocked, Ctrl-C reaching it wherever it went, and a hangup ending deet quietly."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import subprocess
import termios
import time

import pexpect
import pytest
from support import ROOT, deet_command, program

PROMPT = r"\(deet\)"


def _block_usr1_and_ignore_pipe() -> None:
    """deet started by a parent that blocked and ignored signals (Python itself ignores
    SIGPIPE and SIGXFSZ): none of it must reach the program."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def test_a_write_to_a_closed_pipe_kills_the_program_as_outside_deet():
    target = program("closed_pipe")
    outside = subprocess.run([str(target)], capture_output=True, text=True)
    assert outside.returncode == -signal.SIGPIPE
    done = subprocess.run([*deet_command(), "--batch", "-ex", "run", "-ex", "continue",
                           str(target)], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, preexec_fn=_block_usr1_and_ignore_pipe,
                          restore_signals=False)
    lines = done.stdout.splitlines()
    # Every disposition reset and nothing blocked, whatever deet's parent changed or the
    # environment ignores (CI's runner ignores signal 32, a shell's background job SIGINT
    # and SIGQUIT, nohup SIGHUP), except glibc's own two (32 and 33), which no program can
    # change: as a program started from a terminal's shell.
    assert lines[0] == "SigBlk:\t0000000000000000"
    ignored = int(lines[1].split()[1], 16)
    assert ignored & ~(1 << 31 | 1 << 32) == 0, lines[1]
    assert lines[2] == "Child stopped (signal SIGPIPE)"
    assert lines[-1] == "Child exited (signal SIGPIPE)"
    assert "survived" not in lines


@pytest.mark.parametrize("how", ["setsid", "setpgid"])
def test_ctrl_c_stops_a_program_that_left_the_process_group(pty_session, how):
    child = pty_session(program("own_session"))
    child.expect(PROMPT)
    child.sendline(f"run {how}")
    child.expect_exact("alone\r\n")
    time.sleep(0.2)
    child.sendintr()
    child.expect_exact("Child stopped (signal SIGINT)")
    child.expect(PROMPT)
    child.sendline("continue")
    time.sleep(0.2)
    child.sendintr()
    child.expect_exact("Child stopped (signal SIGINT)")
    child.expect(PROMPT)
    child.sendline("quit")
    child.expect(pexpect.EOF)


def _read_until(master: int, text: bytes, seen: bytearray, times: int = 1) -> None:
    deadline = time.monotonic() + 30
    while seen.count(text) < times:
        assert time.monotonic() < deadline, seen
        ready, _, _ = select.select([master], [], [], 1)
        if ready:
            seen += os.read(master, 4096)


def test_a_hangup_at_the_prompt_ends_deet_quietly(tmp_path, history_home):
    """The terminal goes away while the program is stopped: deet exits (129, as a shell
    tool does), kills the program, and writes no traceback (its stderr is a file here, to
    see what it would have shown)."""
    master, slave = os.openpty()

    def own_terminal() -> None:
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    with open(tmp_path / "stderr", "wb") as errors:
        deet = subprocess.Popen([*deet_command(), str(program("closed_pipe"))], cwd=ROOT,
                                env=history_home, stdin=slave, stdout=slave, stderr=errors,
                                preexec_fn=own_terminal)
    os.close(slave)
    seen = bytearray()
    try:
        _read_until(master, b"(deet)", seen)
        os.write(master, b"break main\r")
        _read_until(master, b"Set breakpoint", seen)
        os.write(master, b"run\r")
        _read_until(master, b"Stopped at", seen)
        _read_until(master, b"(deet)", seen, times=3)  # the prompt after the stop
        time.sleep(0.5)
    finally:
        os.close(master)  # the hangup
    assert deet.wait(timeout=60) == 128 + signal.SIGHUP
    assert (tmp_path / "stderr").read_text() == ""
