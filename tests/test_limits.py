"""Every way the program runs is bounded by ``--timeout`` (issue 14): a transcript can never
hang. Each case once ran for ever; the limit is 2 s, and the test allows a minute."""

from __future__ import annotations

import os
import resource
import subprocess
import time
from pathlib import Path

import pytest
from support import ROOT, build, deet, deet_command, program

LIMIT = "2"
TIMED_OUT = f"Program timed out after {LIMIT} s"


def _bounded(*commands: str, args: tuple[str, ...]) -> list[str]:
    argv = ["--batch", "--timeout", LIMIT]
    for command in commands:
        argv += ["-ex", command]
    start = time.monotonic()
    lines = deet(*argv, program("stuck"), "--", *args, timeout=120).lines
    assert time.monotonic() - start < 60
    return lines


def test_a_vfork_child_that_never_execs():
    lines = _bounded("run", "print 1", args=("vfork",))
    assert TIMED_OUT in lines
    assert lines[-1] == "$1 = 1"


@pytest.mark.parametrize("command", ["next", "finish", "stepi 100000000",
                                     "nexti 100000000", "continue"])
def test_a_command_that_would_run_for_ever(command):
    """``next`` over ``for (;;) usleep(1000);`` resumes thousands of times: the limit is the
    command's, not each resume's."""
    lines = _bounded("break naps", "run", "delete", command, "print 1", args=("naps",))
    assert TIMED_OUT in lines, lines
    assert lines[-1] == "$1 = 1"


def test_a_single_step_blocked_in_a_system_call():
    lines = _bounded("break main", "run", "stepi 100000", "print 1", args=("pause",))
    assert TIMED_OUT in lines, lines
    assert lines[-1] == "$1 = 1"


def test_stepping_through_pthread_join_lets_the_other_thread_run():
    """gdb lets the other threads run while one is stepped; a step of the main thread into
    pthread_join ends only when the napping thread has ended. No time limit here."""
    start = time.monotonic()
    lines = deet("--batch", "-ex", "break 36", "-ex", "run", "-ex", "stepi 200000",
                 "-ex", "print 1", program("stuck"), "--", "join", timeout=120).lines
    assert time.monotonic() - start < 60
    assert "joined" in lines
    assert lines[-1] == "$1 = 1"


def test_a_fifo_as_the_target_is_refused(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    done = deet(fifo, timeout=60)
    assert done.returncode == 1
    assert done.stderr == f"deet: {fifo}: not a regular file\n"


def _with_source_named(directory: Path, path: str) -> Path:
    """A program whose line 3 the debug info places in ``path`` (``#line``)."""
    source = directory / "named.c"
    source.write_text(f'#include <stdio.h>\nint main(void) {{\n#line 3 "{path}"\n'
                      '    puts("hi");\n    return 0;\n}\n')
    return build([source])


def _limited_memory() -> None:
    limit = 2 << 30
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge"])
def test_a_source_file_that_is_not_a_text_file(tmp_path, kind):
    """A FIFO is refused (never waited on), /dev/zero too, and of a 3 GB file only the
    first 32 MiB are read: deet runs under a 2 GB address-space limit."""
    if kind == "fifo":
        path = tmp_path / "fifo.c"
        os.mkfifo(path)
    elif kind == "huge":
        path = tmp_path / "huge.c"
        with open(path, "wb") as f:
            f.truncate(3 << 30)
    else:
        path = Path("/dev/zero")
    target = _with_source_named(tmp_path, str(path))
    start = time.monotonic()
    done = subprocess.run([*deet_command(), "--batch", "-ex", f"break {path}:3", "-ex", "run",
                           "-ex", "list", "-ex", "continue", "-ex", "print 1", str(target)],
                          cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          preexec_fn=_limited_memory)
    assert time.monotonic() - start < 60
    lines = done.stdout.splitlines()
    assert "internal error" not in done.stdout
    assert f"Stopped at {path}:3" in lines
    assert "hi" in lines
    assert lines[-1] == "$1 = 1"
