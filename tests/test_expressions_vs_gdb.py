"""C expressions (issue 16) against gdb on the same binary: operators, casts, sizeof,
literals, scope, ``{type} addr``, and gdb's words for each error. Both debuggers' error
lines are compared in order with the values (gdb's stderr merged into its stdout)."""

from __future__ import annotations

import re
import sys

import pytest
from support import COURSE_FLAGS, PROGRAMS, build, deet_script, gdb_batch, have_gdb, program
from test_print_vs_gdb import GDB_ENVIRONMENT, deet_environment

sys.path.insert(0, str(PROGRAMS))
from typegen import generate

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")

EXPRESSIONS = [
    "1 && 0", "3 || 0", "!5", "!ratio", "&first && 1", "!&first", "1 ? 2 : 3",
    "0 ? 2 : 0 ? 3 : 4", "1 ? first : second", "0 ? 1 : ratio", "(1, ratio)",
    "(char)65", "(char)321", "(struct node *)&first", "(unsigned long)-1", "(long)3.9",
    "(float)ratio", "(unsigned char)300", "(short)-1", "(enum colour)4", "(double)7/2",
    "(ulong_t)3", "(node_t *)0", "(const char *)greeting", "(char *)greeting + 1",
    "(int (*)(int, int))add", "(int *)ratio", "(long)first", "(long)numbers", "(node_t)first",
    "(struct node)1", "(struct nosuch *)0", "(nosuch_t)1",
    "sizeof(int)", "sizeof first", "sizeof(struct node)", "sizeof(node_t *)", "sizeof(int[3])",
    "sizeof numbers / sizeof numbers[0]", "sizeof(long double)", "sizeof(short)",
    "sizeof(unsigned long long)", "sizeof letter", "sizeof -letter", "sizeof(int) * 2",
    "sizeof(\"abc\")", "sizeof(struct nosuch)",
    "1.5 + 2", "1e3", "3.0f", "1.5e-3", ".5", "2.", "10/3.0", "1.0/3", "(float)1/3",
    "1.5f + 1", "ratio * 2", "ratio + letter", "ratio > 2", "1/0.0", "-1/0.0", "0.1",
    "'A' + 1", "'\\n'", "'\\0'", "'\\101'", "'\\x41'", "'\\''", "'\\e'", "\"a\\tb\"",
    "\"\\x41\\102c\"", "\"x\" \"y\"", "\"abc\"[1]", "'\\x'", "''", "'ab'", "\"unterminated",
    "1 << 4", "-16 >> 2", "1 << 40", "letter << 1", "-1 >> 1", "0x80000000 >> 1", "6 & 3",
    "6 | 3", "6 ^ 3", "~0", "1 | 2 ^ 3 & 4", "1 << 2 + 1", "ratio & 1", "ratio % 2", "~ratio",
    "&numbers[1] < &numbers[3]", "&numbers[3] - &numbers[1]", "&first == 0", "greeting == 0",
    "numbers == numbers", "&first + 1", "1 - &first", "&first & 1",
    "10 / 3 * 3", "2 + 3 * 4 - 1", "(2 + 3) * 4", "1 - - 1", "1 < 2 == 1", "3 > 2 > 1",
    "-5 % 3", "7/2", "5 % 0", "0x10", "010", "09", "08", "0x", "12abc", "1.2.3",
    "4294967296", "2147483647 + 1", "-(-2147483647-1)", "18446744073709551615",
    "100000000000000000000", "1u", "-1u", "1ul << 63", "0xffffffff",
    "compute::calls", "compute::local", "add::nosuch", "nosuchf::x", "'expressions.c'::global",
    "'nosuch.c'::x", "'expressions.c'::nosuch",
    "{int} &numbers[2]", "{char} greeting", "{node_t} &second",
    "*numbers@3", "numbers[1]@2", "1 + numbers[1]@2", "global@10000000000", "global@100000",
    "global@0", "big@ratio", "-numbers[1]", "first.next->next->value", "*first.next",
    "&first.next", "nosuch", "1 +", "(1", "1)", "a ? b", "f(", "letter.x", "numbers.x",
]


