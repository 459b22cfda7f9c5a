"""Multi-threaded programs: every thread traced, all-stop, which thread hit a breakpoint,
``info threads``, ``thread N``, and backtraces in any thread."""

from __future__ import annotations

import itertools
import re
import time

import pexpect
import pytest
from support import deet_frames, deet_script, gdb_batch, gdb_frames, have_gdb, program, sample

THREADS = 4
PROMPT = r"\(deet\)"
THREAD_LINE = re.compile(r"^\[(?:Switching to thread|Thread) (\d+) \(LWP (\d+)\)\]$")


def _stops_by_thread(lines: list[str]) -> list[int]:
    return [int(match[1]) for line in lines if (match := THREAD_LINE.match(line))]


def _run_to_exit(rounds: int, extra: str = "") -> list[str]:
    hits = THREADS * rounds
    script = f"{extra}break tick\nrun {rounds}\n" + "continue\n" * hits
    return deet_script(sample("threads"), script, timeout=300).lines


def test_every_thread_hits_the_breakpoint_and_each_hit_names_its_thread():
    lines = _run_to_exit(3)
    assert lines.count("Child stopped (signal SIGTRAP)") == THREADS * 3
    threads = _stops_by_thread(lines)
    assert len(threads) == THREADS * 3
    assert set(threads) == {2, 3, 4, 5}
    # total = rounds * (1 + 2 + 3 + 4): no tick was lost or run twice.
    assert "total 30" in lines
    assert lines[-1] == "Child exited (status 0)"


def test_a_switch_of_thread_is_announced_only_when_the_thread_changes():
    lines = _run_to_exit(2)
    announced = [line for line in lines if THREAD_LINE.match(line)]
    for previous, current in itertools.pairwise(announced):
        same = THREAD_LINE.match(previous)[2] == THREAD_LINE.match(current)[2]
        assert current.startswith("[Thread ") == same


def test_info_threads_and_backtrace_in_the_stopped_thread_agree_with_gdb():
    binary = sample("threads")
    run = deet_script(binary, "break tick\nrun 1\ninfo threads\nbacktrace\n")
    lines = run.lines
    header = lines.index(next(line for line in lines if line.startswith("  Id   Target Id")))
    rows = [line for line in lines[header + 1:] if re.match(r"^[* ] \d+ ", line)]
    current = [row for row in rows if row.startswith("*")]
    assert len(current) == 1
    assert re.search(r'LWP \d+ "threads[^"]*" +tick \(id=\d\) at \S+threads.c:15$', current[0])
    assert rows[0].startswith("  1 ") or rows[0].startswith("* 1 ")
    frames = [frame.function for frame in deet_frames(lines)]
    assert frames[:2] == ["tick", "worker"]
    if have_gdb():
        gdb = gdb_batch(binary, "break tick", "run", "info threads", "backtrace", args=("1",))
        assert re.search(r'^\* \d+ +Thread 0x[0-9a-f]+ \(LWP \d+\) "threads[^"]*" tick \(id=\d\) '
                         r"at \S+threads.c:15$", gdb, re.M)
        assert [frame.function for frame in gdb_frames(gdb)] == frames


def test_thread_n_selects_a_thread_and_backtrace_follows_it():
    binary = sample("threads")
    run = deet_script(binary, "break tick\nrun 1\nthread 1\nbacktrace\nthread 9\nthread\n")
    lines = run.lines
    switched = next(line for line in lines if line.startswith("[Switching to thread 1 "))
    tid = re.search(r"LWP (\d+)", switched)[1]
    frames = [frame.function for frame in deet_frames(lines)]
    assert frames[-1] == "main"
    assert "Invalid thread ID: 9" in run.stdout + run.stderr
    assert f"[Current thread is 1 (LWP {tid})]" in lines


@pytest.mark.slow
def test_threads_hitting_one_breakpoint_thousands_of_times_never_run_past_it():
    rounds = 500
    lines = _run_to_exit(rounds, extra="set single-cpu off\n")
    # A thread that ran through the moment another was stepped off the breakpoint would
    # have called tick without stopping: fewer stops than calls.
    assert lines.count("Child stopped (signal SIGTRAP)") == THREADS * rounds
    assert f"total {rounds * 10}" in lines
    assert lines[-1] == "Child exited (status 0)"


def test_ctrl_c_stops_every_thread_and_each_has_a_backtrace(pty_session):
    child = pty_session(program("busy_threads"))
    child.expect(PROMPT)
    child.sendline("set single-cpu off")
    child.expect(PROMPT)
    child.sendline("run")
    child.expect_exact("spinning")
    time.sleep(0.2)
    child.sendintr()
    child.expect_exact("Child stopped (signal SIGINT)")
    child.expect(PROMPT)
    child.sendline("info threads")
    child.expect_exact("Target Id")
    child.expect(PROMPT)
    rows = re.findall(r"^[* ] (\d+) +LWP (\d+) ", child.before, re.M)
    assert [number for number, _ in rows] == ["1", "2", "3", "4"]
    for tid in (int(lwp) for _, lwp in rows):
        with open(f"/proc/{tid}/stat") as stat:
            assert stat.read().rsplit(")", 1)[1].split()[0] == "t"  # every thread stopped
    for number in ("2", "3", "4"):
        child.sendline(f"thread {number}")
        child.expect(PROMPT)
        child.sendline("backtrace")
        child.expect(r"spin \(\S+busy_threads.c:\d+\)")
        child.expect(PROMPT)
    child.sendline("quit")
    child.expect(pexpect.EOF)
    child.close()


def test_a_program_whose_main_thread_ended_still_stops_and_runs_to_its_end():
    run = deet_script(program("leader_exit"),
                      "break tick\nrun\ncontinue\ninfo threads\n" + "continue\n" * 4, timeout=30)
    assert run.lines.count("Child stopped (signal SIGTRAP)") == 5
    rows = [line for line in run.lines if re.match(r"^[* ] \d+ +LWP ", line)]
    assert len(rows) == 1 and rows[0].startswith("* 2 ")
    assert run.lines[-2:] == ["worker done", "Child exited (status 0)"]
