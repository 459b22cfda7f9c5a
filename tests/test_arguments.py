"""Arguments are never silently dropped: ``bt N``, ``bt -N``, ``bt full``, ``continue N``,
``ignore``, ``next 0``, each compared with gdb on the same binary and the same commands.

gdb reads the commands on a pipe (so it says what it says to a user, "(More stack frames
follow...)" included); deet's backtrace lines keep DEET's format, so frames are compared by
function, file and line, and everything else as text.
"""

from __future__ import annotations

import re

import pytest
from support import deet_frames, deet_script, gdb_frames, have_gdb, program, same_file
from test_prompt import gdb_stdin

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")

_GDB_FRAME = re.compile(r"^#\d+\s")


def _deet_answers(target, commands: list[str]) -> list[str]:
    """deet's output for each of ``commands``, split at an echo marker deet and gdb share."""
    script = "".join(f"{command}\necho @@\\n\n" for command in commands)
    run = deet_script(target, script)
    return run.stdout.split("@@\n")[:len(commands)]


def _gdb_answers(target, commands: list[str]) -> list[str]:
    lines = []
    for command in commands:
        lines += [command, "echo @@\\n"]
    chunks = gdb_stdin(target, lines)
    return ["".join(chunks[i:i + 2]).removesuffix("@@\n") for i in range(0, len(lines), 2)]


def _same_backtrace(deet_text: str, gdb_text: str) -> None:
    """The same frames, and the same lines between and after them (locals, the note)."""
    deet_lines = deet_text.splitlines()
    gdb_lines = gdb_text.splitlines()
    got, want = deet_frames(deet_lines), gdb_frames(gdb_text)
    assert [(f.function, f.line) for f in got] == [(f.function, f.line) for f in want]
    assert all(same_file(a.file, b.file) for a, b in zip(got, want, strict=True))
    assert [line for line in deet_lines if not deet_frames([line])] == \
        [line for line in gdb_lines if not _GDB_FRAME.match(line)]


BACKTRACES = ["bt 1", "bt 2", "bt 0", "bt -1", "bt -2", "bt 5", "bt -5", "bt full",
              "bt full 2", "bt -full 1", "backtrace full -1", "where 1"]


def test_backtrace_counts_and_full_are_gdbs():
    target = program("prompt")
    setup = ["break square", "run", "continue", "continue"]
    deet = _deet_answers(target, [*setup, *BACKTRACES])[len(setup):]
    gdb = _gdb_answers(target, [*setup, *BACKTRACES])[len(setup):]
    for command, got, want in zip(BACKTRACES, deet, gdb, strict=True):
        assert want.strip(), command
        _same_backtrace(got, want)


@pytest.mark.parametrize("command", ["bt foo", "bt 1 2", "bt -1 full", "bt full foo"])
def test_backtrace_arguments_gdb_refuses_are_refused(command):
    target = program("prompt")
    deet = _deet_answers(target, ["break square", "run", command])[-1]
    gdb = _gdb_answers(target, ["break square", "run", command])[-1]
    assert deet == gdb


def test_continue_n_ignores_the_breakpoint_it_stopped_at():
    target = program("prompt")
    commands = ["break square", "run", "continue 3", "print n", "info breakpoints",
                "continue 1", "print n", "continue foo", "continue 2", "print n"]
    deet = _deet_answers(target, commands)
    gdb = _gdb_answers(target, commands)
    # gdb says "Continuing." after the count and then "Breakpoint 1, square (n=3) ...";
    # deet says the count's sentence, then its own stop lines.
    for index in (2, 5, 8):
        assert deet[index].splitlines()[0] == gdb[index].splitlines()[0] \
            .replace("breakpoint 1", "breakpoint 0")
    for index in (3, 6, 7, 9):
        assert deet[index] == gdb[index]
    assert deet[4].splitlines()[2:] == gdb[4].splitlines()[2:]


def test_ignore_is_gdbs():
    target = program("prompt")
    commands = ["break square", "run", "ignore 0 2", "ignore 0 1", "ignore 0 0",
                "ignore 0 -4", "ignore 0 2", "info breakpoints", "continue", "print n",
                "info breakpoints", "ignore", "ignore 0", "ignore 7 1", "ignore x 1"]
    deet = _deet_answers(target, commands)
    gdb_commands = [re.sub(r"^ignore 0\b", "ignore 1", c) for c in commands]
    gdb = [text.replace("breakpoint 1", "breakpoint 0")
           for text in _gdb_answers(target, gdb_commands)]
    for index in (2, 3, 4, 5, 6, 9, 11, 12, 13, 14):
        assert deet[index] == gdb[index], commands[index]
    for index in (7, 10):
        assert deet[index].splitlines()[2:] == gdb[index].splitlines()[2:], commands[index]


@pytest.mark.parametrize("command", ["next 0", "step 0", "next -1"])
def test_a_count_of_zero_describes_the_frame(command):
    target = program("prompt")
    deet = _deet_answers(target, ["break square", "run", command])[-1]
    gdb = _gdb_answers(target, ["break square", "run", command])[-1]
    assert deet == gdb


def test_arguments_of_commands_that_take_few_are_used_or_refused_as_gdb():
    target = program("prompt")
    commands = ["break square", "run", "info locals res", "info locals foo", "info args n",
                "info args zz", "finish 2", "kill 2", "info breakpoints x"]
    deet = _deet_answers(target, commands)
    gdb = _gdb_answers(target, commands)
    assert deet[2:] == gdb[2:]
