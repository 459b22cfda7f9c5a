"""Calls into the program (issue 16) against gdb: ``print f(2)``, ``call f(2)`` by the
System V x86-64 ABI (integer, pointer, double and small-struct arguments and returns, a
string literal copied into the program), a void function, functions of libc, and a call
that stops at a breakpoint or is signalled, reported in gdb's words."""

from __future__ import annotations

import re

import pytest
from support import deet_frames, deet_script, gdb_batch, gdb_frames, have_gdb, program

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")

CALLS = [
    "print add(2, 3)", "call add(2,3)", "call bump()", "print bump()", "print counter",
    "print scale(1.5, 3)", "print length(\"hello\")", "print length(greeting)",
    "print swap(first)", "print swap(swap(first))", "print mix(3, 2.5)", "print sum_list(&first)",
    "print twice(21)", "print operation(4, 5)", "print add(1)", "print add(1,2,3)",
    "print (long)strlen(greeting)", "print strlen(greeting)", "print (int)abs(-3)",
    "print add(ratio, 1)", "print scale(2, 2)", "print ratio(1)",
    "print add(add(1, 2), add(3, 4)) * 2", "print sum_list(first.next) + twice(counter)",
    "whatis add(1, 2)", "print counter", "print local", "print half", "info registers rip",
    "next", "print local", "info registers rip",
]
# Returns in memory (a 24-byte struct), arguments on the stack (the seventh integer, the
# ninth double, a long double, a 24-byte struct), float and char in registers.
IN_MEMORY_AND_ON_THE_STACK = [
    'print make_triple(4)',
    'print sum_triple(make_triple(5))',
    'print make_triple(2).c',
    'print many(1, 2, 3, 4, 5, 6, 7, 8)',
    'print many_doubles(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)',
    'print halve(3)',
    'print halve(ratio)',
    'print ld_twice(1.25)',
    "print next_char('a')",
    'print next_char(letter)',
    "print mixed_args(1, 2.5, swap(swap(first)), 4.0, make_triple(1), 'A')",
    'print mix(1, 2).d * 2',
    'print sum_triple(make_triple(sum_list(&first)))',
    'print fswap(*(struct fpair *)&ratio)',
]


def _after_stop(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^\d+\t", line)) + 1
    return [line for line in lines[start:] if not line.startswith("Killing running")]


def test_calls_like_gdb():
    """Values as gdb prints them, and afterwards every register as it was (the program
    goes on from where it stood)."""
    binary = program("expressions")
    script = ["break expressions.c:46", "run", *CALLS]
    deet = deet_script(binary, "\n".join(script) + "\n")
    gdb = gdb_batch(binary, *script, errors=True)
    shown = _after_stop(gdb)
    assert _after_stop(deet.stdout) == shown
    assert "$1 = 5" in shown and "$7 = 12" in shown


def test_arguments_and_returns_in_memory_and_on_the_stack_like_gdb():
    binary = program("expressions")
    script = ["break compute", "run", *IN_MEMORY_AND_ON_THE_STACK]
    deet = deet_script(binary, "\n".join(script) + "\n")
    gdb = gdb_batch(binary, *script, errors=True)
    shown = _after_stop(gdb)
    assert _after_stop(deet.stdout) == shown
    assert shown[0] == "$1 = {a = 4, b = 8, c = 12}"


_GDB_WORDS = re.compile(r"^(The program being debugged|GDB remains|To change|Evaluation of|"
                        r"\(\w+\) will be|When the function)")


def test_a_call_that_stops_or_crashes_is_reported_like_gdb():
    binary = program("expressions")
    script = ["break compute", "break stopper", "run", "print stopper(1)", "print crash(0)",
              "info registers rip"]
    deet = [line for line in deet_script(binary, "\n".join(script) + "\n").stdout.splitlines()
            if not line.startswith("Killing running")]
    gdb = gdb_batch(binary, *script, errors=True).splitlines()
    assert [line for line in deet if _GDB_WORDS.match(line)] == \
        [line for line in gdb if _GDB_WORDS.match(line)]
    assert len([line for line in gdb if _GDB_WORDS.match(line)]) == 10
    # The program stays where the signal stopped it, in both.
    assert deet[-1].split()[:2] == gdb[-1].split()[:2]
    assert "<crash+" in deet[-1] and "<crash+" in gdb[-1]


def test_an_abandoned_call_returns_to_the_caller_when_its_function_returns():
    """gdb "will silently stop" when the abandoned function returns: the frame the call
    was made from is back, with its registers, and the program goes on from there."""
    binary = program("expressions")
    script = ["break compute", "break stopper", "run", "print stopper(1)", "continue", "bt",
              "print local", "print $pc == compute", "continue", "print x"]
    deet = deet_script(binary, "\n".join(script) + "\n").stdout
    gdb = gdb_batch(binary, *script)
    assert [f.function for f in deet_frames(deet.splitlines())] == \
        [f.function for f in gdb_frames(gdb)] == ["compute", "main"]
    values = re.compile(r"^\$\d+ = ")
    assert [line for line in deet.splitlines() if values.match(line)] == \
        [line for line in gdb.splitlines() if values.match(line)]


def test_every_register_is_as_it_was_after_calls():
    """The general registers before and after calls that use and clobber them (double
    arguments, struct returns, a libc function), and a value the program computed."""
    binary = program("expressions")
    script = ["break expressions.c:46", "run", "info registers",
              "print many_doubles(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)", "print make_triple(3)",
              "print (int)abs(-7)", "print mix(1, 2.5)", "info registers", "print half"]
    lines = deet_script(binary, "\n".join(script) + "\n").stdout.splitlines()
    registers = [line for line in lines if re.match(r"^(r[a-z0-9]+|eflags|[cdefgs]s)\s", line)]
    half = len(registers) // 2
    assert half > 16 and registers[:half] == registers[half:]
    gdb = gdb_batch(binary, *script[:2], "print half")
    assert lines[-2] == gdb.splitlines()[-1].replace("$1", "$5")
