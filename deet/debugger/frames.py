"""Looking into one frame: its function and blocks, its variables, its registers.

Everything here works from a ``FrameState`` (pc, registers, CFA) the unwinder produced,
never from %rbp directly, so a better unwinder changes nothing here. Variables are located
by their DWARF expressions against the frame (``debuginfo.expressions``) and read from the
program; a C expression is evaluated in the frame through ``FrameContext``.
"""

from __future__ import annotations

from deet.debugger.cexpr import EvalError
from deet.debugger.unwind import FrameAccess
from deet.debugger.values import Memory, Value, show
from deet.debuginfo import DebugInfo
from deet.debuginfo.expressions import (
    ExpressionError,
    Implicit,
    InMemory,
    InRegister,
    OptimizedOut,
    locate,
)
from deet.debuginfo.scopes import Scope, Variable
from deet.debuginfo.types import (
    INT,
    LONG,
    VOID,
    FunctionType,
    PointerType,
    Type,
    strip,
)
from deet.engine import MemoryAccessError
from deet.engine.registers import NAMES as REGISTER_NAMES
from deet.results.shown import Failed, Shown

CODE_POINTER = PointerType(FunctionType(VOID, (), prototyped=False))
DATA_POINTER = PointerType(VOID)
_ALIASES = {"pc": "rip", "sp": "rsp", "fp": "rbp"}
_POINTERS = {"rip": CODE_POINTER, "rsp": DATA_POINTER, "rbp": DATA_POINTER}
_LOW_HALVES = {
    "eax": "rax", "ebx": "rbx", "ecx": "rcx", "edx": "rdx", "esi": "rsi", "edi": "rdi",
    "ebp": "rbp", "esp": "rsp", **{f"r{n}d": f"r{n}" for n in range(8, 16)},
}


class FrameContext:
    """A C expression's view of the program from one frame (``cexpr.Context``)."""

    def __init__(self, target: DebugInfo, access: FrameAccess, lookup_pc: int, bias: int,
                 history: list[Value], *, in_frame: bool = True) -> None:
        """``in_frame`` False: no frame (the program is not running), so no locals."""
        self.target = target
        self.access = access
        self.lookup_pc = lookup_pc
        self.bias = bias
        self.history_values = history
        self.scope: Scope | None = target.scope_at(lookup_pc) if in_frame else None

    @property
    def memory(self) -> Memory:
        return Memory(self.access.memory, self.symbolic)

    def symbolic(self, address: int) -> str | None:
        link = address - self.bias
        return self.target.symbols.symbolic(link) or self.target.data_symbols.symbolic(link)

    def variable(self, name: str) -> Value:
        found = self.scope.lookup(name) if self.scope is not None else None
        if found is None:
            found = self.target.global_variable(name, self.lookup_pc)
        if found is not None:
            return self.value_of(found)
        functions = self.target.symbols.named(name)
        if functions:
            type_ = self.target.function_type(name) or FunctionType(INT, (), prototyped=False)
            return Value(type_, b"", functions[0].address + self.bias)
        raise EvalError(f'No symbol "{name}" in current context.')

    def value_of(self, variable: Variable) -> Value:
        """The variable's value in this frame (``data`` None when optimised out)."""
        function = self.scope.function if self.scope is not None else None
        frame_base = function.frame_base if function is not None else None
        size = strip(variable.type).size
        try:
            place = locate(variable.location, self.lookup_pc, self.access, frame_base, size)
        except ExpressionError as exc:
            raise EvalError(str(exc)) from exc
        except MemoryAccessError as exc:
            raise EvalError(str(exc)) from exc
        if isinstance(place, OptimizedOut):
            return Value(variable.type, None)
        if isinstance(place, Implicit):
            return Value(variable.type, place.data[:size].ljust(size, b"\0"))
        if isinstance(place, InRegister):
            number = self.access.register(place.register)
            return Value(variable.type, number.to_bytes(8, "little")[:size], None, place.register)
        assert isinstance(place, InMemory)
        return Value(variable.type, self.read(place.address, size), place.address)

    def read(self, address: int, size: int) -> bytes:
        try:
            return self.access.memory(address, size)
        except MemoryAccessError as exc:
            raise EvalError(str(exc)) from exc

    def register(self, name: str) -> Value:
        full = _ALIASES.get(name, name)
        if full in _LOW_HALVES:
            number = self._register(_LOW_HALVES[full]) & 0xFFFFFFFF
            return Value(INT, number.to_bytes(4, "little"))
        number = self._register(full)
        type_: Type = _POINTERS.get(full, LONG)
        if full == "eflags" or (full.endswith("s") and len(full) == 2):
            type_ = INT
            return Value(type_, (number & 0xFFFFFFFF).to_bytes(4, "little"))
        return Value(type_, number.to_bytes(8, "little"))

    def _register(self, name: str) -> int:
        if not self.access.registers:
            raise EvalError("No registers.")
        if name not in self.access.registers:
            if name in REGISTER_NAMES:
                raise EvalError(f"value of register ${name} is not available in this frame")
            raise EvalError(f"Invalid register `{name}'")
        return self.access.registers[name]

    def history(self, index: int, relative: bool) -> Value:
        values = self.history_values
        if relative:
            position = len(values) - 1 - index
            if position < 0:
                raise EvalError(f"History has not yet reached ${'$' * bool(index)}{index or ''}.")
            return values[position]
        if not 1 <= index <= len(values):
            raise EvalError(f"History has not yet reached ${index}.")
        return values[index - 1]

    def arguments(self) -> list[tuple[str, Value | None]]:
        """The function's parameters with their values (None where they cannot be read)."""
        if self.scope is None:
            return []
        found: list[tuple[str, Value | None]] = []
        for parameter in self.scope.function.parameters:
            try:
                found.append((parameter.name, self.value_of(parameter)))
            except EvalError:
                found.append((parameter.name, None))
        return found

    def shown(self, value: Value | None) -> Shown:
        if value is None:
            return Failed("value not available")
        return show(value, self.memory)
