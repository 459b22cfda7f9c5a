"""A C expression evaluated once to learn what it depends on: the memory it reads (what a
watchpoint watches) and whether it uses a frame's locals (where a watchpoint or a display
is valid)."""

from __future__ import annotations

from deet.debugger.cexpr import EvalError, evaluate, tokenize
from deet.debugger.errors import DebuggerError
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
        # Any variable at all: without one (``5``, ``$1``) the value cannot change.
        self.variables = False
        # Reading the program's memory failed (``*(int *)0``).
        self.memory_error = False
        self.in_registers = False

    def __getattr__(self, name: str):
        return getattr(self._context, name)

    def variable(self, name: str) -> Value:
        value = self._context.variable(name)
        self.variables = True
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
        try:
            return self._context.read(address, size)
        except EvalError:
            self.memory_error = True
            raise

    def register(self, name: str) -> Value:
        self.in_registers = True
        return self._context.register(name)

    def note(self, value: Value) -> None:
        if value.register is not None:
            self.in_registers = True
        elif value.address is not None and value.data:
            self.ranges.append((value.address, len(value.data)))


def evaluate_noting(text: str, recorder: Recorder) -> Value:
    """``text``'s value, with what it depends on noted in ``recorder``: the memory it reads,
    and the pointers and indices on the way to it (``head`` and ``head->next`` in
    ``head->next->value``: each prefix that ends before ``->``, ``.`` or ``[``, when it is
    a scalar in memory), as gdb watches every lvalue of a value chain."""
    value = evaluate(text, recorder)
    recorder.note(value)
    tokens = tokenize(text)
    for index, token in enumerate(tokens):
        if index == 0 or token.kind != "op" or token.text not in ("->", ".", "["):
            continue
        try:
            prefix = evaluate(" ".join(t.text for t in tokens[:index]), recorder)
        except (EvalError, DebuggerError):
            continue
        if strip(prefix.type).size <= MAX_SCALAR:
            recorder.note(prefix)
    return value
