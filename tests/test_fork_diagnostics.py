"""The lecture's fork bugs, diagnosed as they happen on one sample a bug, and none on the
correct versions: the warning line, the JSON event, the API value, ``info processes``, the
setting that turns them off and the batch exit status an autograder grades on."""

from __future__ import annotations

import json
import re

import pytest
from support import deet, program, sample

import deet as deet_api
from deet.results import Diagnostic

WARNING = re.compile(r"^warning: ([a-z-]+): ")
CORRECT = [("fork_ok", ()), ("forks", ("3",)), ("fork_exec", ()), ("fork_exec_fail_ok", ()),
           ("fork_threads_ok", ()), ("fork_runaway_ok", ())]


def _warnings(lines: list[str]) -> list[str]:
    return [m[1] for line in lines if (m := WARNING.match(line))]


def test_a_fork_loop_that_runs_on_in_the_child_is_a_nested_fork():
    run = deet("--batch", "-ex", "run", sample("fork_nested"))
    assert _warnings(run.lines) == ["nested-fork"]
    (line,) = [line for line in run.lines if line.startswith("warning:")]
    assert re.match(r"^warning: nested-fork: process \d+ forked at main \(fork_nested\.c:10\), "
                    r"the call that created it: the loop goes on in the child", line)
    assert run.returncode == 2


def test_a_child_that_returns_from_the_forking_function_is_a_runaway_child():
    run = deet("--batch", "-ex", "run", sample("fork_runaway"))
    assert _warnings(run.lines) == ["runaway-child"]
    (line,) = [line for line in run.lines if line.startswith("warning:")]
    found = re.match(r"^warning: runaway-child: process (\d+) \(forked at spawn "
                     r"\(fork_runaway\.c:9\)\) returned from spawn into main "
                     r"\(fork_runaway\.c:17\), code meant for its parent (\d+): a child "
                     r"should exit before the function that forked it returns$", line)
    assert found
    # The child did run the parent's code: it too says it waits.
    assert f"process {found[1]} waits for its workers" in run.lines
    assert f"process {found[2]} waits for its workers" in run.lines
    assert run.returncode == 2


def test_the_runaway_child_in_json_names_where_it_returned():
    run = deet("--json", "--batch", "-ex", "run", sample("fork_runaway"))
    (diagnostic,) = [e for e in map(json.loads, run.lines) if e["event"] == "diagnostic"]
    assert diagnostic["kind"] == "runaway-child"
    assert diagnostic["fork"]["function"] == "spawn"
    assert diagnostic["returned"]["function"] == "main"
    assert diagnostic["returned"]["line"] == 17


def test_a_fork_wrapper_that_hands_back_the_pid_is_no_runaway():
    run = deet("--batch", "-ex", "run", program("fork_wrapper"))
    assert "worker works" in run.lines
    assert _warnings(run.lines) == []
    assert run.returncode == 0


def test_a_child_whose_exec_failed_and_that_went_on_is_an_exec_failure():
    run = deet("--batch", "-ex", "run", sample("fork_exec_fail"))
    assert _warnings(run.lines) == ["exec-failed"]
    (line,) = [line for line in run.lines if line.startswith("warning:")]
    found = re.match(r"^warning: exec-failed: process (\d+) \(forked at main "
                     r"\(fork_exec_fail\.c:9\)\) could not exec \S*/no-such-program "
                     r"\(ENOENT: No such file or directory\) and went on running instead of "
                     r"exiting$", line)
    assert found
    # The child ran its parent's code: what deet said is what happened.
    assert f"process {found[1]}: child finished" in run.lines
    assert run.returncode == 2


def test_a_child_forked_with_a_thread_holding_a_lock_deadlocks_on_it():
    run = deet("--batch", "-ex", "run", sample("fork_threads"))
    assert _warnings(run.lines) == ["fork-with-threads", "child-deadlock"]
    threads, deadlock = [line for line in run.lines if line.startswith("warning:")]
    found = re.match(r'^warning: fork-with-threads: process (\d+) \(forked at main '
                     r'\(fork_threads\.c:25\)\) was forked while other threads ran '
                     r'\((LWP \d+ "[^"]+"[^)]*)\) and did something other than exec',
                     threads)
    assert found
    assert re.match(rf"^warning: child-deadlock: process {found[1]} \(forked at main "
                    r"\(fork_threads\.c:25\)\) waits for ever on the lock at 0x[0-9a-f]+ <lock>, "
                    rf"held by {re.escape(found[2])}, a thread that does not exist in the child$",
                    deadlock)
    assert "child stuck: killed it" in run.lines


