"""list A,B, list -, list FUNC and list without a program, against gdb reading the same
commands."""

from __future__ import annotations

import re

import pytest
from support import deet_script, gdb_batch, have_gdb, program, sample
from test_prompt import gdb_stdin

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")


def _source_lines(text: str) -> list[str]:
    """The listing lines and errors, without DEET's stop report."""
    skip = ("Set breakpoint", "Child ", "Stopped at", "Killing", "Breakpoint ", "Starting",
            "[", "Using", "Reading", "A debugging", "Quit anyway", "\tInferior")
    return [line for line in text.splitlines() if line and not line.startswith(skip)]


@pytest.mark.parametrize("script", [
    ["list 3,5", "list", "list -", "list -", "list -"],
    ["list square", "list -", "list -"],
    ["list 20,", "list ,12", "list sum_to,square", "list square,20", "list prompt.c:10,12"],
    ["list"],
    ["break square", "run", "list -", "list", "list 30,40", "list -", "list -", "list -",
     "list -"],
], ids=["range-then-back", "function-back", "ranges", "no-program", "after-a-stop"])
def test_listings_are_gdbs(script):
    target = program("prompt")
    deet = deet_script(target, "".join(f"{line}\n" for line in script)).stdout
    gdb = "".join(gdb_stdin(target, script))
    # The stop's own source line is part of gdb's stop report, not of a listing.
    gdb_lines = _source_lines(gdb)
    if "run" in script:
        gdb_lines = gdb_lines[1:]
        deet_lines = _source_lines(deet)[1:]
    else:
        deet_lines = _source_lines(deet)
    assert deet_lines == gdb_lines


@pytest.mark.parametrize("location", ["two_files_shout.c:helper", "two_files_main.c:helper",
                                      "two_files_main.c:main", "nofile.c:main",
                                      "two_files_main.c:nosuch"])
def test_break_file_func_is_gdbs(location):
    """A static function defined in both files: FILE picks one, at gdb's address."""
    target = sample("two_files")
    deet = deet_script(target, f"break {location}\n").lines[0]
    gdb = gdb_batch(target, f"break {location}", errors=True).splitlines()[0]
    address = re.match(r"Breakpoint 1 at (0x[0-9a-f]+): ", gdb)
    if address:
        assert deet == f"Set breakpoint 0 at {address[1]}"
    else:
        assert deet == gdb


def test_print_pretty_lays_out_structs_as_gdb():
    """Nested structs, an anonymous union, arrays of arrays and of pointers."""
    target = program("aggregates")
    commands = ["set print pretty on", "set pagination off", "set confirm off",
                "set width 0", "set height 0", "break 22", "run", "print r", "print r.u",
                "print grid_global", "print *rp", "set print pretty off", "print r.op"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).stdout
    gdb = gdb_batch(target, *commands)
    values = re.compile(r"^\$\d+ = .*?(?=^\$\d+ = |\Z)", re.S | re.M)
    got = values.findall(deet)
    got[-1] = got[-1].split("\nKilling running inferior")[0] + "\n"
    assert got == values.findall(gdb)
    assert len(got) == 5
