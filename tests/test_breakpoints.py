"""break *ADDR / LINE / FILE:LINE / FUNC: set before run or while stopped, kept across runs."""

from __future__ import annotations

import re

from support import SAMPLES, deet_script, gdb_batch, sample

from deet.debuginfo import DebugInfo


def _gdb_breakpoint_address(binary, location: str) -> int:
    out = gdb_batch(binary, f"break {location}")
    match = re.search(r"Breakpoint 1 at (0x[0-9a-f]+)", out)
    assert match, out
    return int(match[1], 16)


def test_break_function_before_run_stops_after_the_prologue_like_gdb():
    binary = sample("segfault")
    address = _gdb_breakpoint_address(binary, "func1")
    run = deet_script(binary, "break func1\nrun\nbt\n")
    assert run.lines[:6] == [
        f"Set breakpoint 0 at {address:#x}",
        "Child stopped (signal SIGTRAP)",
        f"Stopped at {SAMPLES}/segfault.c:10",
        '10\t    printf("Calling func2\\n");',
        f"func1 ({SAMPLES}/segfault.c:10)",
        f"main ({SAMPLES}/segfault.c:15)",
    ]
    assert run.lines[6].startswith("Killing running inferior")


def test_break_raw_address_with_and_without_0x():
    binary = sample("segfault")
    address = _gdb_breakpoint_address(binary, "func2")
    run = deet_script(binary, f"break *{address:#x}\nbreak *{address:x}\nrun\ncont\n")
    assert run.lines[:8] == [
        f"Set breakpoint 0 at {address:#x}",
        f"Set breakpoint 1 at {address:#x}",
        "Child stopped (signal SIGTRAP)",
        f"Stopped at {SAMPLES}/segfault.c:4",
        '4\t    printf("About to segfault... a=%d\\n", a);',
        # Two breakpoints on one address share a site: the program's own byte comes back.
        "Child stopped (signal SIGSEGV)",
        f"Stopped at {SAMPLES}/segfault.c:5",
        "5\t    *(int*)0 = a;",
    ]


def test_break_line_and_file_line():
    binary = sample("two_files")
    run = deet_script(binary, "break 11\nbreak two_files_shout.c:9\nrun\nc\nbt\nc\n")
    assert run.lines[0] == f"Set breakpoint 0 at {_gdb_breakpoint_address(binary, '11'):#x}"
    assert run.lines[1] == (
        f"Set breakpoint 1 at {_gdb_breakpoint_address(binary, 'two_files_shout.c:9'):#x}"
    )
    assert f"Stopped at {SAMPLES}/two_files_main.c:11" in run.lines
    assert f"shout ({SAMPLES}/two_files_shout.c:9)" in run.lines
    assert f"main ({SAMPLES}/two_files_main.c:11)" in run.lines
    assert run.lines[-1] == "Child exited (status 0)"


def test_a_line_without_code_moves_to_the_next_line_with_code():
    binary = sample("segfault")
    run = deet_script(binary, "break 13\nrun\n")
    assert run.lines[0] == f"Set breakpoint 0 at {_gdb_breakpoint_address(binary, '13'):#x}"
    assert f"Stopped at {SAMPLES}/segfault.c:15" in run.lines


def test_static_functions_of_the_same_name_get_a_breakpoint_each():
    binary = sample("two_files")
    info = DebugInfo(str(binary))
    addresses = [c.address for c in info.function_breakpoints("helper")]
    run = deet_script(binary, "break helper\nrun\nbt\nc\nbt\nc\n")
    assert run.lines[0] == (
        f"Set breakpoint 0 at {addresses[0]:#x}, {addresses[1]:#x} (2 locations)"
    )
    assert f"helper ({SAMPLES}/two_files_main.c:6)" in run.lines
    assert f"helper ({SAMPLES}/two_files_shout.c:4)" in run.lines
    assert run.lines[-1] == "Child exited (status 0)"


def test_breakpoints_persist_across_runs_and_can_be_added_while_stopped():
    binary = sample("function_calls")
    run = deet_script(binary, "break compute\nrun\nbreak add\nc\nrun\nc\nc\n")
    stops = [line for line in run.lines if line.startswith("Stopped at")]
    assert stops == [
        f"Stopped at {SAMPLES}/function_calls.c:16",
        f"Stopped at {SAMPLES}/function_calls.c:6",
        f"Stopped at {SAMPLES}/function_calls.c:16",
        f"Stopped at {SAMPLES}/function_calls.c:6",
    ]
    assert run.lines[-1] == "Child exited (status 0)"


def test_breakpoint_in_a_recursive_function_hits_every_call():
    run = deet_script(sample("recursion"), "break factorial\nrun\n" + "c\n" * 5)
    assert run.lines.count("Child stopped (signal SIGTRAP)") == 5
    assert run.lines[-1] == "Child exited (status 0)"


def test_breakpoint_on_the_instruction_that_ends_the_program():
    binary = sample("exit")
    info = DebugInfo(str(binary))
    main = info.symbols.named("main")[0]
    syscall = main.address + info.read_code(main.address, main.size).index(bytes.fromhex("0f05"))
    run = deet_script(binary, f"break *{syscall:#x}\nrun\ncont\n")
    assert run.lines == [
        f"Set breakpoint 0 at {syscall:#x}",
        "Child stopped (signal SIGTRAP)",
        f"Stopped at {SAMPLES}/exit.c:3",
        "3\t    __asm__ volatile(",
        "Child exited (status 0)",
    ]


def test_unresolvable_locations_set_nothing():
    run = deet_script(
        sample("segfault"),
        "break nosuch\nbreak 999\nbreak nofile.c:3\nbreak *0x10\nbreak *zz\nbreak\n"
        "break func1\nrun\n",
    )
    assert run.lines[:7] == [
        'Function "nosuch" not defined.',
        "No line 999 in the current file.",
        "No source file named nofile.c.",
        "Cannot set breakpoint: no code at address 0x10",
        "Invalid address: 'zz'",
        "Argument required (a location: *ADDR, LINE, FILE:LINE or FUNC).",
        run.lines[6],
    ]
    assert run.lines[6].startswith("Set breakpoint 0 at ")


def test_garbage_address_while_running_is_refused():
    run = deet_script(sample("function_calls"), "break add\nrun\nbreak *0x10\nc\n")
    assert "Cannot set breakpoint: Cannot access memory at address 0x10" in run.lines
    assert run.lines[-1] == "Child exited (status 0)"


def test_stop_shows_the_source_line_only_when_the_source_is_readable(tmp_path):
    source = tmp_path / "gone.c"
    source.write_text("int main() {\n    int x = 1;\n    return x - 1;\n}\n")
    from support import build

    binary = build([source])
    shown = deet_script(binary, "break main\nrun\n")
    assert shown.lines[1:4] == [
        "Child stopped (signal SIGTRAP)", f"Stopped at {source}:2", "2\t    int x = 1;",
    ]
    source.unlink()
    hidden = deet_script(binary, "break main\nrun\n")
    assert hidden.lines[1:4] == [
        "Child stopped (signal SIGTRAP)", f"Stopped at {source}:2", hidden.lines[3],
    ]
    assert hidden.lines[3].startswith("Killing running inferior")
