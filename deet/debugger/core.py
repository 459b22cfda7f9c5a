"""The debugger's state: the target program, the live inferiors, the breakpoints.

This is where engine events meet debug info: a ``StopEvent`` becomes a ``Stopped`` result
with a source location, a ``break`` location becomes int3 sites, the frame chain becomes a
``Backtrace``. Nothing here prints; events the user must see in order (a program killed to
make way for a new one, a fork, an exec) go to the listener as they happen.

One inferior is current; the others (a fork's other half under ``set detach-on-fork
off``) are parked with what belongs to their process (debug info, address space, which
int3s they hold) and stay stopped until the user switches to them, as with gdb's default
``schedule-multiple off``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from deet.debugger import forks
from deet.debugger.breakpoints import Breakpoint, BreakpointTable
from deet.debugger.cexpr import EvalError, evaluate
from deet.debugger.frames import FrameContext
from deet.debugger.linespec import AddressSpec, FunctionSpec, LineSpec, LocationSpec
from deet.debugger.objects import AddressSpace, LoadedObject, Rendezvous
from deet.debugger.settings import Settings
from deet.debugger.signals import SignalTable, signal_name
from deet.debugger.sources import SourceFiles
from deet.debugger.symbolize import Place, frames_of, place_of, tail_call_frames
from deet.debugger.unwind import FrameAccess, FrameState, unwind
from deet.debugger.values import Value, to_float, to_int
from deet.debuginfo import CodeLocation, DebugInfo, DebugInfoError, SourceLocation
from deet.debuginfo.cfi import UnwindRow
from deet.debuginfo.types import is_float
from deet.engine import (
    AT_BASE,
    AT_ENTRY,
    CpuPin,
    EngineError,
    ForkPolicy,
    Inferior,
    LaunchError,
    MemoryAccessError,
    OutputCapture,
    StopEvent,
    StopKind,
    reap_orphan,
    reap_released,
)
from deet.results import (
    Backtrace,
    BreakpointSet,
    Exited,
    Frame,
    InferiorKilled,
    Message,
    ProgramOutput,
    Result,
    SharedLibraries,
    SharedLibrary,
    Signaled,
    SourceLine,
    Stopped,
    ThreadTag,
    TimedOut,
)

Listener = Callable[[Result], None]

# Where the kernel maps a PIE when ASLR is off (x86-64 ELF_ET_DYN_BASE); used only to
# accept a raw ``*ADDR`` on a PIE before it runs, since gdb's ``*ADDR`` is a live address.
PIE_BASE_NO_ASLR = 0x555555554000

# How long ``shutdown`` lets a process deet let go of (the parent, after following a
# fork's child) finish on its own before killing it: deet must not leave it behind.
RELEASED_GRACE_SECONDS = 2.0


class DebuggerError(Exception):
    """A request that cannot be carried out; ``str()`` is one line for the user."""


@dataclass
class Held:
    """An inferior that is not the current one, with what belongs to its process."""

    number: int
    inferior: Inferior
    target: DebugInfo
    space: AddressSpace | None
    rendezvous: Rendezvous | None
    installed: dict[int, set[int]] = field(default_factory=dict)


class Debugger:
    def __init__(self, program: str, listener: Listener | None = None, *,
                 capture_output: bool = False) -> None:
        """``capture_output``: the program's stdout and stderr reach the listener as
        ``ProgramOutput`` results instead of going to deet's own stdout and stderr."""
        self.program = program
        self.target = DebugInfo(program)
        self.program_info = self.target
        self.breakpoints = BreakpointTable()
        self.inferior: Inferior | None = None
        self.space: AddressSpace | None = None
        self.default_args: list[str] = []
        self.timeout: float | None = None
        self.sources = SourceFiles()
        self.settings = Settings()
        self._cpu_pin = CpuPin()
        self.signals = SignalTable()
        self.fork_policy = ForkPolicy()
        self.held: list[Held] = []
        self.inferior_number = 1
        self._next_inferior = 2
        # Processes deet let go of that are its own children: reaped, never left behind.
        self._released: list[int] = []
        self._launched: int | None = None
        # The thread the user last saw stopped (gdb announces a switch away from it).
        self.last_thread: int | None = None
        self.listener: Listener = listener or (lambda _result: None)
        self._pending_signal = 0
        self.rendezvous: Rendezvous | None = None
        self._libraries: dict[str, DebugInfo] = {}
        self._capture = OutputCapture(self._output) if capture_output else None
        # gdb's value history ($1, $2, ...) and the frame ``frame``/``up``/``down`` chose;
        # every stop selects frame 0 again.
        self.history: list[Value] = []
        self.selected_frame = 0

    def _output(self, stream: str, text: str) -> None:
        self.listener(ProgramOutput(stream, text))

    # -- the program's life ----------------------------------------------------------------

    @property
    def alive(self) -> bool:
        return self.inferior is not None and self.inferior.alive

    @property
    def load_bias(self) -> int:
        return self.space.program.bias if self.space is not None else 0

    def run(self, args: list[str] | None = None) -> Result:
        """Start the program afresh (killing live ones first) and run to its first stop."""
        self.kill()
        if args:
            self.default_args = list(args)
        if self.target is not self.program_info:
            # An exec changed the program; ``run`` starts the one deet was given.
            self.target.close()
            self.target = self.program_info
            forks.rebind_breakpoints(self)
        self._cpu_pin.apply(self.settings.get("single-cpu") == "on")
        try:
            inferior = Inferior.launch(self.program, self.default_args, capture=self._capture)
        except (LaunchError, EngineError) as exc:
            raise DebuggerError(str(exc)) from exc
        self.adopt(inferior)
        self._launched = inferior.pid
        self.inferior_number, self._next_inferior = 1, 2
        self.last_thread = inferior.pid
        self._pending_signal = 0
        self.start_address_space(inferior)
        for breakpoint_ in self.breakpoints:
            breakpoint_.forget_library_locations(self.space.program.path)
            self.install(breakpoint_, warn=True)
        return self._resume(lambda timeout: inferior.cont(timeout=timeout))

    def adopt(self, inferior: Inferior) -> None:
        """Make ``inferior`` current."""
        self.listen_to(inferior)
        self.inferior = inferior

    def listen_to(self, inferior: Inferior) -> None:
        """Put ``inferior`` under the user's fork and signal settings, and hear its news."""
        inferior.policy = self.fork_policy
        inferior.silent_signals = self.signals.silent()
        inferior.on_released = lambda pid, vfork: self.listener(Message(
            f"[Detaching after {'vfork' if vfork else 'fork'} from child process {pid}]"))
        inferior.on_kept = lambda child: forks.keep(self, child)

    def new_inferior_number(self) -> int:
        """gdb's numbering: 1 for the program ``run`` starts, then one up per process."""
        number, self._next_inferior = self._next_inferior, self._next_inferior + 1
        return number

    def settings_changed(self) -> None:
        """Carry ``set``/``handle`` changes to the engine's side of them."""
        self.fork_policy.follow_child = self.settings.get("follow-fork-mode") == "child"
        self.fork_policy.detach = self.settings.get("detach-on-fork") == "on"
        silent = self.signals.silent()
        for inferior in self.inferiors():
            inferior.silent_signals = silent

    def inferiors(self) -> list[Inferior]:
        """Every live process deet holds, the current one first."""
        current = [self.inferior] if self.alive and self.inferior is not None else []
        return current + [held.inferior for held in self.held if held.inferior.alive]

    def cont(self) -> Result:
        inferior = self.require_stopped()
        signum = self.take_pending_signal()
        return self._resume(lambda timeout: inferior.cont(signum, timeout=timeout))

    def take_pending_signal(self) -> int:
        """The signal the program stopped with, for the next resume to deliver (once)."""
        signum, self._pending_signal = self._pending_signal, 0
        return signum

    def kill(self, *, announce: bool = True) -> InferiorKilled | None:
        """Kill and reap every live process (telling the listener about the current one,
        when ``announce``); the event, or None when nothing was running."""
        killed = None
        if self.alive:
            assert self.inferior is not None
            killed = InferiorKilled(self.inferior.pid)
            self.inferior.kill()
            if announce:
                self.listener(killed)
        for held in self.held:
            held.inferior.kill()
        for held in self.held:
            reap_orphan(held.inferior.pid)
        self.held.clear()
        self._forget_inferior()
        return killed

    def shutdown(self) -> None:
        """Leave nothing behind: called on every way out of deet."""
        self.kill(announce=False)
        self._reap_released(RELEASED_GRACE_SECONDS)
        if self._capture is not None:
            self._capture.close()
            self._capture = None
        self.target.close()
        if self.program_info is not self.target:
            self.program_info.close()
        for info in self._libraries.values():
            info.close()

    def release(self, pid: int) -> None:
        """deet let go of process ``pid``; if it is deet's own child, reap it later."""
        if pid == self._launched:
            self._released.append(pid)

    def _reap_released(self, grace: float = 0.0) -> None:
        """Collect processes deet let go of that have ended; with ``grace`` (on the way
        out), wait that long for the rest, passing their output on, then kill them."""
        if self._released:
            self._released = reap_released(self._released, grace, self._capture)

    def _forget_inferior(self) -> None:
        self.inferior = None
        self.space = None
        self.rendezvous = None
        self.selected_frame = 0
        self.breakpoints.forget_installed()

    def require_stopped(self) -> Inferior:
        if not self.alive:
            raise DebuggerError("The program is not being run.")
        assert self.inferior is not None
        return self.inferior

    def start_address_space(self, inferior: Inferior) -> None:
        """At the exec stop: where the program and its loader are, and a watch on the loader."""
        auxv = inferior.auxv()
        bias = 0
        if self.target.is_pie and AT_ENTRY in auxv:
            bias = auxv[AT_ENTRY] - self.target.entry
        program = LoadedObject(str(self.target.path), bias, self.target, is_program=True)
        self.space = AddressSpace(program, self._libraries)
        interpreter = self.target.interpreter
        self.rendezvous = None
        if interpreter and auxv.get(AT_BASE):
            self.rendezvous = self.space.add_loader(interpreter, auxv[AT_BASE])
        if self.rendezvous is not None:
            try:
                inferior.sites.add(self.rendezvous.breakpoint)
            except MemoryAccessError:
                self.rendezvous = None

    def _resume(self, go: Callable[[float | None], StopEvent]) -> Result:
        """Run until a stop the user must see. Passed over on the way: the loader's
        notifications, forks and execs (announced), signals ``handle`` says not to stop
        for, and breakpoints whose condition is false (or sites only deet's own stepping
        uses). A time limit covers the whole run, however many such stops."""
        deadline = time.monotonic() + self.timeout if self.timeout is not None else None
        while True:
            remaining = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            try:
                event = go(remaining)
            except EngineError as exc:
                raise DebuggerError(str(exc)) from exc
            go = self._continue_quietly
            if self._passes_over(event):
                continue
            if (event.kind is not StopKind.BREAKPOINT or self.inferior is None
                    or self.breakpoint_stops_at(event.pc or 0)):
                return self._report(event)

    def _passes_over(self, event: StopEvent) -> bool:
        """Handle an event the user hears of (if at all) as a note, not as a stop."""
        if self._is_loader_notification(event):
            self._on_loader_notification()
        elif event.kind is StopKind.FORKED:
            forks.follow_child(self, event)
        elif event.kind is StopKind.EXECED:
            forks.on_exec(self)
        elif event.kind is StopKind.SIGNAL and not (
                disposition := self.signals[event.signal or 0]).stop:
            if disposition.print:
                self.listener(Message(
                    f"Program received signal {disposition.name}, {disposition.description}."
                ))
            self._pending_signal = (event.signal or 0) if disposition.pass_ else 0
        else:
            return False
        return True

    def _continue_quietly(self, timeout: float | None) -> StopEvent:
        assert self.inferior is not None
        return self.inferior.cont(self.take_pending_signal(), timeout=timeout)

    def _is_loader_notification(self, event: StopEvent) -> bool:
        return (
            event.kind is StopKind.BREAKPOINT
            and self.rendezvous is not None
            and event.pc == self.rendezvous.breakpoint
            and self.breakpoints.at(event.pc) is None
        )

    def _on_loader_notification(self) -> None:
        assert self.space is not None and self.rendezvous is not None
        added = self.space.refresh(self.rendezvous, self._read_word, self._read_string)
        if not added:
            return
        for breakpoint_ in self.breakpoints:
            if isinstance(breakpoint_.spec, FunctionSpec):
                for obj in added:
                    code = self._function_code(obj.info, breakpoint_.spec.name)
                    if code:
                        breakpoint_.code[obj.path] = code
            self.install(breakpoint_, warn=True)

    def breakpoint_stops_at(self, pc: int) -> bool:
        """Whether the user's breakpoints at ``pc`` stop the program (an enabled one whose
        condition holds, or fails to evaluate, as in gdb); each that stops counts a hit."""
        stopping = [b for b in self.breakpoints.all_at(pc) if self._condition_holds(b)]
        for breakpoint_ in stopping:
            breakpoint_.hits += 1
        return bool(stopping)

    def _condition_holds(self, breakpoint_: Breakpoint) -> bool:
        if breakpoint_.condition is None:
            return True
        try:
            value = evaluate(breakpoint_.condition, self.frame_context(0))
            return to_int(value) != 0 if not is_float(value.type) else to_float(value) != 0
        except (EvalError, DebuggerError) as exc:
            self.listener(Message(
                f"Error in testing condition for breakpoint {breakpoint_.number}:\n{exc}"
            ))
            return True

    def report_stop(self, event: StopEvent) -> Result:
        """The result for an event a stepping command ended with; a fork, exec or quiet
        signal that ended it is handled as ``continue`` would, and the program goes on."""
        if self._passes_over(event):
            return self._resume(self._continue_quietly)
        return self._report(event)

    def _report(self, event: StopEvent) -> Result:
        self._reap_released()
        if event.kind in (StopKind.EXITED, StopKind.KILLED):
            self._forget_inferior()
            result: Result = (Exited(event.status or 0) if event.kind is StopKind.EXITED
                              else Signaled(signal_name(event.signal or 0)))
            if self.held:
                self.listener(result)
                return forks.switch_to_held(self, self.held[0])
            return result
        if event.kind is StopKind.TIMEOUT:
            assert self.inferior is not None
            pid = self.inferior.pid
            self.kill(announce=False)
            return TimedOut(self.timeout or 0.0, pid)
        assert event.pc is not None and event.signal is not None
        self.selected_frame = 0
        if event.kind is StopKind.SIGNAL and self.signals[event.signal].pass_:
            self._pending_signal = event.signal
        hit = self.breakpoints.at(event.pc) if event.kind is StopKind.BREAKPOINT else None
        if hit is not None and hit.temporary:
            self.delete_breakpoint(hit.number)
        place = self._place(event.pc)
        return Stopped(
            reason=event.kind,
            signal=signal_name(event.signal),
            pc=event.pc,
            function=place.function,
            location=place.location,
            breakpoint=hit.number if hit else None,
            source=self._source_line(place.location),
            **self._stopping_thread(event),
        )

    def _stopping_thread(self, event: StopEvent) -> dict:
        """The thread to name in a stop report: only when the program has several."""
        assert self.inferior is not None
        thread = self.inferior.thread
        switched = self.last_thread is not None and thread.tid != self.last_thread
        self.last_thread = thread.tid
        if len(self.inferior.threads()) < 2 and not switched:
            return {}
        return {"thread": ThreadTag(thread.number, thread.tid), "switched": switched}
    def _place(self, address: int) -> Place:
        assert self.space is not None
        return place_of(self.space, address)

    def _source_line(self, location: SourceLocation | None) -> SourceLine | None:
        if location is None:
            return None
        text = self.sources.line(location.file, location.line)
        return SourceLine(location.line, text) if text is not None else None

    def _location(self, pc: int) -> SourceLocation | None:
        return self._place(pc).location if self.space is not None else None

    # -- breakpoints -----------------------------------------------------------------------

    def add_breakpoint(self, spec: LocationSpec) -> BreakpointSet:
        code = self.resolve(spec)
        breakpoint_ = self.breakpoints.add(spec, code)
        if self.alive:
            try:
                self.install(breakpoint_, warn=False)
            except DebuggerError:
                self.breakpoints.discard(breakpoint_.number)
                raise
        addresses = breakpoint_.addresses(self.space)
        locations = [location for found in code.values() for location in found]
        location = locations[0].location if len(locations) == 1 else None
        return BreakpointSet(breakpoint_.number, tuple(addresses), location, str(spec))

    def resolve(self, spec: LocationSpec) -> dict[str, list[CodeLocation]]:
        program = str(self.target.path)
        try:
            if isinstance(spec, AddressSpec):
                return {program: [self._check_raw_address(spec.address)]}
            if isinstance(spec, FunctionSpec):
                return self._resolve_function(spec.name)
            return {program: self._resolve_line(spec)}
        except DebugInfoError as exc:
            raise DebuggerError(str(exc)) from exc

    def _resolve_function(self, name: str) -> dict[str, list[CodeLocation]]:
        """Every definition in the program and in the libraries loaded so far. A name the
        program imports from a library it has not loaded yet makes a pending breakpoint."""
        code = {}
        found = self.target.function_breakpoints(name)
        if found:
            code[str(self.target.path)] = found
        if self.space is not None:
            for obj in self.space.libraries():
                found = self._function_code(obj.info, name)
                if found:
                    code[obj.path] = found
        if not code and not self._may_be_pending(name):
            raise DebuggerError(f'Function "{name}" not defined.')
        return code

    def _may_be_pending(self, name: str) -> bool:
        mode = self.settings.get("breakpoint pending")
        if mode == "auto":
            return self.space is None and self.target.imports(name)
        return mode == "on" and self.target.interpreter is not None

    @staticmethod
    def _function_code(info: DebugInfo, name: str) -> list[CodeLocation]:
        """A library's definitions of ``name``; a damaged library is skipped."""
        try:
            return info.function_breakpoints(name, search_every_unit=False)
        except DebugInfoError:
            return []

    def _resolve_line(self, spec: LineSpec) -> list[CodeLocation]:
        file = spec.file
        if file is None and self.alive:
            file = self._current_file()
        if file is not None and not self.target.has_source_file(file):
            raise DebuggerError(f'No source file named {file}.')
        code = self.target.line_breakpoints(file, spec.line)
        if not code:
            where = f'file "{file}"' if spec.file else "the current file"
            raise DebuggerError(f"No line {spec.line} in {where}.")
        return code

    def _current_file(self) -> str | None:
        assert self.inferior is not None
        location = self._location(self.inferior.pc)
        return location.file if location else None

    def _check_raw_address(self, address: int) -> CodeLocation:
        """A raw address is accepted where the program has (or will have) code there."""
        if self.alive:
            assert self.inferior is not None
            try:
                self.inferior.read(address, 1)
            except MemoryAccessError as exc:
                raise DebuggerError(f"Cannot set breakpoint: {exc}") from exc
            link = address - self.load_bias
        else:
            link = address - (PIE_BASE_NO_ASLR if self.target.is_pie else 0)
            if not self.target.read_code(link, 1):
                raise DebuggerError(f"Cannot set breakpoint: no code at address {address:#x}")
        function = self.target.function_at(link)
        location = self._location(address) if self.alive else self.target.location_for(link)
        return CodeLocation(link, function.name if function else None, location)

    def delete_breakpoint(self, number: int) -> None:
        breakpoint_ = self._breakpoint(number)
        self._uninstall(breakpoint_)
        self.breakpoints.discard(number)

    def enable_breakpoint(self, number: int, enabled: bool) -> None:
        breakpoint_ = self._breakpoint(number)
        breakpoint_.enabled = enabled
        if not self.alive:
            return
        if enabled:
            self.install(breakpoint_, warn=True)
        else:
            self._uninstall(breakpoint_)

    def _breakpoint(self, number: int) -> Breakpoint:
        breakpoint_ = self.breakpoints.get(number)
        if breakpoint_ is None:
            raise DebuggerError(f"No breakpoint number {number}.")
        return breakpoint_

    def _uninstall(self, breakpoint_: Breakpoint) -> None:
        if self.alive:
            assert self.inferior is not None
            for address in breakpoint_.installed:
                self.inferior.sites.remove(address)
        breakpoint_.installed.clear()

    def install(self, breakpoint_: Breakpoint, *, warn: bool) -> None:
        """Put the breakpoint's int3s into the live program. With ``warn``, an address that
        cannot be written is reported and skipped; otherwise it is an error."""
        assert self.inferior is not None
        if not breakpoint_.enabled:
            return
        for address in breakpoint_.addresses(self.space):
            if address in breakpoint_.installed:
                continue
            try:
                self.inferior.sites.add(address)
            except MemoryAccessError as exc:
                message = f"Cannot insert breakpoint {breakpoint_.number}: {exc}"
                if not warn:
                    raise DebuggerError(message) from exc
                self.listener(Message(message))
                continue
            breakpoint_.installed.add(address)

    # -- the stack -------------------------------------------------------------------------

    def frames(self) -> list[FrameState]:
        """The stack, innermost first, ending at ``main`` (or where unwinding gives up)."""
        inferior = self.require_stopped()
        frames = []
        for frame in unwind(inferior.registers.as_dict(), inferior.read, self._unwind_row):
            frames.append(frame)
            if not frame.signal_trampoline and self._place(frame.lookup_pc).names[-1] == "main":
                break
        return frames

    def innermost_frame(self) -> FrameState:
        """Frame 0 alone, without walking the rest of the stack (what stepping compares)."""
        inferior = self.require_stopped()
        return next(unwind(inferior.registers.as_dict(), inferior.read, self._unwind_row))

    def _unwind_row(self, address: int) -> UnwindRow | None:
        assert self.space is not None
        obj = self.space.object_at(address)
        if obj is None:
            return None
        try:
            return obj.info.unwind_row(address - obj.bias)
        except DebugInfoError:
            return None

    def frame_context(self, level: int) -> FrameContext:
        """Variables, registers and memory as seen from frame ``level``."""
        inferior = self.require_stopped()
        states = self.frames()
        if not 0 <= level < len(states):
            raise DebuggerError(f"No frame at level {level}.")
        state = states[level]
        registers = inferior.registers.as_dict() if level == 0 else state.registers
        access = FrameAccess(registers, state.cfa, inferior.read)
        return self._context(access, self.lookup_pc(state, level == 0))

    def static_context(self) -> FrameContext:
        """Before the program runs: globals as the executable file holds them (gdb reads
        them from the file too), seen from ``main``'s file; no registers, no frames."""
        mains = self.target.symbols.named("main")
        near = mains[0].address if mains else self.target.entry
        return self._context(FrameAccess({}, None, self._read_file), near, in_frame=False)

    def _read_file(self, address: int, size: int) -> bytes:
        data = self.target.read_image(address, size)
        if len(data) < size:
            raise MemoryAccessError(f"Cannot access memory at address {address + len(data):#x}")
        return data

    def _context(self, access: FrameAccess, lookup: int, in_frame: bool = True) -> FrameContext:
        bias = self.load_bias if in_frame else 0
        try:
            return FrameContext(self.target, access, lookup, bias, self.history,
                                in_frame=in_frame)
        except DebugInfoError as exc:
            raise DebuggerError(str(exc)) from exc

    def lookup_pc(self, frame: FrameState, innermost: bool) -> int:
        """The link-time address in the program that names a frame's function and line: a
        caller's line is the line of its call, so look up the byte before the return
        address (unless a signal interrupted the caller: then its pc is exact)."""
        exact = innermost or frame.exact_pc
        return frame.pc - self.load_bias - (0 if exact else 1)

    def backtrace(self) -> Backtrace:
        frames = self.frames()
        space = self.space
        assert space is not None
        lines = []
        # A recursion repeats the same (return address, callee pc) pair in every frame.
        tail_calls: dict[tuple[int, int], list[Frame]] = {}
        for index, frame in enumerate(frames):
            lines += frames_of(space, frame)
            if index + 1 < len(frames):
                caller = frames[index + 1]
                key = (caller.pc, frame.lookup_pc)
                if key not in tail_calls:
                    tail_calls[key] = self._tail_call_frames(frame, caller)
                lines += tail_calls[key]
        return Backtrace(tuple(lines))

    def _tail_call_frames(self, callee: FrameState, caller: FrameState) -> list[Frame]:
        assert self.space is not None
        try:
            return tail_call_frames(self.space, callee, caller)
        except DebugInfoError:
            return []

    def shared_libraries(self) -> SharedLibraries:
        if self.space is None:
            return SharedLibraries(())
        libraries = []
        for obj in self.space.libraries():
            text = obj.info.text_range
            low, high = (text[0] + obj.bias, text[1] + obj.bias) if text else (None, None)
            libraries.append(SharedLibrary(obj.path, low, high, obj.info.has_debug_info))
        return SharedLibraries(tuple(libraries))

    def _read_word(self, address: int) -> int | None:
        assert self.inferior is not None
        try:
            return self.inferior.memory.read_word(address)
        except MemoryAccessError:
            return None

    def _read_string(self, address: int, limit: int = 4096) -> str | None:
        """A NUL-terminated string of the program's, read a chunk at a time."""
        assert self.inferior is not None
        data = b""
        while len(data) < limit:
            try:
                chunk = self.inferior.memory.read(address + len(data), 64)
            except MemoryAccessError:
                return None
            end = chunk.find(b"\0")
            if end >= 0:
                return (data + chunk[:end]).decode(errors="replace")
            data += chunk
        return None
