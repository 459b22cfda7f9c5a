"""next, step, finish, stepi against gdb on the same binaries: the same lines in the same
order, the same frame lines, the same returned values."""

from __future__ import annotations

import os
import re
import sys

import pytest
from support import (
    COURSE_FLAGS,
    PROGRAMS,
    build,
    deet_script,
    gdb_batch,
    program,
    sample,
)

sys.path.insert(0, str(PROGRAMS))
from typegen import generate

# Both debuggers run the program without gdb's LINES/COLUMNS, so stacks agree. These
# comparisons step through the program's own code; libc's debug info is kept from both
# (deet has gdb's setting), since stepping deep into optimised libc is the -O2 sweep's
# business (tests/differential.py), not theirs.
GDB_SETUP = ("unset environment LINES", "unset environment COLUMNS")
NO_LIBC_DEBUG = "set debug-file-directory /nonexistent"
_LINE = re.compile(r"^(?:0x[0-9a-f]+\t)?(\d+)\t")
_FRAME = re.compile(r"^(?:0x[0-9a-f]+ in )?\w+ \(.*\) at \S+:\d+$")


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("LINES", "COLUMNS")}


def _stops(text: str) -> list[str]:
    """The source-line and frame lines a session printed, in order."""
    return [line for line in text.splitlines() if _LINE.match(line) or _FRAME.match(line)]


