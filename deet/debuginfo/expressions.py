"""DWARF expressions: where a variable lives at one pc of one frame, and the call-frame
rules that find a caller's registers.

The evaluator never touches the program: registers, memory and the frame's CFA come
through a ``FrameAccess`` the caller supplies (the debugger core, from an unwound frame),
so the same code serves frame 0 and every caller. Expressions arrive already decoded by
pyelftools into ``(operation name, arguments)`` pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

Op = tuple[str, tuple]
Ops = tuple[Op, ...]

# DWARF register numbers of x86-64 (System V psABI, figure 3.36).
DWARF_REGISTERS = (
    "rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip",
)
_MASK = (1 << 64) - 1


@dataclass(frozen=True)
class LocationList:
    """Pieces of code, each with the expression valid there; elsewhere: optimised out."""

    entries: tuple[tuple[int, int, Ops], ...]

    def at(self, pc: int, entry: int | None = None) -> Ops | None:
        """The expression valid at ``pc``. An empty range at ``pc`` counts when ``pc`` is
        its function's ``entry`` (gdb's rule: gcc writes such entries for the values
        parameters and locals have as the function is entered)."""
        for begin, end, ops in self.entries:
            if begin <= pc < end or begin == end == pc == entry:
                return ops
        return None


@dataclass(frozen=True)
class ConstValue:
    """DW_AT_const_value: the compiler knew the value and kept no storage for it."""

    value: int | bytes


Description = Ops | LocationList | ConstValue | None


@dataclass(frozen=True)
class InMemory:
    address: int


@dataclass(frozen=True)
class InRegister:
    register: str


@dataclass(frozen=True)
class Implicit:
    """The value itself, not a place (DW_OP_stack_value, DW_OP_implicit_value)."""

    data: bytes


@dataclass(frozen=True)
class OptimizedOut:
    pass


@dataclass(frozen=True)
class ImplicitPointer:
    """DW_OP_implicit_pointer: a pointer the compiler did away with, to a variable that
    has no address (its DIE's offset), ``offset`` bytes into it. gdb shows it as
    ``<synthetic pointer>``; dereferencing it gives that variable."""

    die: int
    offset: int


@dataclass(frozen=True)
class Pieces:
    """A value made of pieces (DW_OP_piece): each a place and its size in bytes, in the
    order of the value's bytes."""

    pieces: tuple[tuple[Place, int], ...]


Place = InMemory | InRegister | Implicit | OptimizedOut | ImplicitPointer | Pieces


class ExpressionError(Exception):
    """An expression deet cannot evaluate; ``str()`` is one line for the user."""


class NoEntryValueError(ExpressionError):
    """DW_OP_entry_value whose value cannot be had (no call site says what the caller
    passed): as in gdb, what needs it is ``<optimized out>``, not an error."""


class FrameAccess(Protocol):
    """``bias``: the load bias of the object the expression comes from, added to the
    link-time addresses it names (DW_OP_addr: a PIE's globals and statics).
    ``entry_value``: what an expression (a register, usually) was worth when the frame's
    function was entered, from its caller's call site (DW_OP_entry_value)."""

    cfa: int | None
    bias: int

    def register(self, name: str) -> int: ...

    def read(self, address: int, size: int) -> bytes: ...

    def entry_value(self, ops: Ops) -> int: ...


# DWARF 17-32 are %xmm0-15, where gcc keeps floating-point values.
VECTOR_REGISTERS = tuple(f"xmm{n}" for n in range(16))


def register_name(number: int) -> str:
    if 0 <= number < len(DWARF_REGISTERS):
        return DWARF_REGISTERS[number]
    if 0 <= number - 17 < len(VECTOR_REGISTERS):
        return VECTOR_REGISTERS[number - 17]
    raise ExpressionError(f"DWARF register {number} is not supported")


def evaluate(ops: Ops, frame: FrameAccess, initial: tuple[int, ...] = ()) -> int:
    """The value an expression leaves on top of the stack (a call-frame rule's address or
    value); ``initial`` is pushed first (CFI register rules start with the CFA)."""
    machine = _Machine(0, frame, None)
    machine.stack.extend(initial)
    for name, args in ops:
        machine.step(name, args)
    if not machine.stack:
        raise ExpressionError("empty DWARF expression")
    return machine.stack[-1] & _MASK


def locate(description: Description, pc: int, frame: FrameAccess,
           frame_base: Description = None, size: int = 8, entry: int | None = None) -> Place:
    """Where the value described by ``description`` is, at ``pc`` in ``frame`` (whose
    function begins at ``entry``)."""
    if description is None:
        return OptimizedOut()
    if isinstance(description, ConstValue):
        value = description.value
        data = value if isinstance(value, bytes) else (value & _MASK).to_bytes(8, "little")
        return Implicit(data[:size] if isinstance(value, int) else data)
    ops = description.at(pc, entry) if isinstance(description, LocationList) else description
    if not ops:
        return OptimizedOut()
    return _Machine(pc, frame, frame_base).run(ops)


class _Machine:
    def __init__(self, pc: int, frame: FrameAccess, frame_base: Description) -> None:
        self.pc = pc
        self.frame = frame
        self.frame_base = frame_base
        self.stack: list[int] = []

    def run(self, ops: Ops) -> Place:
        """Where the value is: one place, or the pieces DW_OP_piece puts together."""
        pieces: list[tuple[Place, int]] = []
        place: Place | None = None
        index = 0
        while index < len(ops):
            name, args = ops[index]
            index += 1
            if name == "DW_OP_piece":
                pieces.append((place or self._top(), args[0]))
                place = None
                self.stack.clear()
                continue
            if place is not None:
                raise ExpressionError(f"DWARF operation {name} after the end of a location")
            if name.startswith("DW_OP_reg"):
                number = args[0] if name == "DW_OP_regx" else int(name[len("DW_OP_reg"):])
                place = InRegister(register_name(number))
            elif name == "DW_OP_stack_value":
                place = Implicit((self.stack[-1] & _MASK).to_bytes(8, "little"))
            elif name == "DW_OP_implicit_value":
                place = Implicit(bytes(args[1]) if len(args) > 1 else bytes(args[0]))
            elif name in ("DW_OP_implicit_pointer", "DW_OP_GNU_implicit_pointer"):
                place = ImplicitPointer(args[0], args[1])
            elif name in ("DW_OP_bra", "DW_OP_skip"):
                if name == "DW_OP_skip" or self.stack.pop() != 0:
                    index = args[0]
            else:
                try:
                    self.step(name, args)
                except NoEntryValueError:
                    place = OptimizedOut()
                    index = _next_piece(ops, index)
        if pieces:
            return Pieces(tuple(pieces)) if place is None else Pieces(
                (*pieces, (place, 0)))
        return place or self._top()

    def _top(self) -> Place:
        """A location that ends with an address on the stack; none at all (an empty piece)
        is a piece the compiler did not keep."""
        if not self.stack:
            return OptimizedOut()
        return InMemory(self.stack[-1] & _MASK)

    def step(self, name: str, args: tuple) -> None:
        stack = self.stack
        if name == "DW_OP_addr":
            stack.append(args[0] + self.frame.bias)
        elif name in ("DW_OP_constu", "DW_OP_consts") or name.startswith(
            ("DW_OP_const1", "DW_OP_const2", "DW_OP_const4", "DW_OP_const8")
        ):
            stack.append(args[0])
        elif name.startswith("DW_OP_lit"):
            stack.append(int(name[len("DW_OP_lit"):]))
        elif name in ("DW_OP_const_type", "DW_OP_GNU_const_type"):
            # A constant of a base type (a double a call passed in %xmm0): its bytes.
            data = bytes(args[1])
            if len(data) > 8:
                raise ExpressionError("a typed constant wider than 64 bits")
            stack.append(int.from_bytes(data, "little"))
        elif name == "DW_OP_fbreg":
            stack.append(self.base() + args[0])
        elif name == "DW_OP_call_frame_cfa":
            if self.frame.cfa is None:
                raise ExpressionError("frame's CFA is unknown")
            stack.append(self.frame.cfa)
        elif name == "DW_OP_bregx":
            stack.append(self.frame.register(register_name(args[0])) + args[1])
        elif name.startswith("DW_OP_breg"):
            number = int(name[len("DW_OP_breg"):])
            stack.append(self.frame.register(register_name(number)) + args[0])
        elif name in ("DW_OP_regval_type", "DW_OP_GNU_regval_type"):
            stack.append(self.frame.register(register_name(args[0])))
        elif name == "DW_OP_plus_uconst":
            stack.append(stack.pop() + args[0])
        elif name in _BINARY:
            right, left = stack.pop(), stack.pop()
            stack.append(_BINARY[name](left, right) & _MASK)
        elif name in _UNARY:
            stack.append(_UNARY[name](stack.pop()) & _MASK)
        elif name == "DW_OP_deref":
            stack.append(int.from_bytes(self.frame.read(stack.pop() & _MASK, 8), "little"))
        elif name in ("DW_OP_deref_size", "DW_OP_deref_type", "DW_OP_GNU_deref_type"):
            size = args[0]
            stack.append(int.from_bytes(self.frame.read(stack.pop() & _MASK, size), "little"))
        elif name in ("DW_OP_entry_value", "DW_OP_GNU_entry_value",
                      "DW_OP_GNU_parameter_ref"):
            # What the caller passed: in the register an entry value names, or as the
            # parameter a parameter_ref names (the call site's DW_AT_call_parameter).
            place = args[0] if name != "DW_OP_GNU_parameter_ref" else ((name, args),)
            try:
                stack.append(self.frame.entry_value(place) & _MASK)
            except ExpressionError as exc:
                raise NoEntryValueError(str(exc)) from exc
        elif name in ("DW_OP_convert", "DW_OP_GNU_convert", "DW_OP_reinterpret",
                      "DW_OP_GNU_reinterpret", "DW_OP_nop"):
            pass  # deet computes on 64-bit integers; the conversions it meets are widening
        elif name == "DW_OP_dup":
            stack.append(stack[-1])
        elif name == "DW_OP_drop":
            stack.pop()
        elif name == "DW_OP_over":
            stack.append(stack[-2])
        elif name == "DW_OP_pick":
            stack.append(stack[-1 - args[0]])
        elif name == "DW_OP_swap":
            stack[-1], stack[-2] = stack[-2], stack[-1]
        elif name == "DW_OP_rot":
            stack[-1], stack[-2], stack[-3] = stack[-2], stack[-3], stack[-1]
        else:
            raise ExpressionError(f"DWARF operation {name} is not supported")

    def base(self) -> int:
        """The frame base (DW_AT_frame_base): gcc's is DW_OP_call_frame_cfa."""
        place = locate(self.frame_base, self.pc, self.frame)
        if isinstance(place, InMemory):
            return place.address
        if isinstance(place, InRegister):
            return self.frame.register(place.register)
        raise ExpressionError("the function's frame base is unknown")


_BINARY = {
    "DW_OP_plus": lambda a, b: a + b,
    "DW_OP_minus": lambda a, b: a - b,
    "DW_OP_and": lambda a, b: a & b,
    "DW_OP_or": lambda a, b: a | b,
    "DW_OP_xor": lambda a, b: a ^ b,
    "DW_OP_mul": lambda a, b: a * b,
    "DW_OP_div": lambda a, b: int(_signed(a) / _signed(b)) if b else 0,
    "DW_OP_mod": lambda a, b: a % b if b else 0,
    "DW_OP_shl": lambda a, b: a << b,
    "DW_OP_shr": lambda a, b: a >> b,
    "DW_OP_shra": lambda a, b: _signed(a) >> b,
    "DW_OP_eq": lambda a, b: int(a == b),
    "DW_OP_ne": lambda a, b: int(a != b),
    "DW_OP_lt": lambda a, b: int(_signed(a) < _signed(b)),
    "DW_OP_le": lambda a, b: int(_signed(a) <= _signed(b)),
    "DW_OP_gt": lambda a, b: int(_signed(a) > _signed(b)),
    "DW_OP_ge": lambda a, b: int(_signed(a) >= _signed(b)),
}
_UNARY = {
    "DW_OP_neg": lambda a: -a,
    "DW_OP_not": lambda a: ~a,
    "DW_OP_abs": lambda a: -_signed(a) if _signed(a) < 0 else a,
}


def _next_piece(ops: Ops, index: int) -> int:
    """Where the operations of the piece being computed end (at its DW_OP_piece)."""
    while index < len(ops) and ops[index][0] != "DW_OP_piece":
        index += 1
    return index


def _signed(value: int) -> int:
    return value - (1 << 64) if value >> 63 else value
