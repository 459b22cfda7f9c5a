"""A bug in one command is one line, and the program and the session go on.

The trigger is real, not planted: a typedef chain 3,000 deep, which gdb reads and which
deet's DWARF type reader recurses through (RecursionError) whenever it reads the variables
of the function the program stops in. ``break *ADDR`` and the stop there need no types, so
the program can be stopped there, and every command that meets the chain fails on its own
while the rest of the session (``continue`` to the end) works.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from support import deep_typedefs, deet

from deet.api import Session, SessionError
from deet.results import Exited, InternalError

DEPTH = 3000
INTERNAL = re.compile(r"^deet: internal error in (\w+): RecursionError: maximum recursion "
                      r"depth exceeded")


@pytest.fixture(scope="module")
def deep() -> Path:
    return deep_typedefs(DEPTH)


def _entry(binary: Path) -> str:
    symbols = subprocess.run(["nm", str(binary)], capture_output=True, text=True, check=True)
    address = next(line.split()[0] for line in symbols.stdout.splitlines()
                   if line.endswith(" t deep"))
    return f"*0x{int(address, 16):x}"


def test_batch_reports_one_line_and_goes_on(deep):
    done = deet("--batch", "-ex", f"break {_entry(deep)}", "-ex", "run", "-ex", "print value",
                "-ex", "print 1", "-ex", "info locals", "-ex", "stepi", "-ex", "continue", deep)
    lines = done.lines
    assert lines[0].startswith("Set breakpoint 0 at 0x")
    assert lines[1] == "Child stopped (signal SIGTRAP)"
    assert INTERNAL.match(lines[4])[1] == "print"
    assert lines[5] == "$1 = 1"
    assert INTERNAL.match(lines[6])[1] == "info"
    assert lines[7].startswith("0x")  # stepi
    assert lines[8:] == ["7", "Child exited (status 0)"]
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode == 1  # --batch: commands failed


def test_the_traceback_only_with_deet_debug(deep):
    env = dict(os.environ, DEET_DEBUG="1")
    done = subprocess.run([sys.executable, "-m", "deet", "--batch", "-ex",
                           f"break {_entry(deep)}", "-ex", "run", "-ex", "print value",
                           "-ex", "print 1", str(deep)],
                          capture_output=True, text=True, timeout=60, env=env)
    lines = done.stdout.splitlines()
    assert INTERNAL.match(lines[4])
    assert lines[5] == "Traceback (most recent call last):"
    assert "RecursionError" in lines[-2]
    assert lines[-1] == "$1 = 1"


def test_json_names_the_command(deep):
    done = deet("--json", "--batch", "-ex", f"break {_entry(deep)}", "-ex", "run",
                "-ex", "print value", "-ex", "print 1", deep)
    first = next(line for line in done.lines if '"command": "print"' in line)
    assert '"event": "internal_error", "command": "print", "exception": "RecursionError"' \
        in first
    assert '"traceback": null' in first
    assert '"event": "printed"' in done.lines[done.lines.index(first) + 1]


def test_the_prompt_goes_on(deep, pty_session):
    child = pty_session(deep)
    child.expect(r"\(deet\)")
    child.sendline(f"break {_entry(deep)}")
    child.expect(r"\(deet\)")
    child.sendline("run")
    child.expect(r"\(deet\)")
    child.sendline("info locals")
    child.expect("deet: internal error in info: RecursionError")
    child.expect(r"\(deet\)")
    child.sendline("continue")
    child.expect_exact("7\r\nChild exited (status 0)")
    child.expect(r"\(deet\)")
    child.sendline("quit")
    child.expect(pexpect.EOF)


def test_the_api_raises_session_error(deep):
    with Session(deep) as session:
        session.break_(_entry(deep))
        session.run()
        with pytest.raises(SessionError) as raised:
            session.print("value")
        assert isinstance(raised.value.error, InternalError)
        assert raised.value.error.command == "print"
        assert session.alive
        assert isinstance(session.cont(), Exited)


def test_a_transcript_goes_on_after_an_internal_error(deep, tmp_path):
    """``deet check`` replays the session: the internal error is one line of it, and the
    commands after it run as recorded."""
    shutil.copy(deep, tmp_path / "deep")
    transcript = tmp_path / "session.deet"
    transcript.write_text(
        "program: deep\n\n"
        f"(deet) break {_entry(deep)}\n"
        "Set breakpoint 0 at {{addr}}\n"
        "(deet) run\n"
        "{{...}}\n"
        "(deet) print value\n"
        "deet: internal error in print: RecursionError: maximum recursion depth exceeded{{*}}\n"
        "(deet) print 6 * 7\n"
        "$1 = 42\n"
        "(deet) continue\n"
        "7\n"
        "Child exited (status 0)\n")
    done = deet("check", transcript)
    assert done.lines == [f"{transcript}: ok"], done.stdout