def _both(binary, commands: list[str], args: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    script = [NO_LIBC_DEBUG, "break main", "run " + " ".join(args), *commands]
    deet = deet_script(binary, "\n".join(script) + "\n", env=_environment())
    gdb = gdb_batch(binary, *GDB_SETUP, *script, errors=True)
    return _stops(deet.stdout), _stops(gdb)


@pytest.mark.parametrize("name", ["function_calls", "recursion", "count", "two_files"])
def test_next_from_main_visits_the_lines_gdb_visits(name):
    deet, gdb = _both(sample(name), ["next"] * 12)
    assert deet == gdb
    assert len(deet) > 3


def test_next_through_enough_c_visits_the_lines_gdb_visits():
    deet, gdb = _both(program("enough"), ["next"] * 40, args=("12", "5", "7"))
    assert deet == gdb
    assert len(deet) > 30


@pytest.mark.parametrize("name", ["function_calls", "recursion", "two_files"])
def test_step_enters_the_functions_gdb_enters(name):
    deet, gdb = _both(sample(name), ["step"] * 20)
    assert deet == gdb


def test_finish_shows_the_caller_and_the_returned_value_like_gdb():
    binary = sample("function_calls")
    script = ["break add", "run", "finish", "finish", "print $", "print $1 + 1"]
    deet = deet_script(binary, "\n".join(script) + "\n", env=_environment()).stdout
    gdb = gdb_batch(binary, *GDB_SETUP, *script)
    wanted = re.compile(r"^(Value returned|Run till exit|\$\d+ = |0x[0-9a-f]+ in )")
    gdb_lines = [line for line in gdb.splitlines() if wanted.match(line)]
    deet_lines = [line for line in deet.splitlines() if wanted.match(line)]
    # gdb prints "Run till exit from ..." only to a terminal.
    assert [line for line in deet_lines if not line.startswith("Run till")] == gdb_lines
    assert deet_lines[0].startswith("Run till exit from #0  add (a=10, b=5) at ")


def test_finish_in_a_recursion_returns_to_the_right_frame():
    binary = sample("recursion")
    script = ["break factorial if n == 2", "run", "finish", "finish", "bt"]
    deet = deet_script(binary, "\n".join(script) + "\n", env=_environment()).stdout
    gdb = gdb_batch(binary, *GDB_SETUP, *script)
    returned = [line for line in deet.splitlines() if line.startswith("Value returned")]
    assert returned == [line for line in gdb.splitlines() if line.startswith("Value returned")]
    assert returned == ["Value returned is $1 = 2", "Value returned is $2 = 6"]


def test_stepi_and_nexti_print_addresses_like_gdb():
    deet, gdb = _both(sample("function_calls"), ["stepi", "stepi", "nexti", "stepi 4", "nexti 3"])
    assert deet == gdb


def test_a_breakpoint_inside_a_call_stops_next():
    run = deet_script(sample("function_calls"), "break main\nbreak add\nrun\nnext\n")
    assert run.lines[5:8] == [
        "Child stopped (signal SIGTRAP)",
        run.lines[6],
        "6\t    int sum = a + b;",
    ]
    assert run.lines[6].endswith("function_calls.c:6")


def test_the_program_ending_during_next_is_reported():
    run = deet_script(sample("segfault"), "break func2\nrun\nnext\nnext\nnext\n")
    segv = run.lines.index("Child stopped (signal SIGSEGV)")
    # The next resume delivers the signal, as continue (and gdb) would.
    assert run.lines[segv + 3] == "Child exited (signal SIGSEGV)"


def test_next_out_of_main_goes_on_in_libc_lines_as_gdb_does():
    """With libc's debug info there (libc6-dbg), gdb's next out of main stops in
    __libc_start_call_main at its line (whose file nobody has) and then runs on to the
    exit; deet steps by libc's lines too."""
    script = ["break main", "run", *["next"] * 5]
    deet = deet_script(sample("hello"), "\n".join(script) + "\n", env=_environment())
    gdb = gdb_batch(sample("hello"), *GDB_SETUP, *script, errors=True)
    assert _stops(deet.stdout) == _stops(gdb)
    assert "__libc_start_call_main (main=main@entry=" in deet.stdout
    assert ("74\t../sysdeps/nptl/libc_start_call_main.h: No such file or directory."
            in deet.lines)
    assert "Child exited (status 0)" in deet.lines


def test_step_through_enough_c_like_gdb():
    deet, gdb = _both(program("enough"), ["step"] * 60, args=("12", "5", "7"))
    assert deet == gdb
    assert len(deet) > 60


def test_step_and_next_through_a_generated_program_like_gdb(tmp_path):
    generated = generate(7)
    source = tmp_path / "types7.c"
    source.write_text(generated.source)
    binary = build([source], (*COURSE_FLAGS, "-w"))
    deet, gdb = _both(binary, ["step"] * 25 + ["next"] * 10)
    assert deet == gdb
    assert len(deet) > 30


def test_a_step_without_the_source_file_names_line_and_file(tmp_path):
    source = tmp_path / "gone.c"
    source.write_text("int main() {\n    int x = 1;\n    x += 2;\n    return x - 3;\n}\n")
    binary = build([source])
    source.unlink()
    run = deet_script(binary, "break main\nrun\nnext\n")
    assert run.lines[3] == f"3\tin {source}"


def test_finish_returns_every_kind_of_value_like_gdb():
    functions = ["r_char", "r_bool", "r_uchar", "r_short", "r_long", "r_float", "r_double",
                 "r_ldouble", "r_enum", "r_string", "r_two", "r_mixed", "r_floats", "r_big",
                 "r_void"]
    script = [*(f"break {name}" for name in functions), "run"]
    script += ["finish", "continue"] * len(functions)
    binary = program("returns")
    deet = deet_script(binary, "\n".join(script) + "\n", env=_environment()).stdout
    gdb = gdb_batch(binary, *GDB_SETUP, *script)
    returned = [line for line in deet.splitlines() if line.startswith("Value returned")]
    assert returned == [line for line in gdb.splitlines() if line.startswith("Value returned")]
    assert len(returned) == len(functions) - 1


def test_on_a_terminal_the_programs_output_comes_before_the_next_line():
    from support import deet_terminal_output

    lines = deet_terminal_output(sample("hello"), "break main\nrun\nnext\nfinish\n")
    start = lines.index("4\t    printf(\"Hello world!\\n\");")
    assert lines[start + 1 : start + 3] == ["Hello world!", "5\t    return 0;"]
    assert '"finish" not meaningful in the outermost frame.' in lines


def test_step_goes_through_the_plt_into_printf_and_finish_comes_back_as_in_gdb():
    """``step`` on a printf line goes through the PLT stub (and the dynamic loader's lazy
    binding) into __printf, which has lines where libc's debug info is installed; gdb's
    frame lines, missing-file messages, backtrace and finish, line for line."""
    script = ["break print_global", "run", "step", "step", "bt", "step", "finish"]
    deet = deet_script(sample("function_calls"), "\n".join(script) + "\n", env=_environment())
    gdb = gdb_batch(sample("function_calls"), *GDB_SETUP, *script, errors=True)
    assert _stops(deet.stdout) == _stops(gdb)
    assert "__printf (format=0x402016 \"global = %d\\n\") at ./stdio-common/printf.c:28" in (
        deet.lines)
    assert "28\t./stdio-common/printf.c: No such file or directory." in deet.lines
    assert "32\tin ./stdio-common/printf.c" in deet.lines
