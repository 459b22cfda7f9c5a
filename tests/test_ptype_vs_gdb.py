"""``ptype`` and ``whatis`` against gdb, line for line: type names, expressions and
functions on programs with structs, unions, enums, typedefs, arrays, bit-fields and
function pointers (tests/programs/expressions.c, aggregates.c, typegen's programs)."""

from __future__ import annotations

import re
import sys

import pytest
from support import COURSE_FLAGS, PROGRAMS, build, deet_script, gdb_batch, have_gdb, program

sys.path.insert(0, str(PROGRAMS))
from typegen import generate

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")

EXPRESSIONS_C = [
    "ptype struct node", "ptype node_t", "whatis node_t", "whatis struct node", "ptype int*",
    "whatis int*", "ptype first", "whatis first", "ptype union word", "ptype word",
    "ptype enum colour", "whatis colour", "ptype colour", "ptype binop", "whatis binop",
    "ptype operation", "whatis operation", "ptype add", "whatis add", "ptype main",
    "ptype compute", "ptype numbers", "whatis numbers", "ptype ulong_t", "whatis ulong_t",
    "whatis big", "ptype big", "ptype list", "whatis list", "ptype greeting", "ptype 1+2",
    "whatis 1.5", "ptype struct nosuch", "ptype nosuch", "ptype struct pair", "ptype swap",
    "ptype bump", "ptype unsigned long", "ptype struct mixed *", "whatis (char)1",
    "ptype name", "whatis &name", "ptype &first", "whatis *list", "ptype length",
    "ptype crash", "whatis crash", "ptype sum_list", "ptype scale", "ptype int",
    "whatis int", "ptype char **", "ptype $pc", "whatis $rsp", "ptype 1 == 2", "whatis twice",
    "whatis local++", "ptype struct node *[3]", "whatis unsigned", "ptype int (*)(int, char)",
    "whatis node_t *", "ptype node_t *", "whatis first.next", "ptype first.next", "ptype 1 +",
    "whatis sizeof(int)", "print local",
]
AGGREGATES_C = [
    "ptype struct rec", "whatis r", "ptype r.u", "ptype r.op", "ptype rp", "whatis r.sign",
    "ptype r.sign", "ptype r.u.parts", "ptype struct ops", "ptype binop", "ptype words",
    "ptype lda", "whatis r.grid[1]", "ptype r.dz", "whatis big", "ptype add",
    "whatis &r.op.f", "ptype r.flags",
]


def _after_stop(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^\d+\t", line)) + 1
    return [line for line in lines[start:] if not line.startswith("Killing running")]


def _compare(binary, stop: str, commands: list[str]) -> list[str]:
    script = [f"break {stop}", "run", *commands]
    deet = deet_script(binary, "\n".join(script) + "\n")
    gdb = gdb_batch(binary, *script, errors=True)
    assert _after_stop(deet.stdout) == _after_stop(gdb)
    return _after_stop(gdb)


def test_ptype_and_whatis_like_gdb():
    shown = _compare(program("expressions"), "compute", EXPRESSIONS_C)
    assert "type = int (int, char **)" in shown
    # whatis local++ did not change local (types only).
    assert shown[-1] == "$1 = 0"


def test_ptype_of_nested_anonymous_types_like_gdb():
    shown = _compare(program("aggregates"), "main", AGGREGATES_C)
    assert "        struct {...} parts;" in shown


@pytest.mark.parametrize("seed", [1, 2])
def test_ptype_of_generated_types_like_gdb(tmp_path, seed):
    generated = generate(seed)
    source = tmp_path / f"types{seed}.c"
    source.write_text(generated.source)
    binary = build([source], (*COURSE_FLAGS, "-w"))
    tags = sorted(set(re.findall(r"^(?:typedef )?((?:struct|union|enum) \w+) \{",
                                 generated.source, re.M)))
    typedefs = sorted(set(re.findall(r"\} (\w+_t);", generated.source)))
    stop = generated.stops[0]
    commands = [f"{command} {name}" for name in [*tags, *typedefs, *stop.names]
                for command in ("ptype", "whatis")]
    assert len(_compare(binary, f"{source}:{stop.line}", commands)) > 20


def test_qualified_typedefs_and_pointers_are_written_as_gdb_writes_them():
    """A qualifier goes before a typedef's name though the typedef names a pointer
    (``volatile handler``; deet wrote ``handler  volatile``, found in Lua's ``volatile
    lua_CFunction``), and after a pointer's star (``int * const volatile``), in gdb's
    order whatever the DWARF's."""
    names = ("on_event", "fixed", "pinned", "raw", "both", "pair", "handlers", "pinned_at",
             "pair[0]", "*handlers", "&pinned", "&fixed", "&raw")
    shown = _compare(program("qualified"), "main", [
        f"{command} {name}" for name in names for command in ("print", "whatis", "ptype")])
    assert "type = volatile handler" in shown
    # Looked through under a pointer, a qualified typedef loses its qualifiers in gdb.
    assert "type = int **" in shown
