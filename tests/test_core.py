"""The debugger core's decisions, driven through ``Debugger`` itself without any front end:
resolving locations, the stack and frame selection, switching processes, the stop policy.

Every test runs a real program compiled at test time; gdb is the oracle where the two
should agree (addresses, depths).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from support import gdb_batch, have_gdb, reap_orphans_of, sample

from deet.debugger import Debugger, DebuggerError
from deet.debugger import stack as stack_module
from deet.debugger.cexpr import evaluate
from deet.debugger.forks import switch_to_number
from deet.debugger.linespec import AddressSpec, FunctionSpec, LineSpec
from deet.debugger.resolve import resolve
from deet.debugger.values import to_int
from deet.engine import StopKind
from deet.results import (
    ConditionError,
    Exited,
    InferiorSwitched,
    NewInferior,
    Result,
    SignalReceived,
    Stopped,
    StopReason,
)


@pytest.fixture
def session() -> Iterator:
    """Make debuggers that record what they announce; every one is shut down after."""
    made: list[Debugger] = []

    def start(name: str) -> tuple[Debugger, list[Result]]:
        heard: list[Result] = []
        debugger = Debugger(str(sample(name)), heard.append, capture_output=True)
        made.append(debugger)
        return debugger, heard

    yield start
    for debugger in made:
        debugger.shutdown()
    reap_orphans_of(0.5)


def _value(debugger: Debugger, expression: str, level: int | None = None) -> int:
    return to_int(evaluate(expression, debugger.frame_context(level)))


# -- resolution ----------------------------------------------------------------------------


def _gdb_breakpoint(name: str, spec: str) -> int:
    found = re.search(r"Breakpoint 1 at (0x[0-9a-f]+)", gdb_batch(sample(name), f"break {spec}"))
    assert found is not None
    return int(found[1], 16)


@pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")
def test_functions_and_lines_resolve_where_gdb_puts_the_breakpoint():
    debugger = Debugger(str(sample("function_calls")))
    try:
        target = debugger.target
        program = str(target.path)
        (add,) = resolve(FunctionSpec("add"), target, None, "auto")[program]
        assert add.address == _gdb_breakpoint("function_calls", "add")
        assert add.function == "add"
        (line,) = resolve(LineSpec("function_calls.c", 17), target, None, "auto")[program]
        assert line.address == _gdb_breakpoint("function_calls", "function_calls.c:17")
        assert (line.location.line, line.function) == (17, "compute")
    finally:
        debugger.shutdown()


def test_a_name_nothing_defines_is_an_error_unless_the_program_imports_it():
    debugger = Debugger(str(sample("hello")))
    try:
        with pytest.raises(DebuggerError, match=re.escape('Function "nosuch" not defined.')):
            resolve(FunctionSpec("nosuch"), debugger.target, None, "auto")
        # puts comes from libc, not loaded yet: pending, with no location so far.
        assert resolve(FunctionSpec("puts"), debugger.target, None, "auto") == {}
        with pytest.raises(DebuggerError, match=re.escape('Function "puts" not defined.')):
            resolve(FunctionSpec("puts"), debugger.target, None, "off")
        with pytest.raises(DebuggerError, match="no code at address 0x10"):
            resolve(AddressSpec(0x10), debugger.target, None, "auto")
    finally:
        debugger.shutdown()


def test_a_bare_line_is_in_the_file_of_the_stop_and_libraries_join_once_loaded(session):
    debugger, _ = session("two_files")
    debugger.add_breakpoint(FunctionSpec("shout"))
    debugger.run()
    process = debugger.current
    here = process.place(process.inferior.pc).location
    assert here.file.endswith("two_files_shout.c")
    code = resolve(LineSpec(None, here.line), debugger.target, process, "auto")
    (location,) = code[str(debugger.target.path)]
    assert location.location.file == here.file
    puts = resolve(FunctionSpec("puts"), debugger.target, process, "auto")
    assert [path for path in puts if "libc" in path]


# -- the stack and the selected frame -----------------------------------------------------


def test_one_unwind_per_stop_shared_by_frame_commands(session, monkeypatch):
    walks = []
    unwind = stack_module.unwind

    def counted(*args):
        walks.append(1)
        return unwind(*args)

    monkeypatch.setattr(stack_module, "unwind", counted)
    debugger, _ = session("recursion")
    debugger.add_breakpoint(LineSpec(None, 5))
    stop = debugger.run()
    assert isinstance(stop, Stopped) and stop.reason is StopReason.BREAKPOINT
    stack = debugger.stack
    assert [_value(debugger, "n", level) for level in range(5)] == [1, 2, 3, 4, 5]
    stack.select(3)
    assert _value(debugger, "n") == 4
    assert debugger.frame_line().level == 3
    debugger.stack.backtrace()
    assert debugger.stack is stack and len(walks) == 1
    assert len(stack.frames) == 6  # five factorials and main
    with pytest.raises(DebuggerError, match=re.escape("No frame at level 6.")):
        stack.select(6)
    assert stack.selected == 3


def test_the_stack_is_dropped_when_the_program_runs_and_frame_0_is_selected_again(session):
    debugger, _ = session("recursion")
    debugger.add_breakpoint(FunctionSpec("factorial"))
    debugger.run()
    first = debugger.stack
    first.select(1)
    debugger.cont()
    assert debugger.stack is not first
    assert debugger.stack.selected == 0
    assert _value(debugger, "n") == 4


def test_stepping_looks_at_frame_0_only(session, monkeypatch):
    debugger, _ = session("recursion")
    debugger.add_breakpoint(LineSpec(None, 5))
    debugger.run()
    named = []
    place = type(debugger.current).place

    def counting(process, live):
        named.append(live)
        return place(process, live)

    monkeypatch.setattr(type(debugger.current), "place", counting)
    assert debugger.stack.innermost.cfa is not None
    assert named == []


# -- processes -----------------------------------------------------------------------------


def test_switching_inferiors_changes_the_current_process_and_nothing_else(session):
    debugger, heard = session("forks")
    debugger.settings.set("detach-on-fork off")
    debugger.settings_changed()
    child_work = debugger.add_breakpoint(FunctionSpec("child_work"))
    debugger.add_breakpoint(LineSpec(None, 24))
    stop = debugger.run(["1"])
    assert isinstance(stop, Stopped) and stop.location.line == 24
    (new,) = [event for event in heard if isinstance(event, NewInferior)]
    parent, child = debugger.processes
    assert (parent.number, child.number, child.pid) == (1, 2, new.pid)
    # The child holds copies of the parent's int3s in its own memory.
    assert child.installed == parent.installed
    assert child.inferior.sites is not parent.inferior.sites
    parent.stack.select(0)
    switched = switch_to_number(debugger, 2)
    assert isinstance(switched, InferiorSwitched) and debugger.current is child
    assert switched.inferior.pid == child.pid
    # A breakpoint deleted now is taken out of both processes at once.
    address = child_work.addresses[0]
    debugger.delete_breakpoint(child_work.number)
    assert address not in child.inferior.sites and address not in parent.inferior.sites
    # The child runs to its end; deet goes back to the parent, where it was.
    back = debugger.cont()
    assert isinstance(back, InferiorSwitched) and debugger.current is parent
    assert [event for event in heard if isinstance(event, Exited)] == [Exited(0)]
    assert debugger.frame_line().location.line == 24


def test_with_no_process_the_idle_inferior_keeps_its_number(session):
    debugger, _ = session("count")
    assert debugger.current is None and debugger.idle_number == 1
    with pytest.raises(DebuggerError, match=re.escape("The program is not being run.")):
        debugger.require_stopped()
    assert isinstance(debugger.run(), Exited)
    assert debugger.processes == []


# -- the stop policy ------------------------------------------------------------------------


def test_a_false_condition_passes_over_and_counts_no_hit(session):
    debugger, _ = session("recursion")
    breakpoint_ = debugger.add_breakpoint(FunctionSpec("factorial"))
    debugger.breakpoints.get(breakpoint_.number).condition = "n == 2"
    stop = debugger.run()
    assert isinstance(stop, Stopped) and _value(debugger, "n") == 2
    assert debugger.breakpoints.get(breakpoint_.number).hits == 1


def test_a_condition_that_fails_stops_and_says_why(session):
    debugger, heard = session("recursion")
    breakpoint_ = debugger.add_breakpoint(FunctionSpec("factorial"))
    debugger.breakpoints.get(breakpoint_.number).condition = "nosuch == 1"
    assert isinstance(debugger.run(), Stopped)
    assert ConditionError(0, 'No symbol "nosuch" in current context.') in heard


def test_an_internal_site_is_passed_over_unless_the_caller_waits_for_it(session):
    debugger, _ = session("recursion")
    debugger.add_breakpoint(FunctionSpec("main"))
    debugger.run()
    process = debugger.current
    factorial = process.target.function_breakpoints("factorial")[0].address
    process.add_internal(factorial)
    # Nobody waits for it: the program runs to its end.
    assert isinstance(debugger.cont(), Exited)
    debugger.run()
    process = debugger.current
    process.add_internal(factorial)
    depths = []

    def arrived(event) -> bool:
        depths.append(_value(debugger, "n"))
        return event.kind is StopKind.BREAKPOINT and depths[-1] == 3

    assert debugger.run_until(process.cont, arrived) is None
    assert depths == [5, 4, 3]


def test_a_signal_handle_says_not_to_stop_for_is_announced_and_delivered(session):
    debugger, heard = session("signals")
    debugger.signals.handle("SIGUSR1 nostop")
    debugger.settings_changed()
    assert isinstance(debugger.run(["1"]), Exited)
    assert heard.count(SignalReceived("SIGUSR1", "User defined signal 1")) == 3
    printed = "".join(getattr(event, "text", "") for event in heard)
    assert "usr1 3 alarm 1" in printed
