"""watch, rwatch, awatch and auto-display against gdb, the oracle, on the same binary.

Each test runs one command list through gdb and deet and compares what both print about
watchpoints and displays. What the two say differently on purpose is taken out first:
DEET's breakpoint lines (``Set breakpoint 0 at``, ``Child stopped``, ``Stopped at``,
``Child exited``) against gdb's (and its question before ``undisplay`` deletes all,
which deet does not ask) (``Breakpoint 1 at``, ``Breakpoint 1, main () at``,
``[Inferior 1 ... exited normally]``), and DEET's numbering, which starts at 0 where
gdb's starts at 1 (deet's numbers are shifted up by one before comparing).
"""

from __future__ import annotations

import itertools
import os
import re
import time

import pexpect
import pytest
from support import deet_script, gdb_batch, have_gdb, program, reap_orphans_of, sample

from deet import Session
from deet.results import DisplayItem, Displays, WatchpointSet, WatchpointStopped
from deet.results.shown import Scalar

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")

_GDB_ONLY = re.compile(r"^(Breakpoint \d+ at |Breakpoint \d+, |\[Inferior \d+ |"
                       r"\[Thread debugging|Using host libthread_db|Temporary breakpoint|"
                       r"Delete all auto-display expressions\? )")
_DEET_ONLY = re.compile(r"^(Set breakpoint |Child stopped|Stopped at |Child exited|"
                        r"Killing running inferior|Run till exit|"
                        r"(Breakpoint|Watchpoint) \d+ now unconditional\.)")
_NUMBERED = re.compile(r"([Ww]atchpoint )(\d+)")
_ROW = re.compile(r"^(\d+)(\s+(?:breakpoint|hw watchpoint|read watchpoint|acc watchpoint|"
                  r"watchpoint) )")
_DISPLAY = re.compile(r"^(\d+)(: )")


def _filtered(lines: list[str], noise: re.Pattern[str]) -> list[str]:
    """The lines without one debugger's own breakpoint and exit lines (and the source line
    a breakpoint stop shows, which comes right after its headline)."""
    kept = []
    skip_source = False
    for line in lines:
        if skip_source and re.match(r"^\d+\t", line):
            skip_source = False
            continue
        skip_source = False
        if noise.match(line):
            skip_source = True
            if kept and kept[-1] == "" and line.startswith("Breakpoint"):
                kept.pop()  # gdb's blank line before a breakpoint stop
            continue
        kept.append(line)
    return kept


def _shifted(line: str) -> str:
    """A deet line with gdb's numbers (deet's plus one)."""
    line = _NUMBERED.sub(lambda m: f"{m[1]}{int(m[2]) + 1}", line)
    return _ROW.sub(lambda m: f"{int(m[1]) + 1:<{len(m[1])}}{m[2]}", line)


def _deet_numbers(command: str) -> str:
    """A command naming breakpoints by gdb's numbers, with deet's (one less)."""
    words = command.split()
    if words[0] in ("delete", "disable", "enable") and "display" not in words:
        return " ".join(str(int(w) - 1) if w.isdigit() else w for w in words)
    if words[0] == "condition":
        return " ".join([words[0], str(int(words[1]) - 1), *words[2:]])
    return command


def both(target, *commands: str) -> tuple[list[str], list[str]]:
    """What gdb and deet print for ``commands`` on ``target``, comparable line by line."""
    gdb = _filtered(gdb_batch(target, *commands, errors=True).splitlines(), _GDB_ONLY)
    script = "".join(_deet_numbers(command) + "\n" for command in commands)
    run = deet_script(target, script, "--echo")
    assert "Traceback" not in run.stderr, run.stderr
    deet = [_shifted(line) for line in _filtered(_without_new_displays(run.lines), _DEET_ONLY)]
    return gdb, deet