def _transcript(text: str) -> list[str]:
    """Value and error lines after the breakpoint's stop, the stop report left out."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^\d+\t", line)) + 1
    return [line for line in lines[start:] if not line.startswith(("warning: ", "Killing running"))]


def test_expressions_print_like_gdb():
    binary = program("expressions")
    script = ["break compute", "run", *(f"print {e}" for e in EXPRESSIONS)]
    deet = deet_script(binary, "\n".join(script) + "\n")
    gdb = gdb_batch(binary, *script, errors=True)
    assert _transcript(deet.stdout) == _transcript(gdb)


def test_deep_nesting_evaluates_like_gdb():
    """140 parentheses and 1000 unary minuses: no RecursionError, gdb's answers (``--``
    written without spaces is a decrement, which gdb refuses on a constant)."""
    binary = program("expressions")
    expressions = ["(" * 140 + "1" + ")" * 140, "- " * 1000 + "1", "-" * 1000 + "1",
                   "!" * 999 + "0", "~" * 2001 + "1", " + ".join(["1"] * 3000)]
    script = ["break compute", "run", *(f"print {e}" for e in expressions)]
    deet = deet_script(binary, "\n".join(script) + "\n")
    assert "Traceback" not in deet.stdout + deet.stderr
    gdb = gdb_batch(binary, *script, errors=True)
    assert _transcript(deet.stdout) == _transcript(gdb)


_SET = re.compile(r"^(Breakpoint \d+ at|Set breakpoint \d+ at)")


def test_bad_conditions_are_refused_when_set_like_gdb():
    """``break LOC if COND`` and ``condition N COND`` parse COND in LOC's scope: gdb's
    error, quoting the user's text, and no breakpoint; a good condition is kept."""
    binary = program("expressions")
    conditions = ["nosuch == 1", "local +", "local > 1", "(node_t *)list == &first",
                  "a ? b", "calls == 7 &&", "nosuchf(1)", "(struct nosuch *)list", "1 )",
                  "'\\x'"]
    script = [*(f"break compute if {c}" for c in conditions), "break main if local == 1",
              "break add if a == 1 && b"]
    # deet numbers breakpoints from 0 (DEET's numbering), gdb from 1.
    deet = deet_script(binary, "\n".join([*script, "condition 0 nosuch", "condition 0 local )",
                                          "condition 0 calls > 1", "info breakpoints"]) + "\n")
    gdb = gdb_batch(binary, *script, "condition 1 nosuch", "condition 1 local )",
                    "condition 1 calls > 1", "info breakpoints", errors=True)

    def errors(text: str) -> list[str]:
        return [line for line in text.splitlines() if not _SET.match(line)
                and not re.match(r"^(\d|Num|\t)", line)]

    def kept(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.startswith("\t")]

    assert errors(deet.stdout) == errors(gdb)
    assert len(errors(gdb)) == 11
    assert kept(deet.stdout) == kept(gdb)


@pytest.mark.parametrize("expression", ["'\\x'", "09", "global@10000000000"])
def test_hostile_input_is_refused_in_gdb_words(expression):
    """From the hardening issue: each was a traceback or a MemoryError; gdb refuses each
    with one line, and so does deet (the session goes on)."""
    binary = program("expressions")
    script = ["break compute", "run", f"print {expression}", "print 1"]
    deet = deet_script(binary, "\n".join(script) + "\n")
    assert "Traceback" not in deet.stdout + deet.stderr
    gdb = gdb_batch(binary, *script, errors=True)
    assert _transcript(deet.stdout) == _transcript(gdb)
    assert len(_transcript(gdb)) == 2


def test_before_the_program_runs_like_gdb():
    """From the executable file: types, sizes, casts and convenience variables work;
    calls and writes to the program cannot."""
    binary = program("expressions")
    commands = ["print add(1,2)", "set var global = 3", "print $n = 4", "print $n",
                "ptype struct node", "whatis add", "print sizeof(struct pair)",
                "print (char)global", "print global + numbers[1]"]
    deet = deet_script(binary, "\n".join(commands) + "\n").stdout.splitlines()
    gdb = gdb_batch(binary, *commands, errors=True).splitlines()
    assert deet == gdb


_OPERATORS = ["print (long){n}", "print sizeof {n}", "print !{n}", "print {n} == {n}",
              "whatis &{n}", "print {n} ? 1 : 2", "print -{n}", "print ~{n}", "print {n} << 1",
              "print (char){n}", "print {n} * 2.5", "print {n} && 1", "print {n} | 1"]


@pytest.mark.parametrize("seed", [2, 3, 5])
def test_operators_on_generated_variables_like_gdb(tmp_path, seed):
    """Every operator class on every variable of a seeded program (structs, unions,
    enums, arrays, pointers, bit-fields): gdb's value or gdb's refusal, line for line."""
    generated = generate(seed)
    source = tmp_path / f"types{seed}.c"
    source.write_text(generated.source)
    binary = build([source], (*COURSE_FLAGS, "-w"))
    stop = generated.stops[0]
    commands = [op.format(n=name) for name in stop.names for op in _OPERATORS]
    script = [f"break {source}:{stop.line}", "run", *commands]
    deet = deet_script(binary, "\n".join(script) + "\n", env=deet_environment())
    gdb = gdb_batch(binary, *GDB_ENVIRONMENT, *script, errors=True)
    assert _transcript(deet.stdout) == _transcript(gdb)
    assert len(_transcript(gdb)) == len(commands)


def test_function_scope_finds_the_nearest_frame_running_it_like_gdb():
    """``FUNC::var``: a static of FUNC anywhere; a local from the frame nearest the
    selected one out that runs FUNC, or gdb's refusal when none does."""
    binary = program("expressions")
    script = ["break add", "run", "print main::argc", "print compute::local",
              "print compute::calls", "print add::a", "print twice::x",
              "set var main::result = 5", "print main::result", "up", "print main::argc",
              "print add::a", "print 'expressions.c'::counter"]
    deet = deet_script(binary, "\n".join(script) + "\n").stdout
    gdb = gdb_batch(binary, *script, errors=True)
    answer = re.compile(r"^(\$\d+ = |No )")
    shown = [line for line in gdb.splitlines() if answer.match(line)]
    assert [line for line in deet.splitlines() if answer.match(line)] == shown
    assert len(shown) == 9
