"""Programs that fork: deet follows the parent (or the child, or keeps both), and neither
the children nor the program's own bookkeeping of them is harmed."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
from support import (
    deet,
    deet_script,
    gdb_batch,
    have_gdb,
    program,
    sample,
)

DEET_LINE = re.compile(r"^(Set breakpoint|\[|Child |Killing |Stopped at |\d+\t)")


def _program_lines(lines: list[str]) -> list[str]:
    """The program's own output in deet's, without deet's lines."""
    return [line for line in lines if not DEET_LINE.match(line)]


def _without_pids(lines: list[str]) -> list[str]:
    return [re.sub(r"(process|LWP) \d+", r"\1 N", line) for line in lines if line.startswith("[")]


def test_a_breakpoint_only_children_run_leaves_the_output_as_without_deet():
    binary = sample("forks")
    alone = subprocess.run([binary, "5"], capture_output=True, text=True, check=True)
    run = deet_script(binary, "break child_work\nrun 5\n")
    assert _program_lines(run.lines) == alone.stdout.splitlines()
    assert "parent reaped child 4: status 4" in run.lines
    assert run.lines.count("Child stopped (signal SIGTRAP)") == 0
    assert run.lines[-1] == "Child exited (status 0)"


def test_each_child_let_go_of_is_announced_as_gdb_does():
    binary = sample("forks")
    run = deet_script(binary, "break child_work\nrun 3\n")
    announced = _without_pids(run.lines)
    assert announced == ["[Detaching after fork from child process N]"] * 3
    if have_gdb():
        gdb = gdb_batch(binary, "break child_work", "run", args=("3",))
        assert [line for line in _without_pids(gdb.splitlines())
                if line.startswith("[Detaching")] == announced


def test_follow_fork_mode_child_stops_in_the_child():
    binary = sample("forks")
    run = deet_script(binary, "set follow-fork-mode child\nbreak child_work\nrun 2\nbt\n"
                              "info inferiors\ncontinue\n")
    assert _without_pids(run.lines)[:4] == [
        "[Attaching after process N fork to child process N]",
        "[New inferior 2 (process N)]",
        "[Detaching after fork from parent process N]",
        "[Inferior 1 (process N) detached]",
    ]
    stop = run.lines.index("Child stopped (signal SIGTRAP)")
    assert run.lines[stop + 1].endswith("forks.c:10")
    assert [line.split(" ")[0] for line in run.lines[stop + 3: stop + 5]] == [
        "child_work", "main"]
    rows = [line for line in run.lines if re.match(r"^\* 2 +process \d+ ", line)]
    assert len(rows) == 1
    # The parent, let go of, goes on: it reaps this child and runs the next one itself
    # (writing to the same pipe as deet, so in no fixed order with deet's last line).
    assert "parent reaped child 1: status 1" in run.lines
    assert "parent done" in run.lines
    assert "Child exited (status 0)" in run.lines
    if have_gdb():
        gdb = gdb_batch(binary, "set follow-fork-mode child", "break child_work", "run",
                        "bt", args=("2",), orphans=True)
        assert re.search(r"^#0 +child_work \(n=0\) at \S*forks.c:10$", gdb, re.M)
        assert re.search(r"^#1 +0x[0-9a-f]+ in main .* at \S*forks.c:21$", gdb, re.M)


def test_detach_on_fork_off_keeps_both_and_inferior_switches():
    binary = sample("forks")
    run = deet_script(binary, "set detach-on-fork off\nbreak child_work\nbreak 24\nrun 1\n"
                              "info inferiors\ninferior 2\ncontinue\ncontinue\n"
                              "info inferiors\ncontinue\n")
    lines = run.lines
    assert _without_pids(lines)[0] == "[New inferior 2 (process N)]"
    listing = lines.index("  Num  Description       Executable")
    assert re.match(r"^\* 1 +process \d+ ", lines[listing + 1])
    assert re.match(r"^  2 +process \d+ ", lines[listing + 2])
    switched = [line for line in lines if line.startswith("[Switching to inferior")]
    assert [line.split(" ")[3] for line in switched] == ["2", "1"]
    # The child ran to its breakpoint and exited; only then did the parent reap it.
    assert lines.index("child 0 running") < lines.index("parent reaped child 0: status 0")
    assert lines.count("Child exited (status 0)") == 2


