"""list A,B, list -, list FUNC and list without a program, against gdb reading the same
commands."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from support import PROGRAMS, build, deet_script, gdb_batch, have_gdb, program, sample
from test_prompt import gdb_stdin

from deet.render.text import STALE_SOURCE

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


def _warnings_and_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"^(warning: |\d+\t)", line)]


def _stale(build_dir, sources: dict[str, str]):
    """A program built from ``sources`` whose files were all written after it was."""
    paths = []
    for name, text in sources.items():
        path = build_dir / name
        path.write_text(text)
        paths.append(path)
    target = build(paths)
    later = target.stat().st_mtime + 10
    for path in paths:
        os.utime(path, (later, later))
    return target


@pytest.mark.parametrize("script", [
    ["list 1,2", "break square", "run", "list 1,2", "info source"],
    ["break square", "run", "list 1,2", "up", "info source"],
], ids=["listed-first", "stopped-first"])
def test_a_source_newer_than_its_program_is_warned_of_once_as_gdb_does(tmp_path, script):
    """A student who edits the source and forgets to rebuild: gdb warns the first time
    it reads the file, before the lines it shows (between a stop's headline and its
    line), and not again while the file is in its cache."""
    target = _stale(tmp_path, {"prompt.c": (PROGRAMS / "prompt.c").read_text()})
    deet = _warnings_and_lines(deet_script(target, "".join(f"{c}\n" for c in script)).stdout)
    gdb = _warnings_and_lines("".join(gdb_stdin(target, script)))
    assert deet == gdb
    assert deet.count(STALE_SOURCE) == 1


def test_a_stale_source_is_warned_of_again_once_it_leaves_gdbs_cache(tmp_path):
    """gdb's source cache holds five files: the sixth listed pushes out the one used
    least lately, which is read (and warned of) again when it is listed next."""
    names = [f"part{n}.c" for n in range(6)]
    sources = {name: f"int part{n}(void) {{\n    return {n};\n}}\n"
               for n, name in enumerate(names)}
    calls = " + ".join(f"part{n}()" for n in range(6))
    declarations = "".join(f"int part{n}(void);\n" for n in range(6))
    sources["main.c"] = f"{declarations}int main(void) {{\n    return {calls};\n}}\n"
    target = _stale(tmp_path, sources)
    script = [*(f"list {name}:1,1" for name in names[:5]), f"list {names[0]}:2,2",
              f"list {names[5]}:1,1", f"list {names[1]}:1,1", f"list {names[0]}:1,1",
              "list main.c:1,1", f"list {names[2]}:1,1", f"list {names[4]}:1,1",
              f"list {names[5]}:1,1"]
    deet = _warnings_and_lines(deet_script(target, "".join(f"{c}\n" for c in script)).stdout)
    gdb = _warnings_and_lines("".join(gdb_stdin(target, script)))
    assert deet == gdb
    assert deet.count(STALE_SOURCE) > len(sources)


def test_a_program_built_for_an_earlier_checkout_is_not_older_than_its_sources(tmp_path):
    """The tests' build cache keys binaries by the sources' text, and a fresh checkout
    writes the same text later: a binary reused from before must not look stale to gdb,
    the oracle (a CI run once failed 27 comparisons on gdb's warning)."""
    target = _stale(tmp_path, {"prompt.c": (PROGRAMS / "prompt.c").read_text()})
    assert build([tmp_path / "prompt.c"]) == target
    assert "warning" not in "".join(gdb_stdin(target, ["list 1,2"]))


def test_listing_errors_name_the_file_as_it_was_compiled_as_gdb(tmp_path):
    """``gcc -g prompt.c`` names the file ``prompt.c``: gdb's errors say that, not the
    full path."""
    shutil.copy(PROGRAMS / "prompt.c", tmp_path / "prompt.c")
    subprocess.run(["gcc", "-g", "-O0", "-o", "prompt", "prompt.c"], cwd=tmp_path, check=True)
    script = ["list 100,101", "list 1,1", "list -", "list 1,2"]
    deet = deet_script(tmp_path / "prompt", "".join(f"{c}\n" for c in script)).lines
    gdb = "".join(gdb_stdin(tmp_path / "prompt", script)).splitlines()
    assert deet == [line for line in gdb if line]
    count = len((tmp_path / "prompt.c").read_text().splitlines())
    assert deet[0] == f"Line number 100 out of range; prompt.c has {count} lines."