def test_children_left_zombies_by_a_parent_that_runs_on_are_unreaped():
    run = deet("--batch", "-ex", "run", sample("fork_zombie"))
    assert _warnings(run.lines) == ["unreaped-child", "unreaped-child"]
    for line in run.lines:
        if line.startswith("warning:"):
            assert re.match(r"^warning: unreaped-child: process \d+ \(forked at main "
                            r"\(fork_zombie\.c:10\)\) exited \d+\.\d s ago and its parent "
                            r"\d+ has not waited for it \(a zombie\)$", line)
    # Said while the parent still runs: before the line it prints at its end.
    assert run.lines.index("parent done, never waited") > run.lines.index(
        next(line for line in run.lines if line.startswith("warning:")))


def test_processes_still_running_when_the_program_ends_are_leftovers():
    run = deet("--batch", "-ex", "run", "-ex", "info processes", sample("fork_leftover"))
    (line,) = [line for line in run.lines if line.startswith("warning:")]
    found = re.match(r"^warning: leftover-process: process (\d+) ended, leaving 2 processes "
                     r"it started running: (\d+), (\d+)$", line)
    assert found
    rows = {int(row.split()[0]): row for row in run.lines if re.match(r"^[ *] \d+ ", row[:10])
            or re.match(r"^\s+\d+\s", row)}
    assert "running" in rows[int(found[2])] and "running" in rows[int(found[3])]
    assert "exited 0" in rows[int(found[1])]


def test_ends_deet_causes_are_not_diagnosed():
    """A program deet kills (kill, the end of a batch) leaves nothing it is to blame for."""
    run = deet("--batch", "-ex", "break 30", "-ex", "run 1", "-ex", "kill",
               sample("fork_leftover"))
    assert "Child stopped (signal SIGTRAP)" in run.lines
    assert _warnings(run.lines) == []
    run = deet("--batch", "-ex", "break 14", "-ex", "run", sample("fork_zombie"))
    assert _warnings(run.lines) == []


@pytest.mark.parametrize(("name", "args"), CORRECT)
def test_no_diagnostic_on_the_correct_versions(name, args):
    run = deet("--batch", "-ex", "run " + " ".join(args), sample(name))
    assert _warnings(run.lines) == []
    assert run.returncode == 0


def test_no_diagnostic_on_a_threaded_program_whose_thread_execs_at_once():
    run = deet("--batch", "-ex", "run /bin/true x", program("thread_exec"))
    assert _warnings(run.lines) == []


def test_set_fork_diagnostics_off_silences_them():
    for name in ("fork_nested", "fork_zombie", "fork_leftover", "fork_runaway"):
        run = deet("--batch", "-ex", "set fork-diagnostics off", "-ex", "run", sample(name))
        assert _warnings(run.lines) == []
        assert run.returncode == 0


def test_json_has_each_diagnostic_as_an_event():
    run = deet("--json", "--batch", "-ex", "run", sample("fork_nested"))
    events = [json.loads(line) for line in run.lines]
    (diagnostic,) = [e for e in events if e["event"] == "diagnostic"]
    assert diagnostic["kind"] == "nested-fork"
    assert diagnostic["fork"]["function"] == "main"
    assert diagnostic["fork"]["file"].endswith("fork_nested.c")
    assert diagnostic["fork"]["line"] == 10
    assert isinstance(diagnostic["pid"], int)
    assert run.returncode == 2


def test_info_processes_shows_the_tree_with_fork_sites_and_execs():
    run = deet("--batch", "-ex", "run", "-ex", "info processes", sample("fork_ok"))
    header = run.lines.index(
        "  PID     Parent  State             Forked at                   Program")
    rows = [line.split() for line in run.lines[header + 1:]]
    root = rows[0]
    assert root[1:4] == ["-", "exited", "0"]
    assert len(rows) == 4
    for row in rows[1:]:
        assert row[1] == root[0]
        assert row[2:4] == ["exited", "0"]
        assert row[4:6] == ["main", "(fork_ok.c:12)"]
        assert row[6].endswith("/true")


def test_info_processes_in_json_and_the_api():
    run = deet("--json", "--batch", "-ex", "run", "-ex", "info processes",
               sample("fork_nested"))
    (listing,) = [e for e in map(json.loads, run.lines) if e["event"] == "processes"]
    processes = listing["processes"]
    assert len(processes) == 8
    assert [p["parent"] for p in processes].count(None) == 1
    assert all(p["state"] == "exited" and p["exit_code"] == 0 for p in processes)
    with deet_api.Session(sample("fork_zombie")) as session:
        session.run()
        diagnostics = session.diagnostics()
        kinds = [d.kind for d in diagnostics if isinstance(d, Diagnostic)]
        rows = session.processes().rows
    assert kinds == ["unreaped-child", "unreaped-child"]
    assert [row.state for row in rows[1:]] == ["zombie", "zombie"]
    assert rows[1].fork is not None and rows[1].fork.line == 10
