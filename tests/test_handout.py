"""The CS110L handout's transcripts, line for line (DEET-SPEC.md), with the documented
differences: a caller frame is reported at the line of its call, as gdb does, and the
source line follows each stop (DEET's optional extension, in gdb's format)."""

from __future__ import annotations

from support import SAMPLES, deet_terminal_output, sample


def test_milestone_1_run_to_exit():
    assert deet_terminal_output(sample("sleepy_print"), "r 3\n") == [
        "0", "1", "2", "Child exited (status 0)",
    ]


def test_milestones_3_and_4_segfault_and_backtrace():
    segfault = f"{SAMPLES}/segfault.c"
    lines = deet_terminal_output(sample("segfault"), "r\nback\n")
    assert lines[:-1] == [
        "Calling func2",
        "About to segfault... a=2",
        "Child stopped (signal SIGSEGV)",
        f"Stopped at {segfault}:5",
        "5\t    *(int*)0 = a;",
        f"func2 ({segfault}:5)",
        f"func1 ({segfault}:11)",
        f"main ({segfault}:15)",
    ]
    assert lines[-1].startswith("Killing running inferior (pid ")


def test_count_and_hello_and_function_calls_run_to_exit():
    assert deet_terminal_output(sample("count"), "run\n") == [
        "1", "2", "3", "4", "5", "Child exited (status 0)",
    ]
    assert deet_terminal_output(sample("hello"), "run\n") == [
        "Hello world!", "Child exited (status 0)",
    ]
    assert deet_terminal_output(sample("function_calls"), "run\n") == [
        "global = 5",
        "add(10, 5) = 15",
        "compute(10) = 15",
        "main got 15",
        "Child exited (status 0)",
    ]


def test_breakpoint_stop_prints_sigtrap_then_location():
    lines = deet_terminal_output(sample("function_calls"), "break add\nrun\nc\n")
    assert lines[1:5] == [
        "global = 5",
        "Child stopped (signal SIGTRAP)",
        f"Stopped at {SAMPLES}/function_calls.c:6",
        "6\t    int sum = a + b;",
    ]
    assert lines[-1] == "Child exited (status 0)"
