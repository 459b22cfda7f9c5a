"""The ptrace engine on real programs: stops, breakpoints, stepping over them, kill + reap."""

from __future__ import annotations

import os
import signal

import pytest
from support import sample

from deet.debuginfo import DebugInfo
from deet.engine import AT_ENTRY, Inferior, StopKind, launch
from deet.engine.sites import INT3


@pytest.fixture
def inferior_of():
    started: list[Inferior] = []
    devnull = os.open(os.devnull, os.O_WRONLY)

    def start(name: str, *args: str) -> tuple[Inferior, DebugInfo]:
        path = sample(name)
        inferior = launch(str(path), list(args), stdout=devnull)
        started.append(inferior)
        return inferior, DebugInfo(str(path))

    yield start
    for inferior in started:
        inferior.kill()
    os.close(devnull)


def test_launch_stops_at_exec_then_runs_to_exit(inferior_of):
    inferior, info = inferior_of("count")
    assert inferior.alive
    assert inferior.auxv()[AT_ENTRY] == info.entry
    event = inferior.cont()
    assert (event.kind, event.status) == (StopKind.EXITED, 0)
    assert not inferior.alive


def test_signal_stop_and_death(inferior_of):
    inferior, info = inferior_of("segfault")
    event = inferior.cont()
    assert (event.kind, event.signal) == (StopKind.SIGNAL, signal.SIGSEGV)
    assert info.location_for(event.pc).line == 5
    event = inferior.cont(signal.SIGSEGV)
    assert (event.kind, event.signal) == (StopKind.KILLED, signal.SIGSEGV)


def test_breakpoint_hit_rewinds_pc_and_hides_int3(inferior_of):
    inferior, info = inferior_of("function_calls")
    (add,) = info.function_breakpoints("add")
    original = inferior.memory.read(add.address, 1)
    inferior.sites.add(add.address)
    assert inferior.memory.read(add.address, 1) == bytes([INT3])
    assert inferior.read(add.address, 1) == original
    event = inferior.cont()
    assert event.kind is StopKind.BREAKPOINT
    assert event.pc == add.address == inferior.pc


def test_same_address_twice_keeps_the_programs_byte(inferior_of):
    inferior, info = inferior_of("function_calls")
    (add,) = info.function_breakpoints("add")
    original = inferior.memory.read(add.address, 1)
    inferior.sites.add(add.address)
    inferior.sites.add(add.address)
    inferior.sites.remove(add.address)
    assert inferior.memory.read(add.address, 1) == bytes([INT3])
    inferior.sites.remove(add.address)
    assert inferior.memory.read(add.address, 1) == original


def test_continue_from_a_breakpoint_hits_it_again_in_a_loop(inferior_of):
    inferior, info = inferior_of("recursion")
    (factorial,) = info.function_breakpoints("factorial")
    inferior.sites.add(factorial.address)
    hits = 0
    while (event := inferior.cont()).kind is StopKind.BREAKPOINT:
        hits += 1
    assert (hits, event.kind, event.status) == (5, StopKind.EXITED, 0)


def test_program_exiting_during_the_step_over_a_breakpoint(inferior_of):
    """exit.c's syscall instruction ends the program while deet steps over the int3 on it."""
    inferior, info = inferior_of("exit")
    main = info.symbols.named("main")[0]
    code = info.read_code(main.address, main.size)
    syscall = main.address + code.index(bytes.fromhex("0f05"))
    inferior.sites.add(syscall)
    event = inferior.cont()
    assert (event.kind, event.pc) == (StopKind.BREAKPOINT, syscall)
    event = inferior.cont()
    assert (event.kind, event.status) == (StopKind.EXITED, 0)


def test_step_instruction_over_a_breakpoint_moves_one_instruction(inferior_of):
    inferior, info = inferior_of("function_calls")
    (add,) = info.function_breakpoints("add")
    inferior.sites.add(add.address)
    inferior.cont()
    event = inferior.step_instruction()
    assert event.kind is StopKind.STEP
    assert event.pc > add.address
    assert inferior.memory.read(add.address, 1) == bytes([INT3])


def test_timeout_stops_a_spinning_program(inferior_of):
    inferior, _ = inferior_of("spin")
    event = inferior.cont(timeout=0.3)
    assert event.kind is StopKind.TIMEOUT
    assert inferior.alive
    inferior.kill()
    assert not inferior.alive


def test_kill_reaps_a_stopped_program(inferior_of):
    inferior, _ = inferior_of("sleepy_print", "5")
    inferior.kill()
    assert not inferior.alive
