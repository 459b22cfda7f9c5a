"""One thread's stack at one stop: unwound once, as far as it is asked for, and kept until
the program runs again (the process drops it on resume).

Frames are found lazily: stepping compares only frame 0 (its CFA), so a step never walks
the whole stack, while ``bt``, ``up`` and ``frame N`` share one walk that ends at
``main`` (or where unwinding gives up). The stack also holds the frame the user selected
(``frame``/``up``/``down``) and each frame's view for expressions, built once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from deet.debugger.errors import DebuggerError
from deet.debugger.frames import FrameContext
from deet.debugger.symbolize import frames_of, tail_call_frames
from deet.debugger.unwind import FrameAccess, FrameState, unwind
from deet.debugger.values import Value
from deet.debuginfo import DebugInfoError
from deet.results import Backtrace, Frame, FrameLine

if TYPE_CHECKING:
    from deet.debugger.process import Process


class Stack:
    def __init__(self, process: Process) -> None:
        self._process = process
        inferior = process.inferior
        self._walk = unwind(inferior.registers.as_dict(), inferior.read, process.unwind_row)
        self._frames: list[FrameState] = []
        self._complete = False
        self._contexts: dict[int, FrameContext] = {}
        self.selected = 0

    # -- frames ----------------------------------------------------------------------------

    def frame(self, level: int) -> FrameState | None:
        """Frame ``level`` (0 is innermost), or None when the stack is not that deep."""
        while level >= len(self._frames) and self._grow():
            pass
        return self._frames[level] if 0 <= level < len(self._frames) else None

    @property
    def innermost(self) -> FrameState:
        frame = self.frame(0)
        assert frame is not None  # the unwinder always yields the live registers' frame
        return frame

    @property
    def frames(self) -> Sequence[FrameState]:
        """Every frame, innermost first, ending at ``main``."""
        while self._grow():
            pass
        return self._frames

    def _grow(self) -> bool:
        """Unwind one more frame; False once the walk is over. The walk stops after
        ``main``, which is only checked before going beyond a frame, so a stack asked for
        frame 0 alone never names it."""
        if self._complete:
            return False
        if self._frames and self._is_main(self._frames[-1]):
            self._complete = True
            return False
        frame = next(self._walk, None)
        if frame is None:
            self._complete = True
            return False
        self._frames.append(frame)
        return True

    def _is_main(self, frame: FrameState) -> bool:
        return (not frame.signal_trampoline
                and self._process.place(frame.lookup_pc).names[-1] == "main")

    # -- the selected frame ----------------------------------------------------------------

    def select(self, level: int) -> None:
        if self.frame(level) is None:
            raise DebuggerError(f"No frame at level {level}.")
        self.selected = level

    @property
    def current(self) -> FrameState:
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
        return self._process.program_address(frame.lookup_pc)

    def context(self, level: int, history: list[Value]) -> FrameContext:
        """Variables, registers and memory as seen from frame ``level``."""
        context = self._contexts.get(level)
        if context is not None:
            return context
        state = self.frame(level)
        if state is None:
            raise DebuggerError(f"No frame at level {level}.")
        process = self._process
        access = FrameAccess(state.registers, state.cfa, process.inferior.read)
        try:
            context = FrameContext(process.target, access, self.program_pc(level),
                                   process.load_bias, history)
        except DebugInfoError as exc:
            raise DebuggerError(str(exc)) from exc
        self._contexts[level] = context
        return context

    def line(self, level: int, history: list[Value]) -> FrameLine:
        """Frame ``level`` as gdb describes it: pc, function, arguments, file and line. A
        frame in a library is named by the library's symbols and lines."""
        state = self.frame(level)
        if state is None:
            raise DebuggerError(f"No frame at level {level}.")
        context = self.context(level, history)
        process = self._process
        place = process.place(state.lookup_pc)
        scope = context.scope
        args = tuple((name, context.shown(value)) for name, value in context.arguments())
        name = (scope.function.name if scope is not None else None) or place.function
        location = place.location
        show_address = level > 0 or location is None or not process.at_line_start(state.pc)
        found = process.lookup(state.pc)
        library = None if found is not None and found[0].is_program else (
            process.mapped_file(state.pc))
        return FrameLine(level, state.pc, name, args, location, show_address, library)

    # -- the backtrace ---------------------------------------------------------------------

    def backtrace(self) -> Backtrace:
        frames = self.frames
        space = self._process.space
        lines: list[Frame] = []
        # A recursion repeats the same (return address, callee pc) pair in every frame.
        tail_calls: dict[tuple[int, int], list[Frame]] = {}
        for index, frame in enumerate(frames):
            lines += frames_of(space, frame)
            if index + 1 < len(frames):
                caller = frames[index + 1]
                key = (caller.pc, frame.lookup_pc)
                if key not in tail_calls:
                    try:
                        tail_calls[key] = tail_call_frames(space, frame, caller)
                    except DebugInfoError:
                        tail_calls[key] = []
                lines += tail_calls[key]
        return Backtrace(tuple(lines))
