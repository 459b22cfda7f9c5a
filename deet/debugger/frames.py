"""Looking into one frame: its function and blocks, its variables, its registers.

Everything here works from a ``FrameState`` (pc, registers, CFA) the unwinder produced,
never from %rbp directly, so a better unwinder changes nothing here. Variables are located
by their DWARF expressions against the frame (``debuginfo.expressions``) and read from the
program; a C expression is evaluated in the frame through ``FrameContext``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from deet.debugger.cexpr import EvalError
from deet.debugger.cexpr.arith import assigned
from deet.debugger.store import Caller, Store
from deet.debugger.unwind import FrameAccess
from deet.debugger.values import Memory, Symbolize, Value, from_int, show, to_int
from deet.debuginfo import DebugInfo, DebugInfoError
from deet.debuginfo.expressions import (
    ExpressionError,
    Implicit,
    ImplicitPointer,
    InMemory,
    InRegister,
    LocationList,
    OptimizedOut,
    Pieces,
    Place,
    locate,
)
from deet.debuginfo.scopes import Function, Scope, Variable
from deet.debuginfo.symbols import print_name
from deet.debuginfo.types import (
    INT,
    LONG,
    VOID,
    ArrayType,
    FunctionType,
    PointerType,
    StructType,
    Type,
    strip,
)
from deet.engine import MemoryAccessError
from deet.engine.registers import NAMES as REGISTER_NAMES
from deet.results.shown import Failed, Shown

# The type of a function known only from the symbol table: gdb will not guess what it
# returns when it is called.
NO_DEBUG_FUNCTION = FunctionType(INT, (), prototyped=False)
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
                 history: list[Value], *, scope: Scope | None = None,
                 symbolize: Symbolize | None = None,
                 elsewhere: FrameContext | None = None) -> None:
        """``scope``: the frame's own (an inlined call's or the function's); None where
        there is no frame (the program is not running), or no debug info for it.
        ``symbolize``: the name of the symbol an address is in, in any object loaded
        (gdb's ``<malloc+410>``); by default the program's own symbols. ``elsewhere``:
        where a name this frame's object does not define is looked for (a frame in a
        library still sees the program's globals, as in gdb)."""
        self.target = target
        self.access = access
        self.lookup_pc = lookup_pc
        self.bias = bias
        self.history_values = history
        self.scope = scope
        self._symbolize = symbolize or self._program_symbol
        self._elsewhere = elsewhere
        # Set by the debugger for the selected frame: where assignments go, and what
        # calls functions of the program (``calls.Caller``) and finds them in libraries.
        self.store = Store()
        self.caller: Caller | None = None
        # Set by the stack: the frame nearest this one out that runs a function.
        self.running: Callable[[Function], FrameContext | None] | None = None

    @property
    def memory(self) -> Memory:
        return Memory(self.access.memory, lambda address: self.symbolic(address, True))

    def symbolic(self, address: int, printing: bool = False) -> str | None:
        """The symbol ``address`` is in: as ``print`` names it with ``printing``, else as
        ``x`` and ``disassemble`` do."""
        return self._symbolize(address, printing)

    def _program_symbol(self, address: int, printing: bool = False) -> str | None:
        return symbol_at(self.target, address - self.bias, printing)

    def variable(self, name: str) -> Value:
        found = self.scope.lookup(name) if self.scope is not None else None
        if found is None:
            found = self.target.global_variable(name, self.lookup_pc)
        if found is not None:
            return self.value_of(found)
        constant = self.target.enumerator(name, self.lookup_pc)
        if constant is not None:
            return from_int(*constant)
        functions = self.target.symbols.named(name)
        if functions:
            type_ = self.target.function_type(name) or NO_DEBUG_FUNCTION
            return Value(type_, b"", functions[0].address + self.bias)
        if self._elsewhere is not None:
            return self._elsewhere.variable(name)
        found_elsewhere = self.caller.function(name) if self.caller is not None else None
        if found_elsewhere is not None:
            return found_elsewhere
        raise EvalError(f'No symbol "{name}" in current context.')

    def knows(self, name: str) -> bool:
        """Whether ``name`` is a variable or function this frame sees (not reading it)."""
        if (self.scope is not None and self.scope.lookup(name) is not None) or \
                self.target.global_variable(name, self.lookup_pc) is not None or \
                self.target.symbols.named(name) or \
                self.target.enumerator(name, self.lookup_pc) is not None:
            return True
        if self.caller is not None and self.caller.function(name) is not None:
            return True
        return self._elsewhere is not None and self._elsewhere.knows(name)

    def named_type(self, kind: str, name: str) -> Type | None:
        return self.target.named_type(kind, name, self.lookup_pc)

    def scoped(self, scope: str, name: str, is_file: bool) -> Value:
        """``FUNC::var`` (a static, or a local of this frame's function) and
        ``'FILE'::var``, in gdb's words when there is none."""
        if is_file:
            found = self.target.file_global(scope, name)
            if found is None:
                if not self.target.has_source_file(scope):
                    raise EvalError(f'No symbol "{scope}" in current context.')
                raise EvalError(f'No symbol "{name}" in specified context.')
            return self.value_of(found)
        function = self.target.function_scope(scope)
        if function is None:
            raise EvalError(f'No symbol "{scope}" in current context.')
        found = function.lookup(name)
        if found is None:
            raise EvalError(f'No symbol "{name}" in specified context.')
        static = isinstance(found.location, tuple) and found.location[:1] and \
            found.location[0][0] == "DW_OP_addr"
        if static or (self.scope is not None and self.scope.function is function.function):
            return self.value_of(found)
        if not self.access.registers:
            raise EvalError("No frame selected.")
        frame = self.running(function.function) if self.running is not None else None
        if frame is not None:
            return frame.value_of(found)
        raise EvalError(f"No frame is currently executing in block {scope}.")

    def value_of(self, variable: Variable) -> Value:
        """The variable's value in this frame (``data`` None when optimised out)."""
        function = self.scope.function if self.scope is not None else None
        frame_base = function.frame_base if function is not None else None
        size = strip(variable.type).size
        try:
            place = locate(variable.location, self.lookup_pc, self.access, frame_base, size,
                           function.entry if function is not None else None)
            return self._value_at(place, variable.type, size)
        except (ExpressionError, MemoryAccessError) as exc:
            raise EvalError(str(exc)) from exc

    def _value_at(self, place: Place, type_: Type, size: int) -> Value:
        if isinstance(place, OptimizedOut):
            return Value(type_, None)
        if isinstance(place, ImplicitPointer):
            return Value(type_, bytes(size), synthetic=(place.die, place.offset))
        if isinstance(place, Pieces):
            return self._assembled(place, type_, size)
        if isinstance(place, Implicit):
            return Value(type_, place.data[:size].ljust(size, b"\0"))
        if isinstance(place, InRegister):
            return Value(type_, self._register_bytes(place.register)[:size].ljust(size, b"\0"),
                         None, place.register)
        assert isinstance(place, InMemory)
        return Value(type_, self.read(place.address, size), place.address)

    def _register_bytes(self, name: str) -> bytes:
        if name.startswith("xmm"):
            return self.access.vector(name)
        return self.access.register(name).to_bytes(8, "little")

    def _assembled(self, place: Pieces, type_: Type, size: int) -> Value:
        """A value from its pieces (DW_OP_piece), noting the bytes no piece kept."""
        data = bytearray()
        missing = []
        for piece, piece_size in place.pieces:
            part_size = piece_size or size - len(data)
            if isinstance(piece, Pieces | ImplicitPointer | OptimizedOut):
                missing.append((len(data), len(data) + part_size))
                data += bytes(part_size)
                continue
            part = self._value_at(piece, type_, part_size)
            data += (part.data or bytes(part_size))[:part_size].ljust(part_size, b"\0")
        data = bytes(data[:size].ljust(size, b"\0"))
        if missing and not isinstance(strip(type_), StructType | ArrayType):
            return Value(type_, None)
        return Value(type_, data, missing=tuple(missing))

    def synthetic_target(self, pointer: Value, target: Type) -> Value:
        """What a pointer the compiler did away with points to: the variable its
        DW_OP_implicit_pointer names, from the byte offset it gives."""
        assert pointer.synthetic is not None
        die, offset = pointer.synthetic
        variable = self.scope.variable_at_die(die) if self.scope is not None else None
        if variable is None:
            raise EvalError("Cannot find the variable a synthetic pointer points to.")
        whole = self.value_of(variable)
        size = strip(target).size
        if whole.data is None:
            return Value(target, None)
        return Value(target, whole.data[offset : offset + size].ljust(size, b"\0"),
                     missing=tuple((max(low - offset, 0), high - offset)
                                   for low, high in whole.missing if high > offset))

    def read(self, address: int, size: int) -> bytes:
        try:
            return self.access.memory(address, size)
        except MemoryAccessError as exc:
            raise EvalError(str(exc)) from exc

    def register(self, name: str) -> Value:
        """``$name``: a register, else a convenience variable (void until it is set)."""
        full = _ALIASES.get(name, name)
        if full in _LOW_HALVES:
            number = self._register(_LOW_HALVES[full]) & 0xFFFFFFFF
            return Value(INT, number.to_bytes(4, "little"), dollar=name)
        if full not in REGISTER_NAMES:
            return self.store.convenience.get(name, Value(VOID, b"", dollar=name))
        number = self._register(full)
        type_: Type = _POINTERS.get(full, LONG)
        if full == "eflags" or (full.endswith("s") and len(full) == 2):
            type_ = INT
            return Value(type_, (number & 0xFFFFFFFF).to_bytes(4, "little"), dollar=name)
        return Value(type_, number.to_bytes(8, "little"), dollar=name)

    def call(self, function: Value, arguments: list[Value], returns: Type | None) -> Value:
        if self.caller is None:
            raise EvalError("You can't do that without a process to debug.")
        bare = strip(function.type)
        address = function.address if isinstance(bare, FunctionType) else to_int(function)
        symbol = self.symbolic(address or 0, True) or f"{address or 0:#x}"
        return self.caller.call(function, arguments, returns, symbol.split("+")[0])

    def assign(self, target: Value, value: Value) -> Value:
        """``target = value``: memory, a register or a convenience variable changed (C's
        conversion to the target's type first; a convenience variable takes the value's
        own type, as in gdb)."""
        name = target.dollar
        full = _ALIASES.get(name, name) if name is not None else None
        if name is not None and full not in REGISTER_NAMES and full not in _LOW_HALVES:
            kept = Value(value.type, value.data, dollar=name)
            self.store.convenience[name] = kept
            return kept
        new = assigned(target, value)
        register = full if full is not None else target.register
        if register is not None:
            self._write_register(register, to_int(new))
            return Value(new.type, new.data, dollar=name, register=target.register)
        write = self.store.write_memory
        if target.address is None:
            raise EvalError("Left operand of assignment is not an lvalue.")
        if write is None:
            # Before ``run`` the value is the executable file's, which gdb does not write.
            raise EvalError(f"Cannot access memory at address {target.address:#x}")
        assert new.data is not None
        try:
            write(target.address, new.data)
        except MemoryAccessError as exc:
            raise EvalError(str(exc)) from exc
        return Value(new.type, new.data, target.address, bit_size=new.bit_size,
                     bit_offset=new.bit_offset)

    def _write_register(self, name: str, number: int) -> None:
        write = self.store.write_register
        if write is None:
            raise EvalError("No registers." if not self.access.registers else
                            "deet writes registers only in the innermost frame (frame 0).")
        if name in _LOW_HALVES:
            whole = _LOW_HALVES[name]
            number = (self._register(whole) & ~0xFFFFFFFF) | (number & 0xFFFFFFFF)
            name = whole
        elif name == "eflags" or (name.endswith("s") and len(name) == 2):
            number &= 0xFFFFFFFF
        try:
            write(name, number)
        except MemoryAccessError as exc:  # a core file's registers
            raise EvalError(str(exc)) from exc

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

    def arguments(self) -> list[Argument]:
        """The frame's parameters with their values (None where they cannot be read)
        and the values they were entered with, where the caller's call site says."""
        if self.scope is None:
            return []
        found = []
        for parameter in self.scope.parameters:
            try:
                value: Value | None = self.value_of(parameter)
            except EvalError:
                value = None
            found.append(Argument(parameter.name, value, self.entry_value_of(parameter)))
        return found

    def entry_value_of(self, parameter: Variable) -> Value | None:
        """What ``parameter`` was when the function was entered (gdb's ``x@entry``): for a
        parameter that arrived in a register, and only where the caller's call site
        describes what it passed there. In an inlined frame the location is taken at the
        out-of-line function's entry and the call site is the physical frame's, because
        gdb's entry values skip inline frames (get_frame_func is the function's entry)."""
        scope = self.scope
        if scope is None:
            return None
        description = parameter.location
        entry = scope.function.entry
        ops = (description.at(entry, entry) if isinstance(description, LocationList)
               else description)
        if not isinstance(ops, tuple) or len(ops) != 1 or not ops[0][0].startswith("DW_OP_reg"):
            return None
        try:
            number = self.access.entry_value(ops)
        except (ExpressionError, MemoryAccessError):
            return None
        size = strip(parameter.type).size
        return Value(parameter.type, (number & (2**64 - 1)).to_bytes(8, "little")[:size])

    def shown(self, value: Value | None) -> Shown:
        if value is None:
            return Failed("value not available")
        return show(value, self.memory)


@dataclass(frozen=True)
class Argument:
    """A parameter of a frame: its value now and at the function's entry (each None
    where it cannot be known)."""

    name: str
    value: Value | None
    entry: Value | None


def symbol_at(info: DebugInfo, link: int, printing: bool = False) -> str | None:
    """gdb's name for a link-time address of one file, with the offset into it. Code in a
    function the DWARF describes is named as its frames are (glibc's malloc is
    ``__GI___libc_malloc``), unless a symbol starts closer to the address or exactly at
    it; other addresses by the function, else the object (static storage), the symbol
    table has there. ``printing``: as ``print`` shows it (gdb's print names); else as
    ``x`` and ``disassemble`` do, raw."""
    symbol = info.symbols.containing(link)
    function = None
    if info.has_debug_info and symbol is not None:
        try:
            function = info.function_die_at(link)
        except DebugInfoError:
            function = None
    if function is not None and symbol is not None and symbol.address <= function.entry and (
            symbol.address != link or function.entry == link):
        return _offset(function.frame_name, link - function.entry)
    if symbol is None:
        symbol = info.data_symbols.containing(link)
    if symbol is None:
        return None
    return _offset(print_name(symbol.name) if printing else symbol.name, link - symbol.address)


def _offset(name: str, offset: int) -> str:
    return f"{name}+{offset}" if offset else name
