"""The debugger: the program to run, the processes it runs as, the breakpoints, and the one
loop that decides which stops the user sees.

This is where engine events meet debug info: a ``StopEvent`` becomes a ``Stopped`` result
with a source location, a breakpoint's code locations become int3s in each process.
Nothing here prints; what the user must hear of while the program runs (a program killed
to make way for a new one, a fork, an exec, a signal passed over) goes to the listener as
a typed event, as it happens.

Each traced process is a ``Process``; ``processes`` holds them, the current one first.
The others (a fork's other half under ``set detach-on-fork off``) stay stopped until the
user switches to them, as with gdb's default ``schedule-multiple off``.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from dataclasses import replace

from deet.debugger import forks, proctree
from deet.debugger.breakpoints import Breakpoint, BreakpointTable
from deet.debugger.calls import Caller
from deet.debugger.cexpr import EvalError, evaluate
from deet.debugger.clock import CommandClock, out_of_time
from deet.debugger.errors import DebuggerError
from deet.debugger.files import DebugFiles
from deet.debugger.frames import FrameContext
from deet.debugger.linespec import LocationSpec
from deet.debugger.process import InsertFailure, Process
from deet.debugger.resolve import Code, resolve, take_library_code
from deet.debugger.settings import Settings
from deet.debugger.shell import quote
from deet.debugger.signals import SignalTable, signal_name
from deet.debugger.sources import SourceFiles
from deet.debugger.stack import Stack
from deet.debugger.store import Store
from deet.debugger.values import Value, to_float, to_int
from deet.debugger.watcher import Watcher
from deet.debugger.world import ProgramWorld
from deet.debuginfo import DebugInfo
from deet.debuginfo.types import is_float
from deet.engine import (
    CpuPin,
    EngineError,
    ForkPolicy,
    MemoryAccessError,
    OutputCapture,
    ProcessTree,
    StopEvent,
    StopKind,
    reap_orphan,
)
from deet.results import (
    BreakpointSet,
    ConditionError,
    Exited,
    ForkDetached,
    FrameLine,
    InferiorKilled,
    InsertFailed,
    ProgramOutput,
    Result,
    Signaled,
    SignalReceived,
    Stopped,
    StopReason,
    TimedOut,
)

Listener = Callable[[Result], None]
# One way of running the program until its next event; it is given the time left.
Go = Callable[[float | None], StopEvent]
# Whether an event is the one a caller of ``run_until`` is waiting for.
Arrived = Callable[[StopEvent], bool]

# How long ``shutdown`` lets a process deet let go of (the parent, after following a
# fork's child) finish on its own before killing it: deet must not leave it behind.
RELEASED_GRACE_SECONDS = 2.0



_REASONS = {StopKind.BREAKPOINT: StopReason.BREAKPOINT, StopKind.STEP: StopReason.STEP,
            StopKind.SIGNAL: StopReason.SIGNAL}


class Debugger:
    def __init__(self, program: str, listener: Listener | None = None, *,
                 capture_output: bool = False) -> None:
        """``capture_output``: the program's stdout and stderr reach the listener as
        ``ProgramOutput`` results instead of going to deet's own stdout and stderr."""
        self.program = program
        self.files = DebugFiles(program)
        self.program_info = self.files.program
        self.breakpoints = BreakpointTable()
        self.processes: list[Process] = []
        # What ``info inferiors`` shows when no process is running.
        self._idle_number = 1
        self._idle_target = self.program_info
        self._next_number = 2
        # What ``run`` starts the program with; the time limit of each command.
        self.world = ProgramWorld()
        self.clock = CommandClock()
        self.sources = SourceFiles(self.files.built_at)
        self.settings = Settings()
        self._cpu_pin = CpuPin()
        self.signals = SignalTable()
        self.fork_policy = ForkPolicy()
        # Every process of the last run, the free-running ones serviced by each wait.
        self.tree = ProcessTree()
        self.diagnostics: proctree.Watcher | None = None
        self.listener: Listener = listener or (lambda _result: None)
        self._capture = OutputCapture(self._output) if capture_output else None
        # gdb's value history ($1, $2, ...).
        self.history: list[Value] = []
        self.watcher: Watcher | None = None
        self.convenience: dict[str, Value] = {}

    @property
    def capture(self) -> OutputCapture | None:
        """The program's captured output (``--json``, the API, ``deet dap``), if any."""
        return self._capture

    def _output(self, stream: str, text: str) -> None:
        self.listener(ProgramOutput(stream, text))

    # -- the processes ---------------------------------------------------------------------

    @property
    def current(self) -> Process | None:
        return self.processes[0] if self.processes else None

    @property
    def alive(self) -> bool:
        return self.current is not None

    @property
    def target(self) -> DebugInfo:
        """The program of the current process, or of the last one (what ``run`` and
        ``break`` before ``run`` refer to)."""
        current = self.current
        return current.target if current is not None else self._idle_target

    @property
    def idle_number(self) -> int:
        return self._idle_number

    def require_stopped(self) -> Process:
        current = self.current
        if current is None:
            raise DebuggerError("The program is not being run.")
        return current

    def new_number(self) -> int:
        """gdb's numbering: 1 for the program ``run`` starts, then one up per process."""
        number, self._next_number = self._next_number, self._next_number + 1
        return number

    def add_process(self, process: Process, *, current: bool = False) -> None:
        """Hold ``process``, under the user's fork and signal settings; ``current``: make
        it the one commands act on."""
        self._listen_to(process)
        if current:
            self.processes.insert(0, process)
        else:
            self.processes.append(process)

    def select(self, process: Process) -> None:
        """Make a held process current; the one it replaces goes to the back."""
        previous = self.current
        self.processes.remove(process)
        if previous is not None and previous is not process:
            self.processes.remove(previous)
            self.processes.append(previous)
        self.processes.insert(0, process)

    def forget(self, process: Process) -> None:
        """A process that ended, or that deet let go of."""
        if process is self.current:
            self._idle_number, self._idle_target = process.number, process.target
        self.processes.remove(process)

    def _listen_to(self, process: Process) -> None:
        inferior = process.inferior
        inferior.policy = self.fork_policy
        inferior.silent_signals = self.signals.silent()
        inferior.on_released = lambda pid, vfork: self.listener(ForkDetached(pid, "child", vfork))
        inferior.on_kept = lambda child: forks.keep(self, process, child)

    def settings_changed(self) -> None:
        """Carry ``set``/``handle`` changes to the engine's side of them."""
        self.fork_policy.follow_child = self.settings.get("follow-fork-mode") == "child"
        self.fork_policy.detach = self.settings.get("detach-on-fork") == "on"
        self.files.debug_root = self.settings.get("debug-file-directory")
        silent = self.signals.silent()
        for process in self.processes:
            process.inferior.silent_signals = silent

    # -- the program's life ----------------------------------------------------------------

    def run(self, args: str | list[str] | None = None, *, first_instruction: bool = False
            ) -> Result:
        """Start the program afresh (killing live ones first) and run to its first stop.
        ``args``: the text of the ``run`` line (the shell's syntax: deet/debugger/shell.py),
        or the words themselves; None keeps the previous ones. ``first_instruction``
        (``starti``): stop before the program's first instruction runs."""
        if args is not None:
            self.world.args = args if isinstance(args, str) else quote(args)
        with self.world.launch(self._capture) as launch:
            self.kill()
            self.tree.kill_free()
            if self._idle_target is not self.program_info:
                # An exec changed the program; ``run`` starts the one deet was given.
                self._idle_target = self.program_info
                forks.rebind_breakpoints(self)
            self._cpu_pin.apply(self.settings.get("single-cpu") == "on")
            inferior = launch.start(self.program, self._capture)
        self.tree = inferior.tree
        self.diagnostics = proctree.watch(self)
        process = self.begin(Process.at_exec(1, inferior, self.program_info, self.files))
        if first_instruction:
            return self.report(StopEvent(StopKind.STEP, inferior.pid, signal=signal.SIGTRAP,
                                         pc=inferior.pc, tid=inferior.thread.tid))
        return self._resume(process.cont)

    def begin(self, process: Process) -> Process:
        """The first process of a ``run`` or an ``attach``, current, with every breakpoint
        in it (resolved again when it runs another program than the last one)."""
        self._next_number = 2
        retarget = process.target is not self._idle_target
        self.add_process(process, current=True)
        if retarget:
            forks.rebind_breakpoints(self)
        for breakpoint_ in self.breakpoints:
            breakpoint_.forget_library_locations(process.space.program.path)
        # The dynamic loader is mapped from the first instruction: gdb reads it then, and a
        # ``break FUNC`` it also defines stops there too (its ``check_match``, at start-up).
        take_library_code(self.breakpoints, process.space.libraries())
        for breakpoint_ in self.breakpoints:
            self.install(process, breakpoint_)
        if self.watcher is not None:
            self.watcher.started(process)
        return process

    def cont(self) -> Result:
        return self._resume(self.require_stopped().cont)

    def kill(self, *, announce: bool = True) -> InferiorKilled | None:
        """Kill and reap every live process (telling the listener about the current one,
        when ``announce``), and every free-running process of the program; the event, or
        None when nothing was running."""
        killed = self._kill_held(announce)
        self.tree.kill_free(spare_root=True)
        return killed

    def _kill_held(self, announce: bool) -> InferiorKilled | None:
        current = self.current
        if current is None:
            return None
        killed = InferiorKilled(current.pid)
        current.inferior.kill()
        if announce and current.inferior.live:
            self.listener(killed)
        others = self.processes[1:]
        for process in others:
            process.inferior.kill()
        for process in others:
            reap_orphan(process.pid)
        self.forget(current)
        self.processes.clear()
        return killed

    def shutdown(self) -> None:
        """Leave nothing behind: called on every way out of deet. Whatever the program
        started goes too, killed while the program still holds it (so it is the
        program's to reap, and gone with it). A process deet attached to is not deet's:
        it is let go of, as gdb's ``quit`` does."""
        for process in list(self.processes):
            if process.inferior.attached or not process.inferior.live:
                process.inferior.detach()
                self.forget(process)
        self._kill_held(announce=False)
        proctree.finish(self, RELEASED_GRACE_SECONDS)
        if self._capture is not None:
            self._capture.close()
            self._capture = None
        self.files.close()

    # -- the stop loop ---------------------------------------------------------------------

    def run_until(self, go: Go, arrived: Arrived | None = None) -> StopEvent | None:
        """Run the current process by ``go`` until an event the user must see (returned),
        or one ``arrived`` accepts (None). Passed over on the way, the process resumed by
        ``continue``: the loader's notifications, forks and execs (announced), signals
        ``handle`` says not to stop for, breakpoints whose condition is false, and sites
        only deet's own stepping uses that ``arrived`` does not want. A user's breakpoint
        that stops wins over ``arrived``. A time limit covers the whole command
        (``clock.py``), however many such stops and calls there are."""
        deadline = self.clock.deadline()
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return out_of_time(self.require_stopped())
            try:
                event = go(remaining)
            except (EngineError, MemoryAccessError) as exc:
                raise DebuggerError(str(exc)) from exc
            go = self._continue_quietly
            if self.current is not None and self.current.pop_dummy(event):
                return replace(event, kind=StopKind.STEP, pc=self.current.inferior.pc)
            if self._passes_over(event):
                continue
            if self.watcher is not None and self.watcher.stops(event):
                return event
            if event.kind is StopKind.WATCH:
                continue
            if event.kind is StopKind.BREAKPOINT and self.breakpoint_stops_at(event.pc or 0):
                return event
            if arrived is not None and arrived(event):
                return None
            if event.kind is not StopKind.BREAKPOINT:
                return event

    def _resume(self, go: Go) -> Result:
        event = self.run_until(go)
        assert event is not None
        return self.report(event)

    def _continue_quietly(self, remaining: float | None) -> StopEvent:
        return self.require_stopped().cont(remaining)

    def _passes_over(self, event: StopEvent) -> bool:
        """Handle an event the user hears of (if at all) as a note, not as a stop."""
        process = self.current
        if process is None:
            return False
        if process.is_loader_notification(event):
            self._on_loader_notification(process)
        elif event.kind is StopKind.FORKED:
            forks.follow_child(self, event)
        elif event.kind is StopKind.EXECED:
            forks.on_exec(self)
        elif event.kind is StopKind.SIGNAL and not (
                disposition := self.signals[event.signal or 0]).stop:
            if disposition.print:
                self.listener(SignalReceived(disposition.name, disposition.description))
            if disposition.pass_:
                process.hold_signal(event, event.signal or 0)
        else:
            return False
        return True

    def _on_loader_notification(self, process: Process) -> None:
        added = process.refresh_objects()
        if not added:
            return
        take_library_code(self.breakpoints, added)
        for breakpoint_ in self.breakpoints:
            self.install(process, breakpoint_)


    def breakpoint_stops_at(self, pc: int) -> bool:
        """Whether the user's breakpoints at ``pc`` stop the program (an enabled one whose
        condition holds, or fails to evaluate, as in gdb, and that ignores no more
        crossings); each whose condition holds counts a hit."""
        process = self.require_stopped()
        crossed = [b for b in self.breakpoints.enabled_among(process.breakpoints_at(pc))
                   if self._condition_holds(b)]
        return bool([b for b in crossed if b.crossed()])

    def _condition_holds(self, breakpoint_: Breakpoint) -> bool:
        if breakpoint_.condition is None:
            return True
        try:
            value = evaluate(breakpoint_.condition, self.frame_context(0))
            return to_int(value) != 0 if not is_float(value.type) else to_float(value) != 0
        except (EvalError, DebuggerError) as exc:
            self.listener(ConditionError(breakpoint_.number, str(exc)))
            return True

    def report(self, event: StopEvent) -> Result:
        """The result the user sees for an event that ends a command."""
        process = self.require_stopped()
        if not event.alive:
            self.forget(process)
            result: Result = (Exited(event.status or 0) if event.kind is StopKind.EXITED
                              else Signaled(signal_name(event.signal or 0)))
            if self.processes:
                self.listener(result)
                return forks.switch_to(self, self.processes[0])
            return result
        assert event.pc is not None and event.signal is not None
        if event.kind is StopKind.TIMEOUT:
            place = process.place(event.pc)
            return TimedOut(self.clock.timeout or 0.0, process.pid, event.pc, place.function,
                            place.location, self.sources.source_line(place.location),
                            **process.stopping_thread())
        if event.kind is StopKind.SIGNAL and self.signals[event.signal].pass_:
            process.hold_signal(event, event.signal)
        if self.watcher is not None and (watched := self.watcher.report(event)) is not None:
            return watched
        hit = None
        if event.kind is StopKind.BREAKPOINT:
            found = self.breakpoints.enabled_among(process.breakpoints_at(event.pc))
            hit = found[0] if found else None
            if hit is not None:
                process.show_inlined_function_of(hit, event.pc)
        if hit is not None and hit.temporary:
            self.delete_breakpoint(hit.number)
        frame = process.stack.frame(0)
        assert frame is not None
        return Stopped(
            reason=_REASONS[event.kind],
            signal=signal_name(event.signal),
            pc=event.pc,
            function=frame.name,
            location=frame.location,
            breakpoint=hit.number if hit else None,
            source=self.sources.source_line(frame.location),
            **process.stopping_thread(),
        )

    # -- breakpoints -----------------------------------------------------------------------

    def resolve(self, spec: LocationSpec) -> Code:
        return resolve(spec, self.target, self.current, self.settings.get("breakpoint pending"))

    def add_breakpoint(self, spec: LocationSpec) -> BreakpointSet:
        code = self.resolve(spec)
        breakpoint_ = self.breakpoints.add(spec, code)
        current = self.current
        if current is not None:
            failures = current.install(breakpoint_)
            if failures:
                current.uninstall(breakpoint_.number)
                self.breakpoints.discard(breakpoint_.number)
                raise DebuggerError(f"Cannot insert breakpoint {breakpoint_.number}: "
                                    f"{failures[0].reason}")
            for process in self.processes[1:]:
                self.install(process, breakpoint_)
        addresses = breakpoint_.addresses(current.space if current is not None else None)
        locations = [location for found in code.values() for location in found]
        location = locations[0].location if len(locations) == 1 else None
        return BreakpointSet(breakpoint_.number, tuple(addresses), location, str(spec))

    def install(self, process: Process, breakpoint_: Breakpoint) -> None:
        """Put the breakpoint's int3s into ``process``; one that cannot be written is
        reported and skipped."""
        self._warn(process.install(breakpoint_))

    def _warn(self, failures: list[InsertFailure]) -> None:
        for failure in failures:
            self.listener(InsertFailed(failure.number, failure.reason))

    def delete_breakpoint(self, number: int) -> None:
        self.breakpoints.require(number)
        for process in self.processes:
            process.uninstall(number)
        self.breakpoints.discard(number)

    def enable_breakpoint(self, number: int, enabled: bool) -> None:
        breakpoint_ = self.breakpoints.require(number)
        breakpoint_.enabled = enabled
        for process in self.processes:
            if enabled:
                self.install(process, breakpoint_)
            else:
                process.uninstall(number)

    # -- frames ----------------------------------------------------------------------------

    @property
    def stack(self) -> Stack:
        """The current process's selected thread's stack at this stop."""
        return self.require_stopped().stack

    def frame_context(self, level: int | None = None) -> FrameContext:
        """Variables, registers and memory as seen from frame ``level`` (the selected one
        by default)."""
        process = self.require_stopped()
        chosen = process.stack.selected if level is None else level
        context = process.stack.context(chosen, self.history)
        context.store = Store(self.convenience, process.inferior.write,
                              process.write_register if chosen == 0 else None)
        context.caller = Caller(process, self.run_until, self.report, self.listener)
        return context

    def frame_line(self, level: int | None = None) -> FrameLine:
        stack = self.stack
        return stack.line(stack.selected if level is None else level, self.history)
