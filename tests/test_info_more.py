"""thread apply, info line, info source and the other status commands, against gdb."""

from __future__ import annotations

import re

import pytest
from support import deet_frames, deet_script, gdb_batch, gdb_frames, have_gdb, program, sample

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")

_HEADER = re.compile(r"^Thread (\d+) \(.*\):$")


def _by_thread(text: str) -> list[tuple[int, str]]:
    """Each ``Thread N (...):`` header's number and the text under it."""
    parts: list[tuple[int, str]] = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match:
            parts.append((int(match[1]), ""))
        elif parts:
            parts[-1] = (parts[-1][0], parts[-1][1] + line + "\n")
    return parts


def test_thread_apply_all_bt_walks_every_thread_as_gdb():
    # At line 24 the three spinning threads exist, whatever the scheduling.
    target = program("busy_threads")
    deet = deet_script(target, "break 24\nrun\nthread apply all bt\n").stdout
    gdb = gdb_batch(target, "break 24", "run", "thread apply all bt")
    got, want = _by_thread(deet), _by_thread(gdb)
    assert [number for number, _ in got] == [number for number, _ in want] == [4, 3, 2, 1]
    # The main thread stands at the breakpoint; where the others are caught varies.
    assert [f.function for f in deet_frames(got[-1][1].splitlines())] == \
        [f.function for f in gdb_frames(want[-1][1])] == ["main"]
    for _, text in got[:-1]:
        assert deet_frames(text.splitlines())


def test_thread_apply_a_list_runs_the_command_in_each():
    target = sample("threads")
    commands = ["break tick", "run 1", "thread apply 2 1 print 6*7", "thread apply 1-2 info locals",
                "thread"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).stdout
    gdb = gdb_batch(target, *commands, args=("1",))
    got, want = _by_thread(deet), _by_thread(gdb)
    assert [n for n, _ in got] == [n for n, _ in want] == [2, 1, 1, 2]
    assert [text for _, text in got][:3] == [text for _, text in want][:3]


def test_thread_apply_errors_are_gdbs():
    target = sample("threads")
    commands = ["break tick", "run 1", "thread apply", "thread apply all", "thread apply 1"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).lines
    gdb = gdb_batch(target, *commands, args=("1",), errors=True).splitlines()
    for line in ("Please specify a thread ID list",
                 "Please specify a command following the thread ID list"):
        assert line in deet and line in gdb


def test_info_line_is_gdbs():
    target = program("prompt")
    asked = ["info line", "info line square", "info line 14", "info line 21", "info line 13",
             "info line *0x401130", "info line nosuch", "info line prompt.c:22", "info line 3",
             "up", "info line", "info line *0x10"]
    commands = ["set width 0", "break square", "run", *asked]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands[1:])).lines
    gdb = gdb_batch(target, *commands, errors=True).splitlines()
    wanted = [line for line in gdb if line.startswith(("Line ", "No line", "Function "))]
    assert [line for line in deet if line.startswith(("Line ", "No line", "Function "))] \
        == wanted
    assert len(wanted) == len(asked) - 1


def test_info_line_of_a_function_without_line_information():
    """``_start`` has no line table rows (found by the fuzzer: an internal error). gdb
    names every ``_start`` mapped (the program's, then the dynamic loader's); deet the
    program's, which is gdb's first line."""
    target = program("prompt")
    commands = ["break square", "run", "info line _start"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).lines
    gdb = gdb_batch(target, *commands, errors=True).splitlines()
    mine = [line for line in deet if line.startswith("No line")]
    theirs = [line for line in gdb if line.startswith("No line")]
    assert mine[0] == theirs[0]
    assert re.match(r"^No line number information available for address 0x[0-9a-f]+ <_start>$",
                    mine[0])
    assert len(mine) == 1 and len(theirs) == 2
    assert not [line for line in deet if "internal error" in line]


@pytest.mark.parametrize("steps", [0, 2], ids=["program", "library"])
def test_info_source_is_gdbs(steps):
    """In the program's own file, and in libc's (whose source is not installed: gdb then
    leaves out where it is and its length)."""
    target = sample("function_calls")
    commands = ["info source", "break add", "run", *["step"] * steps, "info source"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).lines
    gdb = gdb_batch(target, *commands, errors=True).splitlines()
    assert deet[0] == gdb[0] == "No current source file."
    start = next(i for i, line in enumerate(gdb) if line.startswith("Current source file"))
    mine = next(i for i, line in enumerate(deet) if line.startswith("Current source file"))
    end = next(i for i, line in enumerate(gdb) if "preprocessor macro info" in line)
    assert deet[mine:mine + end - start + 1] == gdb[start:end + 1]


def test_disassemble_a_named_function_or_an_address_is_gdbs():
    target = program("prompt")
    commands = ["break square", "run", "disassemble sum_to", "disassemble 0x401130",
                "disassemble nosuch"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).lines
    gdb = gdb_batch(target, *commands, errors=True).splitlines()
    start = gdb.index("Dump of assembler code for function sum_to:")
    assert deet[deet.index("Dump of assembler code for function sum_to:"):][:len(gdb) - start] \
        == gdb[start:]
