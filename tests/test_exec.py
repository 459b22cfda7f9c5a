"""Programs that exec: deet reports it, loads the new program's debug info, keeps the
breakpoints that still mean something there and drops the others with a note."""

from __future__ import annotations

import re

import pytest
from support import deet_script, gdb_batch, have_gdb, program, sample

needs_gdb = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")


def _stops(text: str) -> list[str]:
    """``FILE:LINE`` of each stop, in deet's ``Stopped at`` or gdb's breakpoint line."""
    found = re.findall(r"^(?:Stopped at |.*Breakpoint \d+, .* at )(\S+:\d+)$", text, re.M)
    return [stop.rsplit("/", 1)[-1] for stop in found]


def _executing(text: str) -> list[str]:
    return re.findall(r"^process \d+ is executing new program: (\S+)$", text, re.M)


@needs_gdb
def test_an_exec_is_announced_and_break_main_stops_in_the_new_program_as_in_gdb():
    exec_self, hello = sample("exec_self"), sample("hello")
    run = deet_script(exec_self, f"break main\nrun {hello}\ncontinue\ncontinue\n")
    gdb = gdb_batch(exec_self, "break main", "run", "continue", "continue",
                    args=(str(hello),))
    assert _executing(run.stdout) == _executing(gdb) == [str(hello)]
    assert _stops(run.stdout) == _stops(gdb) == ["exec_self.c:7", "hello.c:4"]
    assert "Hello world!" in run.lines
    assert run.lines[-1] == "Child exited (status 0)"


def test_breakpoints_the_new_program_cannot_have_are_dropped_with_a_note():
    exec_self, hello = sample("exec_self"), sample("hello")
    run = deet_script(exec_self, f"break exec_self.c:11\nbreak *0x401175\nbreak main\n"
                                 f"run {hello}\ncontinue\ncontinue\ninfo breakpoints\n")
    assert "Deleted breakpoint 0 (exec_self.c:11): No source file named exec_self.c." in (
        run.lines)
    assert any(line.startswith("Deleted breakpoint 1 (*0x401175): ") for line in run.lines)
    table = run.lines[next(i for i, line in enumerate(run.lines) if line.startswith("Num")):]
    assert [row.split()[0] for row in table[1:] if row[:1].isdigit()] == ["2"]


def test_run_after_an_exec_starts_the_program_deet_was_given():
    exec_self, hello = sample("exec_self"), sample("hello")
    run = deet_script(exec_self, f"break main\nrun {hello}\ncontinue\nrun\n")
    assert _stops(run.stdout) == ["exec_self.c:7", "hello.c:4", "exec_self.c:7"]


def test_a_child_that_execs_runs_its_program_while_deet_stays_with_the_parent():
    fork_exec, hello = sample("fork_exec"), sample("hello")
    run = deet_script(fork_exec, f"break main\nrun {hello}\ncontinue\n")
    assert _stops(run.stdout) == ["fork_exec.c:9"]
    assert "Hello world!" in run.lines
    assert "child exited with status 0" in run.lines
    assert _executing(run.stdout) == []


@needs_gdb
def test_following_a_child_through_its_exec_matches_gdb():
    fork_exec, hello = sample("fork_exec"), sample("hello")
    commands = ["set follow-fork-mode child", "break main", "run", "continue", "continue"]
    run = deet_script(fork_exec, "".join(f"{c}\n" for c in commands[:2])
                      + f"run {hello}\ncontinue\ncontinue\n")
    gdb = gdb_batch(fork_exec, *commands, args=(str(hello),), orphans=True)
    assert _stops(run.stdout) == _stops(gdb) == ["fork_exec.c:9", "hello.c:4"]
    assert _executing(run.stdout) == _executing(gdb) == [str(hello)]
    assert "child exited with status 0" in run.lines


@needs_gdb
def test_next_over_execv_ends_in_the_new_program_where_gdb_does():
    exec_self, hello = sample("exec_self"), sample("hello")
    commands = ["break main", "run", "next", "next", "next", "next", "next"]
    run = deet_script(exec_self, "break main\n" + f"run {hello}\n" + "next\n" * 5)
    gdb = gdb_batch(exec_self, *commands, args=(str(hello),))
    assert _lines(run.stdout) == _lines(gdb)
    assert _stops(run.stdout)[-1] == _stops(gdb)[-1] == "hello.c:4"


def _lines(text: str) -> list[str]:
    return re.findall(r"^(\d+)\t", text, re.M)


@pytest.mark.parametrize("from_thread", [False, True])
def test_an_exec_in_a_threaded_program_leaves_one_thread_in_the_new_program(from_thread):
    hello = sample("hello")
    args = f"{hello} x" if from_thread else str(hello)
    run = deet_script(program("thread_exec"),
                      f"break main\nrun {args}\ncontinue\ninfo threads\ncontinue\n")
    assert _executing(run.stdout) == [str(hello)]
    assert _stops(run.stdout)[-1] == "hello.c:4"
    rows = [line for line in run.lines if re.match(r"^[* ] \d+ +LWP ", line)]
    assert len(rows) == 1 and rows[0].startswith("* 1 ")
    assert run.lines[-2:] == ["Hello world!", "Child exited (status 0)"]
