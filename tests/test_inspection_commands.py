"""list, info breakpoints, x, info registers, disassemble, frame/up/down against gdb; and
every new command's bad input as one line."""

from __future__ import annotations

import os
import re

from support import deet_script, gdb_batch, sample

GDB_SETUP = ("unset environment LINES", "unset environment COLUMNS")


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("LINES", "COLUMNS")}


def _same_lines(binary, script: list[str], wanted: str) -> list[str]:
    deet = deet_script(binary, "\n".join(script) + "\n", env=_environment()).stdout
    gdb = gdb_batch(binary, *GDB_SETUP, *script)
    pattern = re.compile(wanted)
    deet_lines = [line for line in deet.splitlines() if pattern.match(line)]
    assert deet_lines == [line for line in gdb.splitlines() if pattern.match(line)]
    return deet_lines


def test_list_like_gdb():
    lines = _same_lines(sample("function_calls"),
                        ["break add", "run", "list", "list", "list compute",
                         "list function_calls.c:3", "up", "list"], r"^\d+\t")
    assert len(lines) > 40


def test_x_disassemble_and_registers_like_gdb():
    binary = sample("function_calls")
    script = ["break add", "run", "x/4xw &global", "x/4dw $sp", "x/8xb $sp", "x/2xg $sp",
              "x/3c &global", "x/2i $pc", "x/3uh $sp", "x/2a $sp", "disassemble",
              "info registers rip", "info registers rax rbx rsp eflags", "up",
              "info registers rip", "x/s argv", "x &global", "x", "x/2 &global", "x/2i $pc",
              "x"]
    deet = deet_script(binary, "\n".join(script) + "\n", env=_environment()).stdout
    gdb = gdb_batch(binary, *GDB_SETUP, *script)
    wanted = re.compile(r"^(=>|   |0x|rip|rax|rbx|rsp|eflags)")
    gdb_lines = [line for line in gdb.splitlines() if wanted.match(line)]
    deet_lines = [line for line in deet.splitlines() if wanted.match(line)]
    assert deet_lines == gdb_lines
    assert any(line.startswith("=> 0x0000000000401134 <+14>:") for line in deet_lines)
    assert any(line.endswith("call   0x401030 <printf@plt>") for line in deet_lines)


def test_frames_like_gdb():
    _same_lines(sample("segfault"), ["run", "frame", "up", "up", "up", "down", "frame 2",
                                     "frame 0", "print a", "up", "print a"],
                r"^(#\d|\d+\t|\$\d)")


def test_up_and_down_by_counts_past_the_ends_of_the_stack_like_gdb():
    # deet names only the frames a count passes; where the stack ends first, both stop
    # at its end, and a negative count goes the other way.
    _same_lines(sample("recursion"), ["break recursion.c:5", "run", "up 2", "up 100",
                                      "down 1", "down 100", "up -1", "up 3", "down -2",
                                      "frame"],
                r"^(#\d|\d+\t)")


def test_info_breakpoints_like_gdb_but_numbered_from_0():
    binary = sample("function_calls")
    script = ["break add", "tbreak compute", "break function_calls.c:18 if x == 10",
              "info breakpoints", "run", "continue", "disable 1", "info breakpoints"]
    deet = deet_script(binary, "\n".join(script).replace("disable 1", "disable 0") + "\n").stdout
    gdb = gdb_batch(binary, *script)
    table = re.compile(r"^(Num|\d+\s+breakpoint|\t(stop|breakpoint))")
    renumbered = [re.sub(r"^(\d+)", lambda m: str(int(m[1]) - 1).ljust(len(m[1])), line)
                  for line in gdb.splitlines() if table.match(line)]
    assert [line for line in deet.splitlines() if table.match(line)] == renumbered


def test_conditional_breakpoint_stops_only_where_true():
    run = deet_script(sample("recursion"), "break factorial if n == 2\nrun\nprint n\nc\n")
    assert "$1 = 2" in run.lines
    assert run.lines[-1] == "Child exited (status 0)"


def test_bad_input_is_one_line_each():
    script = [
        "print x", "info locals", "frame 1", "x/4x &global", "list 999", "delete 7",
        "break main", "run", "print", "print nosuch", "print 1 +", "print 1/0", "frame 9",
        "down", "x", "x/4xw 0", "x/q 0", "info registers nope", "list nosuch", "finish",
        "next x", "print *0", "disable 42", "info nothing", "print $9", "up 1", "up",
        "condition 9 x", "tbreak",
    ]
    run = deet_script(sample("function_calls"), "\n".join(script) + "\n")
    assert "Traceback" not in run.stdout + run.stderr
    assert run.lines[:4] == ['No symbol "x" in current context.', "No frame selected.",
                             "No registers.", "The program is not being run."]
    assert run.lines[4].startswith("Line number 994 out of range; ")
    assert run.lines[5] == "No breakpoint number 7."
    expected = [
        "History is empty.",
        'No symbol "nosuch" in current context.',
        "A syntax error in expression, near `'.",
        "Division by zero",
        "No frame at level 9.",
        "Bottom (innermost) frame selected; you cannot go down.",
        "Argument required (starting display address).",
        "0x0:\tCannot access memory at address 0x0",
        'Undefined output format "q".',
        "Invalid register `nope'",
        'Function "nosuch" not defined.',
        '"finish" not meaningful in the outermost frame.',
        'No symbol "x" in current context.',
        "Cannot access memory at address 0x0",
        "No breakpoint number 42.",
        'Undefined info command: "nothing".  Try "help info".',
        "History has not yet reached $9.",
        "Initial frame selected; you cannot go up.",
        "Initial frame selected; you cannot go up.",
        "No breakpoint number 9.",
        "Argument required (a location: *ADDR, LINE, FILE:LINE or FUNC).",
    ]
    tail = run.lines[-len(expected) - 1 : -1]
    assert tail == expected