def test_quit_kills_every_process_deet_holds():
    binary = sample("forks")
    run = deet_script(binary, "set detach-on-fork off\nbreak 24\nrun 1\ninfo inferiors\n"
                              "quit\n")
    pids = [int(pid) for pid in re.findall(r"process (\d+)", run.stdout)]
    assert len(set(pids)) == 2
    for pid in set(pids):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_vfork_children_run_unharmed_and_the_parent_keeps_its_breakpoints():
    binary = program("vforker")
    run = deet_script(binary, "break after_child\nbreak main\nrun\n" + "continue\n" * 4)
    assert _without_pids(run.lines).count("[Detaching after vfork from child process N]") == 3
    assert run.lines.count("child status 0") == 3
    stops = [line for line in run.lines if line.startswith("Stopped at ")]
    assert [stop.rsplit(":", 1)[1] for stop in stops] == ["16", "10", "10", "10"]
    assert run.lines[-1] == "Child exited (status 0)"


@pytest.mark.slow
def test_a_hundred_forks_leave_nothing_behind():
    binary = sample("forks")
    run = deet_script(binary, "break child_work\nrun 100\n", timeout=120)
    assert len(_without_pids(run.lines)) == 100
    assert "parent reaped child 99: status 99" in run.lines
    assert run.lines[-1] == "Child exited (status 0)"


def test_a_kept_child_s_exit_status_still_reaches_its_parent():
    """deet collects a kept child's exit as its tracer; the program, its parent, must
    still reap it with the status it exited with."""
    binary = sample("forks")
    script = ("set detach-on-fork off\nbreak 24\nrun 2\n"
              "inferior 2\ncontinue\ncontinue\n"
              "inferior 3\ncontinue\ncontinue\n")
    run = deet_script(binary, script)
    assert "parent reaped child 0: status 0" in run.lines
    assert "parent reaped child 1: status 1" in run.lines
    assert "parent done" in run.lines


def test_next_over_fork_announces_the_child_and_goes_on_as_gdb_does():
    binary = sample("forks")
    run = deet_script(binary, "break main\nrun 1\n" + "next\n" * 6)
    lines = [re.match(r"^(\d+)\t", line)[1] for line in run.lines if re.match(r"^\d+\t", line)]
    assert _without_pids(run.lines) == ["[Detaching after fork from child process N]"]
    assert "child 0 running" in run.lines
    if have_gdb():
        gdb = gdb_batch(binary, "break main", "run", *["next"] * 6, args=("1",))
        assert lines == re.findall(r"^(\d+)\t", gdb, re.M)


def test_next_over_fork_in_follow_child_mode_ends_in_the_child_as_gdb_does():
    binary = sample("forks")
    run = deet_script(binary, "set follow-fork-mode child\nbreak main\nrun 1\n" + "next\n" * 4)
    lines = re.findall(r"^(\d+)\t", run.stdout, re.M)
    assert lines[-2:] == ["20", "21"]
    if have_gdb():
        gdb = gdb_batch(binary, "set follow-fork-mode child", "break main", "run",
                        *["next"] * 4, args=("1",), orphans=True)
        assert lines == re.findall(r"^(\d+)\t", gdb, re.M)


def test_json_mode_captures_the_output_of_a_followed_child_and_of_the_parent_let_go_of():
    run = deet("--json", "--batch", "-ex", "set follow-fork-mode child", "-ex",
               "break child_work", "-ex", "run 2", "-ex", "continue", sample("forks"))
    events = [json.loads(line) for line in run.lines]
    output = "".join(e["text"] for e in events if e["event"] == "output")
    assert output.splitlines() == ["child 0 running", "parent reaped child 0: status 0",
                                   "child 1 running", "parent reaped child 1: status 1",
                                   "parent done"]
    assert [e["event"] for e in events].count("exited") == 1
