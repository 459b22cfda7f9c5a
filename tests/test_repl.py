"""The prompt as a person meets it, on a pseudo-terminal: prompt, Ctrl-C, Ctrl-D, history."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pexpect
from conftest import _descendants
from support import SAMPLES, sample

# prompt_toolkit draws the trailing space as a cursor move, so match the visible part.
PROMPT = r"\(deet\)"


def _quit(child: pexpect.spawn) -> None:
    child.sendline("quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_prompt_and_a_session(pty_session, history_home):
    child = pty_session(sample("segfault"), env=history_home)
    child.expect(PROMPT)
    child.sendline("r")
    child.expect_exact("Calling func2\r\nAbout to segfault... a=2\r\n")
    child.expect_exact("Child stopped (signal SIGSEGV)\r\n")
    child.expect_exact(f"Stopped at {SAMPLES}/segfault.c:5\r\n")
    child.expect(PROMPT)
    child.sendline("back")
    child.expect_exact(f"func2 ({SAMPLES}/segfault.c:5)\r\n")
    child.expect_exact(f"func1 ({SAMPLES}/segfault.c:11)\r\n")
    child.expect_exact(f"main ({SAMPLES}/segfault.c:15)\r\n")
    child.expect(PROMPT)
    child.sendline("quit")
    child.expect_exact("Killing running inferior (pid ")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_ctrl_c_at_the_prompt_does_not_exit(pty_session, history_home):
    child = pty_session(sample("count"), env=history_home)
    child.expect(PROMPT)
    child.sendintr()
    child.expect_exact('Type "quit" to exit')
    child.expect(PROMPT)
    child.sendline("run")
    child.expect_exact("5\r\nChild exited (status 0)")
    child.expect(PROMPT)
    _quit(child)


def test_ctrl_c_stops_the_program_and_run_restarts_it(pty_session, history_home):
    """Milestone 2 of the handout, checked for leftovers as it says."""
    child = pty_session(sample("sleepy_print"), env=history_home)
    child.expect(PROMPT)
    child.sendline("run 5")
    child.expect_exact("0\r\n1\r\n")
    child.sendintr()
    child.expect_exact("Child stopped (signal SIGINT)\r\n")
    child.expect(PROMPT)
    child.sendline("run 5")
    child.expect(r"Killing running inferior \(pid (\d+)\)\r\n")
    old_pid = int(child.match[1])
    child.expect_exact("0\r\n1\r\n")
    child.sendintr()
    child.expect_exact("Child stopped (signal SIGINT)\r\n")
    child.expect(PROMPT)
    under_deet = _descendants(child.pid)
    programs = [what for what in under_deet.values() if "sleepy_print" in what]
    assert len(programs) == 1, under_deet
    assert not any(what.startswith("Z ") for what in under_deet.values()), under_deet
    assert old_pid not in under_deet
    child.sendline("cont")
    child.expect_exact("2\r\n")
    _quit(child)


def test_ctrl_d_quits_and_kills_the_program(pty_session, history_home):
    child = pty_session(sample("sleepy_print"), env=history_home)
    child.expect(PROMPT)
    child.sendline("run 30")
    child.expect_exact("0\r\n")
    child.sendintr()
    child.expect_exact("Child stopped (signal SIGINT)")
    child.expect(PROMPT)
    child.sendeof()
    child.expect_exact("Killing running inferior (pid ")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_history_is_saved_as_lines_are_entered(pty_session, history_home):
    child = pty_session(sample("count"), env=history_home)
    history = os.path.join(history_home["HOME"], ".deet_history")
    for line in ("help", "help", "break main"):
        child.expect(PROMPT)
        child.sendline(line)
    child.expect_exact("Set breakpoint 0 at ")
    with open(history) as f:
        assert f.read() == "help\nbreak main\n"
    _quit(child)
    with open(history) as f:
        assert f.read() == "help\nbreak main\nquit\n"


def test_history_keeps_the_last_100_and_recalls_them(pty_session, history_home):
    history = os.path.join(history_home["HOME"], ".deet_history")
    with open(history, "w") as f:
        f.write("".join(f"help {i}\n" for i in range(150)))
    child = pty_session(sample("count"), env=history_home)
    child.expect(PROMPT)
    child.send("\x1b[A")  # up arrow: the newest entry comes back
    child.expect_exact("help 149")
    child.send("\r")
    child.expect(PROMPT)
    _quit(child)
    with open(history) as f:
        lines = f.read().splitlines()
    assert len(lines) == 100
    assert lines[0] == "help 51"
    assert lines[-2:] == ["help 149", "quit"]


def test_history_that_cannot_be_saved_is_a_warning(pty_session, history_home):
    env = dict(history_home)
    env["DEET_HISTORY"] = history_home["HOME"]  # a directory: cannot be written as a file
    child = pty_session(sample("count"), env=env)
    child.expect(PROMPT)
    child.sendline("run")
    child.expect_exact("warning: could not save history to ")
    child.expect_exact("Child exited (status 0)")
    child.expect(PROMPT)
    _quit(child)


def test_history_is_the_users_alone_and_never_written_through_a_planted_link(
        pty_session, history_home, tmp_path):
    """gdb's history is 0600; a symlink planted where deet once wrote its temporary file
    (``<history>.tmp``) is not followed: the file is replaced by a fresh one."""
    history = Path(history_home["HOME"]) / ".deet_history"
    victim = tmp_path / "victim"
    victim.write_text("keep\n")
    (Path(history_home["HOME"]) / ".deet_history.tmp").symlink_to(victim)
    child = pty_session(sample("count"), env=history_home)
    child.expect(PROMPT)
    child.sendline("help")
    child.expect(PROMPT)
    _quit(child)
    assert history.read_text() == "help\nquit\n"
    assert stat.S_IMODE(history.stat().st_mode) == 0o600
    assert victim.read_text() == "keep\n"
    assert [p.name for p in Path(history_home["HOME"]).iterdir()
            if p.name.startswith(".deet_history.") and p.name != ".deet_history.tmp"] == []


def test_a_fifo_as_the_history_file_is_refused(pty_session, history_home):
    fifo = Path(history_home["HOME"]) / "fifo"
    os.mkfifo(fifo)
    env = dict(history_home, DEET_HISTORY=str(fifo))
    child = pty_session(sample("count"), env=env)
    child.expect(PROMPT)
    child.sendline("run")
    child.expect_exact(f"warning: could not save history to {fifo}: not a regular file")
    child.expect_exact("Child exited (status 0)")
    child.expect(PROMPT)
    child.sendline("help")
    child.expect(PROMPT)
    _quit(child)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