def _without_new_displays(lines: list[str]) -> list[str]:
    """deet's lines without the echoed commands, and without what ``display EXPR`` shows
    at once: gdb shows a new display at once only to a terminal (from_tty), and its batch
    mode is the oracle here (``test_a_new_display_is_shown_at_once`` compares that part
    with gdb on a terminal)."""
    kept = []
    block: list[str] | None = None
    for line in [*lines, "(deet) "]:
        if line.startswith("(deet) "):
            if block and not re.match(r"^\d+: ", block[0]):
                kept.extend(block)  # an error, not a display
            words = line.split()
            block = [] if len(words) > 2 and words[1].partition("/")[0] == "display" else None
        elif block is not None:
            block.append(line)
        else:
            kept.append(line)
    return kept


@pytest.fixture(scope="module")
def watched():
    return program("watched")


def test_watch_rwatch_awatch_globals(watched):
    gdb, deet = both(watched, "break main", "run", "watch counter", "rwatch small",
                     "awatch mid", "continue", "continue", "info watchpoints", "continue",
                     "continue", "continue", "info breakpoints")
    assert any(line.startswith("Hardware watchpoint 2: counter") for line in gdb)
    assert "Old value = 0" in gdb and "New value = 300" in gdb
    assert deet == gdb


def test_read_and_access_watchpoints_report_values_and_mid_line_frames(watched):
    gdb, deet = both(watched, "break reader", "run", "rwatch counter", "awatch counter",
                     "watch -l table[4]", *["continue"] * 5)
    assert "Value = 12" in gdb
    assert any(line.startswith("0x") and " in reader () at " in line for line in gdb)
    assert deet == gdb


def test_local_watchpoint_ends_with_its_frame(watched):
    gdb, deet = both(watched, "break bump", "run", "watch local", "info breakpoints",
                     *["continue"] * 3, "info watchpoints", "continue")
    assert "which its expression is valid." in gdb
    assert "No watchpoints." in gdb
    assert deet == gdb


def test_watch_location_of_a_local_outlives_its_frame(watched):
    """``watch -l local`` watches the local's memory, not the expression: it stays after
    bump returns, and the next call's local (at the same address) changes it."""
    gdb, deet = both(watched, "break bump", "run", "watch -l local", "info watchpoints",
                     *["continue"] * 5, "info watchpoints")
    assert "Hardware watchpoint 2: -location local" in gdb
    assert not any("which its expression is valid." in line for line in gdb)
    assert any(line.startswith("bump (by=1) at ") for line in gdb)
    assert deet == gdb


def test_wide_values_conditions_and_expressions(watched):
    gdb, deet = both(watched, "break main", "run", "watch table", "watch big if big > 5",
                     "info breakpoints", "continue", "continue")
    assert "New value = {0, 0, 0, 0, 7, 0}" in gdb
    assert "\tstop only if big > 5" in gdb
    assert deet == gdb


def test_watch_errors_and_expressions_of_several_values(watched):
    gdb, deet = both(watched, "break main", "run", "watch ratio", "watch counter*2",
                     "watch 5", "watch nosuch", "watch", "watch counter if nosuch > 1",
                     "rwatch counter+1", "continue", "continue")
    assert "Cannot watch constant value `5'." in gdb
    assert deet == gdb


def test_delete_disable_enable_watchpoints(watched):
    gdb, deet = both(watched, "break main", "run", "watch counter", "watch mid",
                     "disable 2", "continue", "info watchpoints", "enable 2", "delete 3",
                     "continue", "delete 2", "info watchpoints", "continue")
    assert "Old value = 12" in gdb
    assert deet == gdb


def test_watchpoint_condition_false_passes_over_changes(watched):
    gdb, deet = both(watched, "break main", "run", "watch counter if counter > 5",
                     "continue", "continue", "info watchpoints", "continue")
    assert "New value = 6" in gdb
    assert deet == gdb


def test_watchpoint_fires_during_next_and_finish(watched):
    gdb, deet = both(watched, "break bump", "run", "watch counter", "next", "next", "next",
                     "next", "continue", "finish")
    assert "New value = 6" in gdb
    assert deet == gdb


