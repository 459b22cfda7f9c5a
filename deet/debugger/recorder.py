"""A C expression evaluated once to learn what it depends on: the memory it reads (what a
watchpoint watches) and whether it uses a frame's locals (where a watchpoint or a display
is valid)."""

from __future__ import annotations

from deet.debugger.frames import FrameContext
from deet.debugger.values import Value
from deet.debuginfo.types import strip

# Objects bigger than a scalar are read for a part of them (``s.x``, ``a[i]``): only the
# part, which the evaluation reads or returns on its own, is noted.
MAX_SCALAR = 8


class Recorder:
    """A ``cexpr`` context that notes what an evaluation reads: scalar variables and
    memory in memory, whether any value is in a register, whether a local is used."""

    def __init__(self, context: FrameContext) -> None:
        self._context = context
        self.ranges: list[tuple[int, int]] = []
        self.local = False
        self.in_registers = False

    def __getattr__(self, name: str):
        return getattr(self._context, name)

    def variable(self, name: str) -> Value:
        value = self._context.variable(name)
        scope = self._context.scope
        if scope is not None and any(variable.name == name for block in scope.blocks
                                     for variable in block.variables):
            self.local = True
        if strip(value.type).size <= MAX_SCALAR:
            self.note(value)
        return value

    def read(self, address: int, size: int) -> bytes:
        if size <= MAX_SCALAR:
            self.ranges.append((address, size))
        return self._context.read(address, size)

    def register(self, name: str) -> Value:
        self.in_registers = True
        return self._context.register(name)

    def note(self, value: Value) -> None:
        if value.register is not None:
            self.in_registers = True
        elif value.address is not None and value.data:
            self.ranges.append((value.address, len(value.data)))
