"""Programs that take signals: stops named, ``continue`` delivers, gdb's ``handle`` table,
handlers that run and can be stopped in, signals met while stepping off a breakpoint, and
death by a SIGKILL from outside."""

from __future__ import annotations

import os
import re
import signal
import subprocess

import pytest
from support import (
    PROGRAMS,
    deet_frames,
    deet_script,
    gdb_batch,
    gdb_frames,
    have_gdb,
    program,
    sample,
)

from deet import Session
from deet.results import Signaled, Stopped

TABLE_LINE = re.compile(r"^(Signal  |SIG\S+ +(Yes|No)\t)")
needs_gdb = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")


def test_a_signal_stop_is_named_and_continue_delivers_it_to_the_handler():
    run = deet_script(sample("signals"), "run\n" + "continue\n" * 3)
    assert run.lines.count("Child stopped (signal SIGUSR1)") == 3
    # Delivered each time (the handler counted 3); SIGALRM passes unannounced (gdb's table).
    assert "usr1 3 alarm 1" in run.lines
    assert run.lines[-1] == "Child exited (status 0)"


@needs_gdb
def test_signal_stops_agree_with_gdb():
    binary = sample("signals")
    gdb = gdb_batch(binary, "run", "continue", "continue", "continue")
    received = re.findall(r"^Program received signal (\S+),", gdb, re.M)
    run = deet_script(binary, "run\n" + "continue\n" * 3)
    deet_received = re.findall(r"^Child stopped \(signal (\S+)\)$", run.stdout, re.M)
    assert deet_received == received == ["SIGUSR1"] * 3


@needs_gdb
@pytest.mark.parametrize(("handles", "shown"), [
    (["handle SIGUSR1 nostop noprint"], ["SIGUSR1"]),
    (["handle SIGUSR1 nostop", "handle SIGUSR1 print pass"], ["SIGUSR1"]),
    (["handle SIGALRM stop", "handle SIGINT pass", "handle SIGTERM nopass noprint"],
     ["SIGALRM", "SIGINT", "SIGTERM"]),
    (["handle SIG34 nostop noprint", "handle SIGCHLD stop"], ["SIG34", "SIGCHLD"]),
    ([], ["SIGINT", "SIGTRAP", "SIGALRM", "SIG40"]),
])
def test_handle_changes_the_table_as_gdb_s_does(handles, shown):
    """gdb prints ``handle``'s table only to a terminal; ``info signals`` shows the result."""
    binary = sample("signals")
    queries = [f"info signals {name}" for name in shown]
    run = deet_script(binary, "".join(f"{command}\n" for command in handles + queries))
    # gdb asks before changing SIGINT or SIGTRAP (deet does not): only its tables count.
    gdb = [line for line in gdb_batch(binary, *handles, *queries).splitlines()
           if TABLE_LINE.match(line)]
    assert run.lines[-len(gdb):] == gdb
    # deet, like gdb at a terminal, answers each handle with the changed rows.
    assert run.lines.count("Signal        Stop\tPrint\tPass to program\tDescription") == (
        len(handles) + len(queries))


@needs_gdb
def test_info_signals_lists_what_gdb_lists_for_every_linux_signal():
    binary = sample("signals")
    ours = {line.split()[0]: line for line in deet_script(binary, "info signals\n").lines
            if line.startswith("SIG")}
    theirs = {line.split()[0]: line for line in gdb_batch(binary, "info signals").splitlines()
              if line.startswith("SIG")}
    assert len(ours) >= 60
    for name, line in ours.items():
        if name != "SIGSTKFLT":  # gdb has no name for signal 16
            assert theirs[name] == line


def test_nostop_noprint_nopass_keeps_the_signal_from_the_program():
    run = deet_script(sample("signals"), "handle SIGUSR1 nostop noprint nopass\nrun\n")
    assert "usr1 0 alarm 1" in run.lines
    assert run.lines[-1] == "Child exited (status 0)"


def test_nostop_print_announces_each_signal_as_gdb_does():
    run = deet_script(sample("signals"), "handle SIGUSR1 nostop print\nrun\n")
    assert run.lines.count("Program received signal SIGUSR1, User defined signal 1.") == 3
    assert "usr1 3 alarm 1" in run.lines


@needs_gdb
def test_a_breakpoint_in_a_handler_stops_there_with_the_handler_frame_as_gdb_shows():
    binary = sample("signals")
    run = deet_script(binary, "break on_usr1\nrun\ncontinue\nbacktrace\n")
    assert run.lines.count("Child stopped (signal SIGTRAP)") == 1
    stop = run.lines.index("Child stopped (signal SIGTRAP)")
    assert re.search(r"signals.c:12$", run.lines[stop + 1])
    gdb = gdb_frames(gdb_batch(binary, "break on_usr1", "run", "continue", "backtrace"))
    assert "<signal handler called>" in run.lines
    # Through raise's tail call too, reconstructed from DWARF call sites as gdb does.
    assert _same_frames(deet_frames(run.lines), gdb)


def _same_frames(ours, theirs) -> bool:
    return [(f.function, f.line) for f in ours] == [(f.function, f.line) for f in theirs]