def test_displays_after_every_stop(watched):
    gdb, deet = both(watched, "break bump", "run", "display local", "display/x counter",
                     "display/i $pc", "info display", "next", "display/2xw &counter",
                     "continue", "info display")
    assert "2: /x counter = 0x0" in gdb
    assert "3: x/i $pc" in gdb
    assert any(line.startswith("=> 0x") for line in gdb)
    assert deet == gdb


def test_displays_out_of_their_function_are_skipped(watched):
    gdb, deet = both(watched, "break bump", "break reader", "run", "display local",
                     "display counter", "display by * 2", "continue", "continue",
                     "continue", "info display")
    assert "1: local = 2" in gdb
    # At reader's breakpoint only the display of a global is shown.
    assert gdb[-6:-4] == ["2: counter = 12", "Auto-display expressions now in effect:"]
    assert "1:   y  local (cannot be evaluated in the current context)" in gdb
    assert deet == gdb


def test_undisplay_delete_disable_enable_display(watched):
    gdb, deet = both(watched, "break bump", "run", "display local", "display counter",
                     "display/x mid", "disable display 2", "next", "enable display 2",
                     "undisplay 1", "delete display 3", "next", "undisplay 7",
                     "display nosuch", "info display", "delete display", "info display",
                     "next")
    assert "No display number 7." in gdb
    assert "There are no auto-display expressions now." in gdb
    assert deet == gdb


def test_a_new_display_is_shown_at_once(watched):
    """gdb shows a display as it is made when the command comes from a terminal (its
    batch mode does not), and deet always does: gdb on a terminal is the oracle here."""
    commands = ["display local", "display/x counter", "display/i $pc", "display"]
    gdb = pexpect.spawn("gdb", ["-nx", "-q", "-ex", "set style enabled off",
                                "-ex", "set startup-with-shell off", "-ex", "break bump",
                                "-ex", "run", str(watched)],
                        encoding="utf-8", timeout=60, env={**os.environ, "TERM": "dumb"},
                        dimensions=(40, 200))
    expected = []
    try:
        gdb.expect_exact("(gdb) ")
        for command in commands:
            gdb.sendline(command)
            gdb.expect_exact("(gdb) ")
            expected += [line for line in gdb.before.splitlines()[1:] if line.strip()]
        # gdb kills and reaps its program itself; killed first, it would leave it behind.
        gdb.sendline("set confirm off")
        gdb.sendline("kill")
        gdb.sendline("quit")
        gdb.expect(pexpect.EOF)
    finally:
        gdb.close(force=True)
        reap_orphans_of(1.0)
    run = deet_script(watched, "break bump\nrun\n" + "\n".join(commands) + "\n")
    assert expected[0] == "1: local = 0"
    assert "3: x/i $pc" in expected
    start = run.lines.index("1: local = 0")
    assert run.lines[start:start + len(expected)] == expected


def test_software_watchpoints_single_step_and_compare(watched):
    """gdb's software watchpoints (``set can-use-hw-watchpoints 0``): the same stops, the
    local one ending with its frame, and a run through printf's code single-stepped."""
    gdb, deet = both(watched, "set can-use-hw-watchpoints 0", "break bump", "run",
                     "watch counter", "rwatch counter", "watch local", "info watchpoints",
                     *["continue"] * 4, "info watchpoints", "delete", "break reader",
                     "watch counter", *["continue"] * 4)
    assert "Watchpoint 2: counter" in gdb
    assert "Can't set read/access watchpoint when hardware watchpoints are disabled." in gdb
    assert "which its expression is valid." in gdb
    assert "New value = 99" in gdb
    assert deet == gdb


def test_watchpoints_beyond_the_debug_registers_are_done_in_software(watched):
    """Four registers: ``table`` (24 bytes) takes three, ``big`` the fourth, so ``mid`` and
    ``counter`` are watched in software (gdb would fail to insert them at ``continue``);
    the stops are those gdb makes with all of them in software."""
    watches = ["watch table", "watch big", "watch mid", "watch counter"]
    gdb, _ = both(watched, "set can-use-hw-watchpoints 0", "break main", "run", *watches,
                  *["continue"] * 8)
    _, deet = both(watched, "break main", "run", *watches, *["continue"] * 8)
    assert deet[:4] == ["Hardware watchpoint 2: table", "Hardware watchpoint 3: big",
                        "Watchpoint 4: mid", "Watchpoint 5: counter"]
    assert [line.replace("Hardware watchpoint", "Watchpoint") for line in deet] == gdb
    assert "New value = {0, 0, 0, 0, 7, 0}" in deet


