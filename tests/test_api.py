"""The Python API: deet.Session on real programs, and the example in docs/api.md."""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys

import pytest
from support import ROOT, program, sample

import deet
from deet import Session, SessionError
from deet.results import (
    Backtrace,
    BreakpointSet,
    Error,
    Exited,
    InferiorKilled,
    Message,
    ProgramOutput,
    Signaled,
    Stopped,
    TimedOut,
)

DOC = ROOT / "docs" / "api.md"


def _gone(pid: int) -> bool:
    """Killed and reaped: no process, not even a zombie."""
    return not os.path.exists(f"/proc/{pid}")


def test_the_docs_example_runs_and_prints_what_the_doc_says():
    text = DOC.read_text()
    code = re.search(r"```python\n(.*?)```", text, re.S)[1]
    expected = re.search(r"prints \(the pid differs\):\n\n```text\n(.*?)```", text, re.S)[1]
    code = re.sub(r"samples/build/(\w+)", lambda m: str(sample(m[1])), code)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.stderr == ""
    assert re.sub(r"pid=\d+", "pid=4242", done.stdout) == expected


def test_methods_return_the_commands_results():
    with Session(sample("segfault")) as s:
        placed = s.break_("func1")
        assert isinstance(placed, BreakpointSet) and placed.number == 0
        stop = s.run()
        assert isinstance(stop, Stopped)
        assert (stop.reason.value, stop.signal, stop.function, stop.breakpoint) == (
            "breakpoint", "SIGTRAP", "func1", 0)
        assert stop.location is not None and stop.location.line == 10
        trace = s.backtrace()
        assert isinstance(trace, Backtrace)
        assert [f.function for f in trace.frames] == ["func1", "main"]
        assert isinstance(s.cont(), Stopped)
        end = s.cont()
        assert end == Signaled("SIGSEGV")
        assert not s.alive
        assert s.output() == "Calling func2\nAbout to segfault... a=2\n"


def test_run_arguments_and_the_default_ones():
    with Session(program("echo_args"), args=["3", "a b"]) as s:
        assert s.run() == Exited(3)
        assert s.output() == "3\na b\n"
        assert s.run("4") == Exited(4)
        assert s.run() == Exited(4)
        assert s.output().splitlines() == ["3", "a b", "4", "4"]


def test_stderr_is_captured_apart():
    with Session(sample("sleepy_print")) as s:
        assert s.run() == Exited(1)
        assert s.output() == ""
        assert s.output("stderr").startswith("Usage: ")


def test_execute_runs_any_command_line():
    with Session(sample("count")) as s:
        result = s.execute("help break")
        assert isinstance(result, Message) and result.text.startswith("break")


def test_a_failed_command_raises_with_its_error_and_the_session_goes_on():
    with Session(sample("count")) as s:
        with pytest.raises(SessionError) as caught:
            s.backtrace()
        assert caught.value.error == Error("The program is not being run.")
        assert str(caught.value) == "The program is not being run."
        with pytest.raises(SessionError, match=r"Unrecognized command\."):
            s.execute("frobnicate")
        assert s.run() == Exited(0)


def test_an_unusable_program_raises_at_once(tmp_path):
    with pytest.raises(SessionError) as caught:
        Session(tmp_path / "missing")
    assert str(caught.value) == f"{tmp_path / 'missing'}: No such file or directory"


def test_a_program_that_cannot_start_raises_at_run(tmp_path):
    target = tmp_path / "noexec"
    target.write_bytes(sample("count").read_bytes())
    target.chmod(0o644)
    with Session(target) as s, pytest.raises(SessionError, match="Permission denied"):
        s.run()


def test_leaving_the_with_block_kills_and_reaps():
    with Session(sample("function_calls")) as s:
        s.break_("add")
        s.run()
        pid = s.pid
        assert not _gone(pid)
    assert _gone(pid)
    with pytest.raises(SessionError, match="closed"):
        s.run()


def test_an_exception_in_the_with_block_kills_and_reaps():
    pid = 0
    with pytest.raises(RuntimeError), Session(sample("function_calls")) as s:
        s.break_("add")
        s.run()
        pid = s.pid
        raise RuntimeError("the grader gave up")
    assert _gone(pid)


def test_dropping_the_session_kills_and_reaps():
    s = Session(sample("function_calls"))
    s.break_("add")
    s.run()
    pid = s.pid
    del s
    gc.collect()
    assert _gone(pid)


def test_a_time_limit_stops_the_program_where_it_spins_and_closing_kills_it():
    with Session(sample("spin"), timeout=0.3) as s:
        result = s.run()
        assert isinstance(result, TimedOut)
        assert (result.seconds, result.function) == (0.3, "main")
        assert s.alive and s.pid == result.pid
        assert [frame.function for frame in s.backtrace().frames] == ["main"]
        assert isinstance(s.cont(), TimedOut)
    assert _gone(result.pid)


def test_events_record_what_happened_on_the_way():
    with Session(sample("function_calls")) as s:
        s.break_("add")
        s.run()
        first = s.pid
        s.run()
        killed = [e for e in s.events if isinstance(e, InferiorKilled)]
        assert killed == [InferiorKilled(first)]
        assert all(isinstance(e, ProgramOutput | InferiorKilled) for e in s.events)


def test_two_sessions_at_once():
    with Session(sample("function_calls")) as a, Session(sample("segfault")) as b:
        a.break_("add")
        assert isinstance(a.run(), Stopped)
        assert isinstance(b.run(), Stopped)
        assert isinstance(a.cont(), Exited)
        assert b.cont() == Signaled("SIGSEGV")
        assert "main got 15\n" in a.output()


def test_without_capture_the_output_is_this_process_own(capfd):
    with Session(sample("hello"), capture_output=False) as s:
        assert s.run() == Exited(0)
        assert s.output() == ""
    assert "Hello world!" in capfd.readouterr().out


def test_session_is_importable_from_the_package():
    assert deet.Session is Session
    with pytest.raises(AttributeError):
        _ = deet.NoSuchThing
