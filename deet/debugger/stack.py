"""One thread's stack at one stop: unwound once, as far as it is asked for, and kept until
the program runs again (the process drops it on resume).

Frames are what gdb counts as frames: each physical frame the unwinder finds, and each
call inlined in it, innermost first (``StackFrame``). They are found lazily: stepping
compares only physical frame 0 (its CFA), so a step never walks the whole stack, while
``bt``, ``up`` and ``frame N`` share one walk that ends at ``main``. The stack also holds
the frame the user selected and each frame's view for expressions, built once.

gdb's rule for a stop at the first instruction of inlined code: the inlined calls that
begin exactly at the pc are not shown (``hidden``): the program is, as the user sees it,
at the call, in the caller. ``step`` goes into such a call by showing one more, and a
stop at a user's breakpoint on the inlined function itself shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from deet.debugger.errors import DebuggerError
from deet.debugger.frames import Argument, FrameContext
from deet.debugger.symbolize import Place, frames_of, tail_call_frames
from deet.debugger.unwind import FrameAccess, FrameState, unwind
from deet.debugger.values import Value
from deet.debuginfo import DebugInfoError, SourceLocation
from deet.debuginfo.expressions import (
    ExpressionError,
    Implicit,
    InMemory,
    InRegister,
    Ops,
    locate,
)
from deet.debuginfo.scopes import Function
from deet.engine import EngineError
from deet.results import Backtrace, Frame, FrameArg, FrameLine

if TYPE_CHECKING:
    from deet.debugger.objects import LoadedObject
    from deet.debugger.process import Process
    from deet.debuginfo.scopes import CallSite, Function

@dataclass(frozen=True)
class _Call:
    """A described call and the frame that made it (``link``: its return address)."""

    site: CallSite
    function: Function
    link: int
    access: FrameAccess


_TRAMPOLINE = Place((None,), (None,), None)


@dataclass(frozen=True)
class StackFrame:
    """One frame as gdb counts them: a physical frame (``state``), or a call inlined in
    it. ``depth`` is its place among the frames at that pc (``place``), innermost first:
    the out-of-line function is the last; a frame with depth above 0 is at the site of
    the call inlined inside it."""

    state: FrameState
    place: Place
    depth: int
    physical: int

    @property
    def pc(self) -> int:
        return self.state.pc

    @property
    def name(self) -> str | None:
        return self.place.names[self.depth]

    @property
    def location(self) -> SourceLocation | None:
        return self.place.locations[self.depth]

    @property
    def inlined(self) -> bool:
        """The frame of an inlined call (not the out-of-line function)."""
        return self.depth < len(self.place.names) - 1

    @property
    def entry(self) -> int | None:
        """Where the inlined call's code begins (None for a function's own frame)."""
        return self.place.entries[self.depth]

    @property
    def key(self) -> tuple[int | None, int | None, int]:
        """What tells this frame from any other at another stop (gdb's frame id): its
        physical frame's CFA, and which of the frames there it is, counted from the
        out-of-line function."""
        return self.state.cfa, self.entry, len(self.place.names) - self.depth


class Stack:
    def __init__(self, process: Process) -> None:
        self._process = process
        inferior = process.inferior
        self._walk = unwind(inferior.registers.as_dict(), inferior.read, process.unwind_row)
        self._physical: list[FrameState] = []
        self._places: list[Place] = []
        self._complete = False
        self._hidden: int | None = None
        self._frames: list[StackFrame] = []
        self._contexts: dict[int, FrameContext] = {}
        self._fp_area: bytes | None = None
        self.selected = 0

    # -- physical frames -------------------------------------------------------------------

    @property
    def innermost(self) -> FrameState:
        """Physical frame 0, from the live registers; the unwinder always yields it."""
        self._physical_frame(0)
        return self._physical[0]

    def physical(self, index: int) -> FrameState | None:
        """Physical frame ``index`` (what the unwinder found), or None past the end."""
        return self._physical[index] if self._physical_frame(index) else None

    def _physical_frame(self, index: int) -> bool:
        while index >= len(self._physical) and self._grow():
            pass
        return index < len(self._physical)

    def _grow(self) -> bool:
        """Unwind one more physical frame; False once the walk is over. The walk stops
        after ``main``, which is only checked before going beyond a frame, so a stack
        asked for physical frame 0 alone never names it."""
        if self._complete:
            return False
        if self._physical and self._is_main(len(self._physical) - 1):
            self._complete = True
            return False
        frame = next(self._walk, None)
        if frame is None:
            self._complete = True
            return False
        self._physical.append(frame)
        return True

    def _place(self, index: int) -> Place:
        while len(self._places) <= index:
            frame = self._physical[len(self._places)]
            self._places.append(_TRAMPOLINE if frame.signal_trampoline
                                else self._process.place(frame.lookup_pc))
        return self._places[index]

    def _is_main(self, index: int) -> bool:
        return (not self._physical[index].signal_trampoline
                and self._place(index).names[-1] == "main")

    # -- frames as gdb counts them ---------------------------------------------------------

    @property
    def hidden(self) -> int:
        """How many inlined calls entered at the pc are not shown."""
        if self._hidden is None:
            place = self._place(0) if self._physical_frame(0) else _TRAMPOLINE
            hidden = 0
            while hidden < len(place.names) - 1 and place.starts[hidden]:
                hidden += 1
            self._hidden = hidden
        return self._hidden

    def hidden_names(self) -> tuple[str | None, ...]:
        """The inlined functions whose calls start at the pc and are not shown, innermost
        first."""
        return self._place(0).names[: self.hidden] if self.hidden else ()

    def show_inlined(self, hidden: int) -> None:
        """Show inlined calls at the pc down to the ``hidden`` innermost ones (``step``
        into one; a breakpoint on the inlined function itself); frame 0 is selected."""
        if hidden != self.hidden:
            self._hidden = hidden
            self._frames = []
            self._contexts = {}
            self.selected = 0

    def frame(self, level: int) -> StackFrame | None:
        """Frame ``level`` (0 is innermost), or None when the stack is not that deep."""
        if level < 0:
            return None
        while level >= len(self._frames):
            index = self._frames[-1].physical + 1 if self._frames else 0
            if not self._physical_frame(index):
                return None
            place = self._place(index)
            first = self.hidden if index == 0 else 0
            self._frames += [StackFrame(self._physical[index], place, depth, index)
                             for depth in range(first, len(place.names))]
        return self._frames[level]

    @property
    def frames(self) -> Sequence[StackFrame]:
        """Every frame, innermost first, ending at ``main``."""
        level = len(self._frames)
        while self.frame(level) is not None:
            level += 1
        return self._frames

    def counted_out(self, count: int) -> int:
        """The level ``count`` frames out from the selected one (in, for a negative
        count), or the end of the stack it meets first. Only the frames passed are
        named: naming one reads its function's DIEs, and ``up`` through all 14 frames of
        a CPython stack took 40 ms where gdb unwinds one."""
        level, step = self.selected, 1 if count > 0 else -1
        for _ in range(abs(count)):
            if self.frame(level + step) is None:
                break
            level += step
        return level

    def select(self, level: int) -> None:
        if self.frame(level) is None:
            raise DebuggerError(f"No frame at level {level}.")
        self.selected = level

    @property
    def current(self) -> StackFrame:
        """The selected frame."""
        frame = self.frame(self.selected)
        assert frame is not None  # only a frame that exists is ever selected
        return frame

    def program_pc(self, level: int | None = None) -> int:
        """The address in the program's debug info that names frame ``level``'s function
        and line (the selected frame's by default): a caller's is the byte before its
        return address, so that it is the line of the call."""
        frame = self.current if level is None else self.frame(level)
        if frame is None:
            raise DebuggerError(f"No frame at level {level}.")
        return self._process.program_address(frame.state.lookup_pc)

    # -- what a frame sees -----------------------------------------------------------------

    def context(self, level: int, history: list[Value]) -> FrameContext:
        """Variables, registers and memory as seen from frame ``level``: an inlined
        call's frame sees its own parameters and locals, a frame in a library with debug
        info the library's (and the program's globals)."""
        context = self._contexts.get(level)
        if context is not None:
            return context
        frame = self.frame(level)
        if frame is None:
            raise DebuggerError(f"No frame at level {level}.")
        process = self._process
        state = frame.state
        found = process.lookup(state.lookup_pc)
        if found is not None and found[0].info.has_debug_info and not found[0].is_program:
            info, bias = found[0].info, found[0].bias
            elsewhere = self._program_view(history)
        else:
            info, bias, elsewhere = process.target, process.load_bias, None
        access = FrameAccess(state.registers, state.cfa, process.inferior.read, bias,
                             entry=self._entry(frame.physical), vectors=self._vectors)
        lookup = state.lookup_pc - bias
        try:
            scopes = info.scopes_at(lookup)
        except DebugInfoError as exc:
            raise DebuggerError(str(exc)) from exc
        scope = scopes[min(frame.depth, len(scopes) - 1)] if scopes else None
        context = FrameContext(info, access, lookup, bias, history, scope=scope,
                               symbolize=process.symbolic, elsewhere=elsewhere)
        context.running = lambda function: self._running(function, level, history)
        self._contexts[level] = context
        return context

    def _running(self, function: Function, start: int,
                 history: list[Value]) -> FrameContext | None:
        """The innermost frame from ``start`` out that runs ``function`` (gdb's
        ``FUNC::var`` for a local: the function's frame nearest the selected one)."""
        level = start
        while self.frame(level) is not None:
            context = self.context(level, history)
            if context.scope is not None and context.scope.function is function:
                return context
            level += 1
        return None

    def _program_view(self, history: list[Value]) -> FrameContext:
        """The program's globals and functions, for frames in libraries."""
        process = self._process
        access = FrameAccess({}, None, process.inferior.read, process.load_bias)
        return FrameContext(process.target, access, process.program_address(self.innermost.pc),
                            process.load_bias, history, symbolize=process.symbolic)

    def _vectors(self) -> bytes:
        """The thread's floating-point and vector registers, read once per stop."""
        if self._fp_area is None:
            try:
                self._fp_area = self._process.inferior.fp_area()
            except EngineError as exc:
                raise ExpressionError(str(exc)) from exc
        return self._fp_area

    def _entry(self, physical: int) -> Callable[[Ops], int]:
        return lambda ops: self._entry_value(physical, ops)

    def _entry_value(self, physical: int, ops: Ops) -> int:
        """DW_OP_entry_value in physical frame ``physical``: what its caller passed in
        the register ``ops`` names, from the call site the caller's debug info describes
        at the return address (``DW_AT_call_value``, evaluated in the caller's frame)."""
        callee, caller = self.physical(physical), self.physical(physical + 1)
        if callee is None or caller is None or caller.exact_pc:
            raise ExpressionError("no caller to take the entry value from")
        process = self._process
        found = process.lookup(caller.pc)
        if found is None:
            raise ExpressionError("no debug info for the caller")
        obj, link = found
        try:
            described = obj.info.call_site(link)
            callee_found = process.lookup(callee.lookup_pc)
            function = (callee_found[0].info.function_die_at(callee_found[1])
                        if callee_found is not None else None)
        except DebugInfoError as exc:
            raise ExpressionError(str(exc)) from exc
        if described is None:
            raise ExpressionError("the caller's call site is not described")
        if function is None or callee_found is None:
            raise ExpressionError("no debug info for this function")
        access = FrameAccess(caller.registers, caller.cfa, process.inferior.read, obj.bias,
                             entry=self._entry(physical + 1), vectors=self._vectors)
        entry = function.entry + callee_found[0].bias
        site, caller_function = described
        # gdb takes an entry value only from a call site known to call this function.
        if self._called(site, obj, access, link, caller_function) == entry:
            return self._passed(site, caller_function, link, ops, access)
        # The caller's call reached this function through tail calls: each tail call is a
        # frame of gdb's with the caller's registers and the callee's CFA (a tail call
        # jumps after its epilogue), whose entry values are what the call outside it
        # passed. Walk them outermost first; each call must reach the next function.
        chain = obj.info.tail_calls(link, entry - obj.bias) if callee_found[0] is obj else []
        if not chain:
            raise ExpressionError("the call site does not call this function")
        outer = _Call(site, caller_function, link, access)
        for tail_link in reversed(chain):
            tail = obj.info.call_site(tail_link)
            if tail is None:
                raise ExpressionError("a tail call's site is not described")
            tail_site, tail_function = tail
            if self._reached(outer, obj) != tail_function.entry + obj.bias:
                raise ExpressionError("the call site does not call this function")
            tail_access = FrameAccess(caller.registers, callee.cfa, process.inferior.read,
                                      obj.bias, entry=self._passing(outer),
                                      vectors=self._vectors)
            outer = _Call(tail_site, tail_function, tail_link, tail_access)
        if self._reached(outer, obj) != entry:
            raise ExpressionError("the call site does not call this function")
        return self._passed(outer.site, outer.function, outer.link, ops, outer.access)

    def _reached(self, call: _Call, obj: LoadedObject) -> int | None:
        return self._called(call.site, obj, call.access, call.link, call.function)

    def _passing(self, call: _Call) -> Callable[[Ops], int]:
        """Entry values of the function ``call`` reached: what that call passed."""
        return lambda ops: self._passed(call.site, call.function, call.link, ops,
                                        call.access)

    @staticmethod
    def _passed(site: CallSite, caller: Function, link: int, ops: Ops,
                access: FrameAccess) -> int:
        """What ``site`` passed in the register ``ops`` names, computed in the frame
        that made the call (``link``: the call's return address there)."""
        passed = site.passed(ops)
        if passed is None:
            raise ExpressionError("the call site does not say what it passed")
        place = locate(passed, link, access, caller.frame_base)
        if isinstance(place, InMemory):
            return place.address
        if isinstance(place, InRegister):
            return access.register(place.register)
        if isinstance(place, Implicit):
            return int.from_bytes(place.data[:8].ljust(8, b"\0"), "little")
        raise ExpressionError("the call site's value cannot be computed")

    def _called(self, site: CallSite, obj: LoadedObject, access: FrameAccess, link: int,
                caller: Function) -> int | None:
        """The live address a described call went to: its callee's entry, the function
        it names, or what its target expression computes in the caller's frame."""
        if site.target is not None:
            return site.target + obj.bias
        if site.target_name is not None:
            for candidate in (obj, *self._process.space.objects):
                found = candidate.info.symbols.named(site.target_name)
                if found:
                    return found[0].address + candidate.bias
            return None
        if site.target_expression is None:
            return None
        place = locate(site.target_expression, link, access, caller.frame_base)
        if isinstance(place, InMemory):
            return place.address
        if isinstance(place, InRegister):
            return access.register(place.register)
        return None

    def line(self, level: int, history: list[Value]) -> FrameLine:
        """Frame ``level`` as gdb describes it: pc, function, arguments, file and line. A
        frame in a library is named by the library's symbols and lines; gdb shows the
        address of a frame only where its pc is inside a line, and never for the site of
        a call inlined there."""
        frame = self.frame(level)
        if frame is None:
            raise DebuggerError(f"No frame at level {level}.")
        context = self.context(level, history)
        process = self._process
        scope = context.scope
        args = tuple(self._argument(context, argument) for argument in context.arguments())
        name = frame.name or (scope.subprogram.name if scope is not None else None)
        location = frame.location
        if frame.depth > 0:
            show_address = False
        else:
            show_address = (frame.physical > 0 or location is None
                            or not process.at_line_start(frame.pc))
        # A library by the name the loader knows it by (gdb's: the interpreter's is
        # PT_INTERP's /lib64/..., which /proc/PID/maps resolves through a link).
        found = process.lookup(frame.pc)
        if found is None:
            library = process.mapped_file(frame.pc)
        else:
            library = None if found[0].is_program else found[0].path
        return FrameLine(level, frame.pc, name, args, location, show_address, library)

    @staticmethod
    def _argument(context: FrameContext, argument: Argument) -> FrameArg:
        """gdb's ``print entry-values default``: the value, and the entry value beside it
        when it is known, written once when the two are the same."""
        value = context.shown(argument.value)
        if argument.entry is None:
            return FrameArg(argument.name, value)
        same = (argument.value is not None and argument.value.data is not None
                and argument.value.data == argument.entry.data)
        return FrameArg(argument.name, value, context.shown(argument.entry), same)

    # -- the backtrace ---------------------------------------------------------------------

    def backtrace(self) -> Backtrace:
        return Backtrace(tuple(frame for frame, _level in self.walk()))

    def walk(self) -> list[tuple[Frame, int | None]]:
        """Every line of the backtrace with the level ``frame N`` selects it by; None for a
        frame a tail call took off the stack, which no level names."""
        while self._grow():
            pass
        physical = self._physical
        space = self._process.space
        lines: list[tuple[Frame, int | None]] = []
        level = 0
        # A recursion repeats the same (return address, callee pc) pair in every frame.
        tail_calls: dict[tuple[int, int], list[Frame]] = {}
        for index, frame in enumerate(physical):
            for line in frames_of(frame, self._place(index), self.hidden if index == 0 else 0):
                lines.append((line, level))
                level += 1
            if index + 1 < len(physical):
                caller = physical[index + 1]
                key = (caller.pc, frame.lookup_pc)
                if key not in tail_calls:
                    try:
                        tail_calls[key] = tail_call_frames(space, frame, caller)
                    except DebugInfoError:
                        tail_calls[key] = []
                lines += [(line, None) for line in tail_calls[key]]
        return lines