def test_a_software_watchpoint_is_bounded_by_the_time_limit():
    """Single-stepping a program that sleeps: ``--timeout`` ends the ``continue`` with the
    program stopped where it was, as for any other command."""
    target = sample("sleepy_print")
    started = time.monotonic()
    run = deet_script(target, "break 16\nrun 30\nset can-use-hw-watchpoints 0\nwatch n\n"
                      "continue\ninfo watchpoints\n", "--timeout", "2")
    assert time.monotonic() - started < 25
    assert "Watchpoint 1: n" in run.lines
    assert "Program timed out after 2 s" in run.lines
    assert "1       watchpoint     keep y                      n" in run.lines


def _stops(lines: list[str]) -> list[tuple[int, int]]:
    """The (old, new) values of each watchpoint stop in ``lines``."""
    olds = [int(line.split(" = ")[1]) for line in lines if line.startswith("Old value = ")]
    news = [int(line.split(" = ")[1]) for line in lines if line.startswith("New value = ")]
    return list(zip(olds, news, strict=True))


def test_watchpoints_watch_every_thread_even_those_made_later():
    """samples/threads.c: four threads created after ``watch total`` add to it three times
    each; gdb and deet stop at every change, in whatever order the threads ran."""
    target = sample("threads")
    commands = ["break main", "run", "watch total", *["continue"] * 13]
    gdb = _stops(gdb_batch(target, *commands).splitlines())
    deet = _stops(deet_script(target, "\n".join(commands) + "\n").lines)
    for stops in (gdb, deet):
        assert len(stops) == 12
        assert all(old < new for old, new in stops)
        assert all(a[1] == b[0] for a, b in itertools.pairwise(stops))
        assert stops[-1][1] == 30


def test_forked_children_run_free_of_the_parents_watchpoints():
    """samples/forks.c: the parent's loop counter is watched while it forks three times;
    each child deet lets go of runs to its end (no watchpoint of the parent's goes with
    it) and the parent stops at each change, as in gdb."""
    target = sample("forks")
    commands = ["break 18", "run", "watch i", *["continue"] * 4]
    gdb = gdb_batch(target, *commands, orphans=True).splitlines()
    run = deet_script(target, "\n".join(commands) + "\n")
    assert _stops(run.lines) == _stops(gdb) == [(0, 1), (1, 2), (2, 3)]
    for child in range(3):
        assert f"child {child} running" in run.lines
        assert f"parent reaped child {child}: status {child}" in run.lines


def test_a_watchpoint_that_leaves_the_pc_on_a_breakpoint_reports_the_breakpoint(watched):
    """``counter = 99;`` ends line 38 and line 39 has a breakpoint: gdb reports the
    breakpoint and counts a hit of both."""
    gdb, deet = both(watched, "break 37", "break 39", "run", "watch counter", "continue",
                     "continue", "info breakpoints")
    assert "2       breakpoint     keep y   0x" in "\n".join(gdb)
    assert not any(line.startswith("Old value") for line in gdb)
    assert deet == gdb


@pytest.fixture(scope="module")
def watched_list():
    return program("watched_list")


def test_a_watchpoint_follows_the_pointers_it_reads_through(watched_list):
    """``head->next->value`` watches ``head``, ``head->next`` and the value: when
    ``head->next`` moves, the new node's value is watched, as in gdb."""
    gdb, deet = both(watched_list, "break relink", "run", "watch head->next->value",
                     "watch first.value", "info watchpoints", *["continue"] * 5)
    assert "New value = 3" in gdb and "New value = 30" in gdb
    assert deet == gdb


