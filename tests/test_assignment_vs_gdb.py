"""Assignment (issue 16) against gdb: ``set var``, ``print x = 3``, compound operators,
``++``/``--``, members, elements, pointers, floats, chars, enums, structs, registers and
convenience variables; and the program goes on with what was written."""

from __future__ import annotations

import re

import pytest
from support import deet_script, gdb_batch, have_gdb, program

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")

COMMANDS = """
set var local = 3
print local
print local = 7
set variable local += 5
print local
print local++
print local
print ++local
print --local
print local *= 2
print local /= 3
print local %= 4
print local <<= 3
print local |= 1
print local ^= 3
print local &= 6
print local >>= 1
set var half = 1.25
print half
print half = half * 3
print half += 1
print local = 2.9
print half = 7
set var first.value = 11
print first
print first.next->value = 22
print second
set var numbers[2] = -1
print numbers
print numbers[1]++
print numbers
print *numbers = 5
print list = &third
print *list
print list->value
print list = 0
set var letter = 'Z'
print letter
print letter = 66
print letter += 1
print name[0] = 'D'
print name
print word.bytes[0] = 255
print word
print colour = BLUE
print colour = 0
print colour
print big = -1
print first = second
print first
print numbers = 1
print 3 = 4
print local + 1 = 2
print (local) = 9
print local
set $n = 3
print $n
print $n + 1
print $n = $n * 2
print $n++
print $n
set $d = 1.5
print $d
print $nope
print $s = first
print $s.value
print local = $n
whatis $n
set var local = nosuch
set var local ==
set local = 44
print local
set $rax = 1
print $rax
print $eax = 0x12345678
print $rax
print $rax = -1
print $eax = 5
print $rax
set $rbx = 0x1122334455667788
print $ebx = 1
print/x $rbx
print $pc = $pc
print $nosuchreg2
set var sizeof(int) = 4
""".strip().splitlines()


def _after_stop(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^\d+\t", line)) + 1
    return [line for line in lines[start:] if not line.startswith("Killing running")]


def test_assignments_like_gdb():
    binary = program("expressions")
    script = ["break expressions.c:48", "run", *COMMANDS]
    deet = deet_script(binary, "\n".join(script) + "\n")
    gdb = gdb_batch(binary, *script, errors=True)
    shown = _after_stop(gdb)
    assert _after_stop(deet.stdout) == shown
    assert "$1 = 3" in shown and "Invalid cast." in shown


def _exit_code(text: str) -> int:
    match = re.search(r"exited (?:with code |\(status )(\d+)", text)
    return int(match[1], 8 if "with code" in match[0] else 10) if match else 0


def test_the_program_sees_what_was_written():
    """Memory and a register written at a stop: the program's result changes as in gdb
    (``$rax`` at ``bump``'s return is not used; ``local`` and ``numbers[0]`` are)."""
    binary = program("expressions")
    script = ["break expressions.c:48", "break bump", "run", "set var local = 100",
              "set var numbers[0] = 1", "continue", "set $rax = 7", "continue"]
    deet = deet_script(binary, "\n".join(script) + "\n").stdout
    gdb = gdb_batch(binary, *script)
    plain = gdb_batch(binary, "run")
    assert _exit_code(deet) == _exit_code(gdb) != _exit_code(plain)
