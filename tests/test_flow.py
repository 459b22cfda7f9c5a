"""start, starti, until, until LOCATION, advance LOCATION, jump and return, compared with
gdb reading the same commands (after the first stop, whose report is DEET's in deet)."""

from __future__ import annotations

import re

import pytest
from support import have_gdb, program
from test_arguments import _deet_answers, _gdb_answers

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")

_ARGV = re.compile(r"argv=0x[0-9a-f]+")


def _compare(setup: list[str], commands: list[str], program_args: str = "") -> None:
    target = program("prompt")
    run = [*setup, f"run {program_args}".strip()]
    deet = _deet_answers(target, [*run, *commands])[len(run):]
    gdb = _gdb_answers(target, [*run, *commands])[len(run):]
    assert [_ARGV.sub("argv=", text) for text in deet] == \
        [_ARGV.sub("argv=", text) for text in gdb]


def test_until_does_not_go_back_around_a_loop():
    # At the loop's last line, next goes back to the for; until runs the loop out.
    _compare(["break 22"], ["delete", "next", "next", "until", "until", "info locals"])


def test_until_and_advance_a_location():
    _compare(["break sum_to"], ["until 24", "print total", "advance 31", "print value"])


def test_advance_into_another_function_and_until_that_stays_in_the_frame():
    # advance stops in square; until square only counts in sum_to's frame, so it runs
    # until sum_to returns, to main.
    _compare(["break sum_to"], ["advance square", "frame", "up", "until square", "frame"])


def test_until_a_location_past_the_frame_stops_at_the_return():
    _compare(["break square"], ["until 32"])


def test_return_then_jump():
    _compare(["break square"], ["return", "next", "print total"])
    target = program("prompt")
    commands = ["break square", "run", "return", "delete", "jump 24"]
    deet = _deet_answers(target, commands)[-1].splitlines()
    gdb = _gdb_answers(target, commands)[-1].splitlines()
    assert deet[0] == gdb[0]
    # jump 24 skips the loop: sum_to returns 0, main returns (0 + 3)^2 + 1 = 10, 10 % 7.
    assert deet[-1] == "Child exited (status 3)"
    assert re.match(r"\[Inferior 1 \(process \d+\) exited with code 03\]", gdb[-1])


def test_return_with_a_value():
    _compare(["break square if n == 2"], ["return 100", "next", "next", "print total"])


def test_start_and_starti_stop_where_gdb_does():
    target = program("prompt")
    deet = _deet_answers(target, ["start", "bt", "print limit", "starti", "print $pc == $rip"])
    gdb = _gdb_answers(target, ["start", "bt", "print limit", "starti", "print $pc == $rip"])
    assert deet[0].startswith("Set breakpoint 0 at ")
    assert re.search(r"^main \(.*prompt\.c:28\)$", deet[1], re.M)
    assert re.search(r"^#0  main \(.*prompt\.c:28$", gdb[1], re.M)
    assert deet[2] == gdb[2]
    assert deet[4] == gdb[4]


def test_starti_stops_at_the_loaders_first_instruction_as_gdb():
    """The dynamic loader's ``_start``: an untyped symbol of no size, which gdb names the
    instructions by up to the next symbol (``_dl_start_user``)."""
    target = program("prompt")
    commands = ["starti", "x/3i $pc", "info registers rip", "stepi", "x/i $pc",
                "info sharedlibrary"]
    deet = _deet_answers(target, commands)
    gdb = _gdb_answers(target, commands)
    assert deet[1:] == gdb[1:]
    assert "<_start>:" in deet[1] and "<_dl_start_user>:" in deet[1]
