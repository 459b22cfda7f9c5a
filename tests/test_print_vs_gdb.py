"""``print``, ``info args`` and ``info locals`` against gdb's, character for character,
on programs deet's authors did not write by hand: seeded type-heavy programs from
tests/programs/typegen.py, and zlib's enough.c (Mark Adler)."""

from __future__ import annotations

import os
import re
import sys

import pytest
from support import COURSE_FLAGS, PROGRAMS, build, deet_script, gdb_batch, program, sample

sys.path.insert(0, str(PROGRAMS))
from typegen import generate

# Lines that are values: "$N = ..." from print, "NAME = ..." from info args/locals (gdb's
# errors go to its stderr, which is not compared; a name out of scope takes no $N in either).
_VALUE = re.compile(r"^(\$\d+|[A-Za-z_]\w*) = |^No (locals|arguments)\.$")
# gdb sets LINES and COLUMNS in the program's environment: with neither debugger passing
# them on, both programs start with the same environment and the same stack addresses.
GDB_ENVIRONMENT = ("unset environment LINES", "unset environment COLUMNS")


def deet_environment() -> dict[str, str]:
    """The environment now (pytest changes PYTEST_CURRENT_TEST as a test runs)."""
    return {k: v for k, v in os.environ.items() if k not in ("LINES", "COLUMNS")}


def _values(text: str) -> list[str]:
    return [line for line in text.splitlines() if _VALUE.match(line)]


def _compare(binary, stops: list[tuple[str, list[str]]], args: tuple[str, ...] = (),
             formats: tuple[str, ...] = ("",)) -> int:
    """Break at each location, and at each stop print its variables in both debuggers
    (once for each of ``formats``: "" for plain ``print``, "/x" for ``print/x``...)."""
    script = [f"tbreak {location}" for location, _ in stops]
    script.append("run " + " ".join(args))
    for location, names in stops:
        # At a function's entry its locals hold whatever the stack held: not comparable.
        shown = ["info args", "info locals"] if ":" in location else ["info args"]
        prints = [f"print{fmt} {name}" for fmt in formats for name in names]
        script += [*shown, *prints, "continue"]
    deet = deet_script(binary, "\n".join(script) + "\n", env=deet_environment())
    gdb = gdb_batch(binary, *GDB_ENVIRONMENT, *script)
    deet_values, gdb_values = _values(deet.stdout), _values(gdb)
    assert deet_values == gdb_values
    return len(deet_values)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_generated_programs_print_like_gdb(tmp_path, seed):
    generated = generate(seed)
    source = tmp_path / f"types{seed}.c"
    source.write_text(generated.source)
    binary = build([source], (*COURSE_FLAGS, "-w"))
    stops = [(f"{source}:{stop.line}", stop.names) for stop in generated.stops]
    assert _compare(binary, stops, formats=("", "/x", "/d")) > 100


def test_enough_c_prints_like_gdb():
    """Breakpoints at function entries and mid-function, nested block scopes, a global
    struct full of pointers, recursion."""
    globals_ = ["g", "g.code", "g.num", "g.done", "*g.done", "g.out", "g.out.str", "&g",
                "g.code[1]", "g.root + g.max * 2", "-g.max / 4"]
    # In the order the program reaches them. (A name out of scope that libc defines, such
    # as ``index``, would differ: gdb reads libc's symbols, deet only the program's.)
    stops = [
        ("main", ["argc", "argv", "argv[1]", "*argv", "syms", *globals_]),
        ("enough.c:270", ["syms", "left", "len", "index", "got", "g.num[index]", *globals_]),
        ("enough.c:467", ["n", "left", "index", "syms", "g.large", "g.code[0]"]),
        ("examine", ["syms", "left", "len", "mem", "rem", *globals_]),
        ("been_here", ["syms", "left", "len", "mem", "rem"]),
        ("enough.c:323", ["index", "mem", "rem", "offset", "bit", "length", "g.done[index]",
                          "g.done[index].vec", "*g.done[index].vec"]),
    ]
    assert _compare(program("enough"), stops, args=("20", "9", "11")) > 60


def test_optimised_code_prints_like_gdb():
    """-O2: parameters and locals in location lists and registers, values gdb (and deet)
    call <optimized out>, in frame 0 and in the caller."""
    binary = program("optimised", ("-O2", "-g", "-no-pie", "-fno-omit-frame-pointer"))
    # (``up`` only once past the entry: at a function's first instruction the frame-pointer
    # walk cannot find the caller yet.)
    script = ["break work", "break optimised.c:9", "run", "info args", "info locals", "print n",
              "print *p", "print p->a + n", "continue", "info locals", "print i", "print sq",
              "print total", "up", "info args", "info locals", "print argc", "print r",
              "print p"]
    deet = deet_script(binary, "\n".join(script) + "\n", env=deet_environment())
    gdb = gdb_batch(binary, *GDB_ENVIRONMENT, *script)
    values = _values(deet.stdout)
    assert values == _values(gdb)
    assert "argc = <optimized out>" in values


def test_globals_print_like_gdb_before_the_program_runs():
    """gdb reads globals from the executable file before ``run``; so does deet."""
    binary = sample("function_calls")
    script = ["print global", "print &global", "print global * 2", "print add", "print &add",
              "print nosuch", "break add", "run", "print global", "kill", "print global"]
    deet = deet_script(binary, "\n".join(script) + "\n", env=deet_environment())
    gdb = gdb_batch(binary, *GDB_ENVIRONMENT, *script)
    values = _values(deet.stdout)
    assert values == _values(gdb)
    assert len(values) == 7
    assert values[0] == "$1 = 5"


def test_aggregates_print_like_gdb():
    source = (PROGRAMS / "aggregates.c").read_text().splitlines()
    stop = next(n for n, text in enumerate(source, 1) if "return r.grid" in text)
    names = ["r", "*rp", "r.grid[1]", "r.grid[1][2]", "r.names[1]", "r.flags", "r.ld", "r.u",
             "r.op", "r.op.f", "r.sign", "*r.pp", "r.pp[1]", "r.bytes", "s", "esc", "nanf",
             "negz", "inf", "lda", "counter", "calls", "words", "grid_global[2]",
             "&grid_global[1]", "big", "&r.grid", "r.grid[0] + 1", "*r.names", "&r.op",
             "rp->op.name", "r.dz", "&calls", "&words[1]", "-r.sign", "r.sign + 1",
             "r.flags[0] + 1", "r.u.parts.hi * -3", "r.ld * 2", "lda[1]", "esc[2]", "s[3]",
             "*s@3", "r.grid[0][1]@4", "counter@2"]
    binary = program("aggregates", (*COURSE_FLAGS, "-w"))
    assert _compare(binary, [(f"aggregates.c:{stop}", names)], formats=("", "/x")) > 80


def test_locals_of_nested_blocks_are_listed_in_gdb_s_order():
    """gdb keeps a nested block's symbols in a hash table and lists them in its order;
    ``info locals`` and ``bt full`` here must list them as gdb does, character for
    character, in a block of variables and in one that also declares a type, an enum
    and its constants."""
    target = program("blocks")
    commands = ["break 12", "break 18", "run", "info locals", "continue", "info locals",
                "bt full"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).stdout
    gdb = gdb_batch(target, *commands)
    mine, theirs = _values(deet), _values(gdb)
    assert mine == theirs
    # The hash order is not the declaration order: the test would not notice otherwise.
    assert mine.index("beta = 0") < mine.index("alpha = 0")