def test_a_recursive_functions_local_ends_with_its_own_frame(watched_list):
    gdb, deet = both(watched_list, "break depth if n == 1", "run", "watch here",
                     *["continue"] * 3)
    assert any(line.startswith("depth (n=2) at ") for line in gdb)
    assert deet == gdb


def test_a_local_in_a_register_is_watched_in_software():
    """At -O2 ``total`` is a constant at the breakpoint and then a register: gdb and deet
    make it a software watchpoint, stop at each change and end it with the frame."""
    target = program("watched_list", ("-O2", "-g"))
    gdb, deet = both(target, "break triangle", "run", "watch total", *["continue"] * 6)
    assert "Watchpoint 2: total" in gdb
    assert "New value = 10" in gdb
    assert "which its expression is valid." in gdb
    assert deet == gdb


def test_run_again_keeps_watchpoints_on_globals_and_drops_locals(watched):
    gdb, deet = both(watched, "break bump", "run", "watch counter", "watch local",
                     "continue", "run", "info watchpoints", "continue", "continue",
                     "info watchpoints")
    assert "3       hw watchpoint  keep y                      local" not in gdb
    assert "New value = 2" in gdb
    assert deet == gdb


def test_conditions_set_later_and_watchpoints_on_a_callers_local(watched):
    """``up`` then ``watch i``: main's loop counter, watched from bump's stop; a condition
    added with ``condition N COND`` and removed with ``condition N``."""
    gdb, deet = both(watched, "break bump", "run", "up", "watch i", "watch counter",
                     "condition 3 counter > 5", "info watchpoints", *["continue"] * 3,
                     "condition 3", "continue", "info watchpoints")
    assert "\tstop only if counter > 5" in gdb
    assert any(line.startswith("0x") and " in main () at " in line for line in gdb)
    assert deet == gdb


def test_display_formats_and_errors(watched):
    """Print-style letters (a count without a size is ignored, as gdb does), and memory a
    display cannot read shown as gdb's ``<error: ...>``, in both styles."""
    gdb, deet = both(watched, "break bump", "run", "display/x small", "display/d big",
                     "display/c small", "display *(&counter + 100000000)", "display/i 0",
                     "display/2dw 0", "display/3x table", "display ratio", "display/t mid",
                     "next", "info display")
    assert "   0x0:\t<error: Cannot access memory at address 0x0>" in gdb
    assert "7: /x table = {0x0, 0x0, 0x0, 0x0, 0x0, 0x0}" in gdb
    assert deet == gdb


def test_unaligned_members_take_several_registers(watched_list):
    """``record.count`` (4 bytes at an odd address) needs three aligned pieces, and
    ``record.total`` (8 bytes) four more, so deet watches it in software; the stops are
    gdb's (``set can-use-hw-watchpoints 0`` for the oracle, whose x86 code would fail to
    insert the second)."""
    watches = ["watch record.count", "watch record.total", "rwatch record.tag"]
    gdb, _ = both(watched_list, "set can-use-hw-watchpoints 0", "break relink", "run",
                  *watches[:2], *["continue"] * 6)
    _, deet = both(watched_list, "break relink", "run", *watches, "info watchpoints",
                   *["continue"] * 6)
    assert deet[:3] == ["Hardware watchpoint 2: record.count", "Watchpoint 3: record.total",
                        "Hardware read watchpoint 4: record.tag"]
    assert [line.replace("Hardware watchpoint", "Watchpoint") for line in deet[7:]] == gdb[2:]
    assert "New value = 8589934592" in gdb


def test_the_api_returns_watchpoints_and_their_stops_as_values(watched):
    with Session(watched) as session:
        session.break_("bump")
        session.run()
        assert session.execute("watch counter") == WatchpointSet(1, "watch", True, "counter")
        stop = session.cont()
        assert isinstance(stop, WatchpointStopped)
        (hit,) = stop.hits
        assert (hit.number, hit.old, hit.new) == (1, Scalar(0), Scalar(2))
        assert stop.frame.function == "bump"
        assert session.execute("display local") == Displays(
            (DisplayItem(1, "local", None, Scalar(2)),))