@needs_gdb
def test_a_failed_assertion_s_backtrace_is_gdb_s_tail_call_frames_included():
    binary = program("aborts")
    run = deet_script(binary, "run\nbacktrace\n")
    assert "Child stopped (signal SIGABRT)" in run.lines
    ours = deet_frames(run.lines)
    assert "__pthread_kill_internal" in [frame.function for frame in ours]
    assert _same_frames(ours, gdb_frames(gdb_batch(binary, "run", "backtrace")))


def _storm(extra: str, count: int, continues: int) -> list[str]:
    script = f"handle SIG34 nostop noprint pass\n{extra}run {count}\n" + "continue\n" * continues
    return deet_script(sample("signal_storm"), script, timeout=300).lines


def test_signals_met_while_stepping_off_a_breakpoint_are_neither_lost_nor_doubled():
    lines = _storm("break tick\n", 100, 5000)
    done = next(line for line in lines if line.startswith("received "))
    ticks = int(re.search(r"after (\d+) ticks", done)[1])
    assert done.startswith("received 100 of 100 ")
    # A handler returning onto the breakpoint it was delivered at is no second hit.
    assert lines.count("Child stopped (signal SIGTRAP)") == ticks


@pytest.mark.slow
def test_a_signal_storm_under_a_conditional_breakpoint_loses_nothing():
    lines = _storm("break tick if ticks < 0\n", 2000, 0)
    assert any(line.startswith("received 2000 of 2000 ") for line in lines)
    assert lines[-1] == "Child exited (status 0)"


def test_sigkill_from_outside_while_stopped_is_reported_as_death_by_sigkill():
    with Session(sample("function_calls")) as session:
        session.break_("add")
        stopped = session.run()
        assert isinstance(stopped, Stopped)
        pid = session.execute("info inferiors").rows[0].pid
        os.kill(pid, signal.SIGKILL)
        result = session.cont()
        assert result == Signaled("SIGKILL")
        assert not session.alive


def test_stepping_over_a_system_call_is_a_step_not_a_sigtrap():
    binary = program("raw_syscall")
    symbols = subprocess.run(["nm", str(binary)], capture_output=True, text=True).stdout
    address = int(re.search(r"^([0-9a-f]+) T syscall_here$", symbols, re.M)[1], 16)
    run = deet_script(binary, f"break *{address:#x}\nrun\nstepi\nstepi\ncontinue\n")
    assert run.lines.count("Child stopped (signal SIGTRAP)") == 1  # the breakpoint only
    assert "pid 1" in run.lines
    assert run.lines[-1] == "Child exited (status 0)"
    if have_gdb():
        gdb = gdb_batch(binary, f"break *{address:#x}", "run", "stepi", "stepi")
        steps = re.findall(r"^0x[0-9a-f]+\t(\d+)\t", gdb, re.M)
        assert steps == re.findall(r"^0x[0-9a-f]+\t(\d+)\t", run.stdout, re.M)


def _faulting_pc(binary) -> str:
    """Where the program's first SIGSEGV is, as gdb sees it."""
    return re.search(r"^\$1 = (0x[0-9a-f]+)$", gdb_batch(binary, "run", "print/x $pc"),
                     re.M)[1]


@needs_gdb
def test_a_handler_that_longjmps_away_from_a_breakpoint_leaves_later_hits_reported():
    """Continuing with a signal from a breakpoint steps into the handler, as gdb does:
    the breakpoint is a hit each time the program comes back to it, whether the handler
    returned there or jumped away and the program called it again (deet once took the
    later calls for the handler's return and let them pass)."""
    binary = program("handler_longjmp")
    commands = [f"break *{_faulting_pc(binary)}", "run", *["continue"] * 6]
    gdb = gdb_batch(binary, *commands)
    gdb_stops = re.findall(r"^(Breakpoint 1,|Program received signal SIGSEGV)", gdb, re.M)
    run = deet_script(binary, "".join(f"{c}\n" for c in commands))
    stops = re.findall(r"^Child stopped \(signal (SIGTRAP|SIGSEGV)\)$", run.stdout, re.M)
    assert stops == ["SIGTRAP" if s == "Breakpoint 1," else "SIGSEGV" for s in gdb_stops]
    assert stops == ["SIGTRAP", "SIGSEGV"] * 3
    assert "round 2: recovered" in run.lines and run.lines[-1] == "Child exited (status 0)"


@needs_gdb
def test_stepi_from_a_signal_stop_on_a_breakpoint_enters_the_handler_as_gdb():
    binary = program("handler_longjmp")
    commands = [f"break *{_faulting_pc(binary)}", "run", "continue", "stepi", "backtrace"]
    run = deet_script(binary, "".join(f"{c}\n" for c in commands))
    gdb = gdb_batch(binary, *commands)
    entered = re.search(r"^on_segv \(sig=\d+\) at .*:\d+$", gdb, re.M)[0]
    assert entered.replace(f"{PROGRAMS}/", "") in [line.replace(f"{PROGRAMS}/", "")
                                                   for line in run.lines]
    assert _same_frames(deet_frames(run.lines), gdb_frames(gdb))
