"""The Python API: deet.Session on real programs, and the example in docs/api.md."""

from __future__ import annotations

import gc
import os
import re
import signal
import subprocess
import sys

import pytest
from support import ROOT, program, sample

import deet
from deet import Session, SessionError, results
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
    expected = re.search(r"prints:\n\n```text\n(.*?)```", text, re.S)[1]
    code = re.sub(r"samples/build/(\w+)", lambda m: str(sample(m[1])), code)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.stderr == ""
    assert done.stdout.replace(str(ROOT), "/home/you/deet") == expected


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
        assert caught.value.error == Error("No stack.")
        assert str(caught.value) == "No stack."
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


# -- the program's world, the common commands, interrupt, repr -----------------------------------


def test_stdin_as_bytes_or_a_file_and_never_the_graders_own(tmp_path):
    with Session(program("world"), stdin=b"fed\nlines\n") as s:
        assert s.run() == Exited(0)
        assert s.output().endswith("fed\nlines\n")
        assert s.run() == Exited(0)
        assert s.output().count("fed\nlines\n") == 2
    given = tmp_path / "input.txt"
    given.write_text("from a file\n")
    with Session(program("world"), stdin=given) as s:
        s.run()
        assert s.output().endswith("from a file\n")
    # The grader's own stdin holds something the program must not see.
    code = (f"from deet import Session\n"
            f"with Session({str(program('world'))!r}) as s:\n"
            f"    s.run()\n    print(repr(s.output().splitlines()[-1]))\n")
    done = subprocess.run([sys.executable, "-c", code], input="the grader's\n",
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.stdout.startswith("'cwd ")


def test_env_and_cwd(tmp_path):
    with Session(program("world"), env={"DEET_WORLD": "set", "HOME": None},
                 cwd=tmp_path) as s:
        s.run()
        lines = s.output().splitlines()
        assert lines[:2] == ["DEET_WORLD set", f"cwd {tmp_path}"]
        assert isinstance(s.execute("show environment HOME"), results.EnvironmentVariables)
        assert s.execute("show environment HOME").variables == (("HOME", None),)


def test_run_words_are_words_and_execute_reads_a_shell_line(tmp_path):
    (tmp_path / "in.txt").write_text("typed\n")
    with Session(program("world"), cwd=tmp_path) as s:
        s.run("<", "*")
        assert s.output().splitlines()[:2] == ["arg 1 [<]", "arg 2 [*]"]
        s.execute("run x < in.txt > out.txt")
        assert (tmp_path / "out.txt").read_text().endswith("typed\n")


def test_the_common_commands_return_their_results():
    with Session(sample("function_calls")) as s:
        assert isinstance(s.tbreak("compute"), BreakpointSet)
        assert isinstance(s.run(), Stopped)
        assert isinstance(s.next(), results.Stepped)
        stepped = s.step()
        assert isinstance(stepped, results.Stepped) and stepped.frame.function == "add"
        assert [name for name, _ in s.args().items] == ["a", "b"]
        assert [name for name, _ in s.locals().items] == ["sum"]
        assert s.print("a * b").value.value == 50
        assert s.up().frame.function == "compute"
        assert s.down().frame.function == "add"
        assert s.frame(2).frame.function == "main"
        assert s.frame().frame.level == 2
        s.frame(0)
        finished = s.finish()
        assert isinstance(finished, results.Finished) and finished.value.value.value == 15
        assert isinstance(s.stepi(), results.Stepped)
        assert isinstance(s.nexti(2), results.Stepped)
        assert isinstance(s.delete(), Message)
        assert isinstance(s.cont(), Exited)


def test_interrupt_stops_a_running_program_like_ctrl_c_and_it_goes_on():
    with Session(sample("spin")) as s:
        assert s.interrupt() is False
        sent = []
        previous = signal.signal(signal.SIGALRM, lambda *_: sent.append(s.interrupt()))
        try:
            signal.setitimer(signal.ITIMER_REAL, 0.3)
            stop = s.run()
            assert sent == [True]
            assert isinstance(stop, Stopped) and stop.signal == "SIGINT"
            assert stop.function == "main"
            assert s.interrupt() is False
            signal.setitimer(signal.ITIMER_REAL, 0.3)
            assert isinstance(s.cont(), Stopped)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        assert s.alive


def test_results_read_with_addresses_in_hex():
    with Session(sample("segfault")) as s:
        placed = s.break_("func1")
        address = placed.addresses[0]
        assert repr(placed).startswith(f"BreakpointSet(number=0, addresses=({address:#x},)")
        stop = s.run()
        text = repr(stop)
        assert f"pc={stop.pc:#x}" in text
        assert "reason=StopReason.BREAKPOINT" in text
        assert "thread=" not in text  # left at its default
        assert repr(s.backtrace()).count("pc=0x") == 2
