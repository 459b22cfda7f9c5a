"""C values in the debugger, and what of them is shown.

A ``Value`` is a type and its bytes (and, for an lvalue, its address): what expressions
compute with. ``show`` turns one into a ``Shown`` tree for display: everything a printout
needs that lives in the program (the string behind a ``char *``, the symbol an address
falls in) is read here, in the core, so rendering never touches the program.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from dataclasses import dataclass

from deet.debuginfo.types import (
    ArrayType,
    BaseType,
    Encoding,
    EnumType,
    FunctionType,
    PointerType,
    QualifiedType,
    StructType,
    Type,
    TypedefType,
    VoidType,
    is_float,
    strip,
    type_name,
)
from deet.engine import MemoryAccessError
from deet.results.shown import (
    PRINT_ELEMENTS,
    CString,
    Elements,
    Fields,
    Floating,
    Function,
    Pointer,
    Scalar,
    Shown,
    Synthetic,
    Unavailable,
    Void,
    WideString,
    float_fraction,
)

# Array elements read for display: more than gdb prints, since a run of repeats counts
# as 10 elements towards its limit.
MAX_ELEMENTS = 10_000


@dataclass(frozen=True)
class Value:
    """``data`` None: the compiler did not keep the value (``<optimized out>``);
    ``address``: where it lives, for ``&``; ``register``: the register holding it;
    ``bit_size``/``bit_offset``: a bit-field within ``data``; ``missing``: byte ranges
    of an aggregate the compiler kept no piece of; ``synthetic``: a pointer the compiler
    did away with (DW_OP_implicit_pointer: the DIE of what it pointed to, and the byte
    offset into it); ``dollar``: the register or convenience variable it was read from
    (``rax``, ``n``), which an assignment to it sets."""

    type: Type
    data: bytes | None
    address: int | None = None
    register: str | None = None
    bit_size: int | None = None
    bit_offset: int = 0
    missing: tuple[tuple[int, int], ...] = ()
    synthetic: tuple[int, int] | None = None
    dollar: str | None = None


class EvaluationError(Exception):
    """An expression that cannot be evaluated; ``str()`` is one line (gdb's wording)."""


def to_int(value: Value) -> int:
    bare = strip(value.type)
    if value.data is None:
        raise EvaluationError("value has been optimized out")
    if is_float(bare):
        return int(to_float(value))
    raw = int.from_bytes(value.data, "little")
    if value.bit_size is not None:
        raw = (raw >> value.bit_offset) & ((1 << value.bit_size) - 1)
        bits = value.bit_size
    else:
        bits = len(value.data) * 8
    if _is_signed(bare) and bits and raw >> (bits - 1):
        raw -= 1 << bits
    return raw


def _is_signed(bare: Type) -> bool:
    if isinstance(bare, BaseType):
        return bare.signed
    return isinstance(bare, EnumType) and bare.signed


def to_float(value: Value) -> float:
    if value.data is None:
        raise EvaluationError("value has been optimized out")
    if not is_float(value.type):
        return float(to_int(value))
    return float(float_fraction(value.data))


def from_int(type_: Type, number: int) -> Value:
    size = max(strip(type_).size, 1)
    mask = (1 << (size * 8)) - 1
    return Value(type_, (number & mask).to_bytes(size, "little"))


def from_float(type_: Type, number: float) -> Value:
    size = strip(type_).size
    if size > 8:
        return Value(type_, x87_bytes(number).ljust(size, b"\0"))
    return Value(type_, struct.pack("<f" if size == 4 else "<d", number))


def x87_bytes(number: float) -> bytes:
    """The 80-bit x87 extended encoding of ``number`` (exact: a double fits in it)."""
    sign = 0x8000 if math.copysign(1.0, number) < 0 else 0
    if math.isnan(number) or math.isinf(number):
        mantissa = 0xC000000000000000 if math.isnan(number) else 0x8000000000000000
        return mantissa.to_bytes(8, "little") + (sign | 0x7FFF).to_bytes(2, "little")
    if number == 0:
        return bytes(8) + sign.to_bytes(2, "little")
    fraction, exponent = math.frexp(abs(number))
    mantissa = int(fraction * 2**64)
    return mantissa.to_bytes(8, "little") + (sign | (exponent - 1 + 16383)).to_bytes(2, "little")


Read = Callable[[int, int], bytes]
Symbolize = Callable[..., str | None]


@dataclass(frozen=True)
class Memory:
    """What ``show`` may look at in the program."""

    read: Read
    symbolic: Symbolize


def show(value: Value, memory: Memory) -> Shown:
    if value.synthetic is not None:
        return Synthetic(type_name(value.type))
    if value.data is None:
        return Unavailable()
    bare = strip(value.type)
    if isinstance(bare, VoidType):
        return Void()
    if isinstance(bare, StructType):
        return Fields(tuple(
            (m.name, show(member_value(value, m), memory)) for m in bare.members
        ))
    if isinstance(bare, ArrayType):
        if not bare.count:
            address = value.address or 0
            return Pointer(type_name(value.type), address, memory.symbolic(address), bare=True)
        return _elements(value, bare, memory)
    if isinstance(bare, PointerType):
        return _pointer(value, bare, memory)
    if isinstance(bare, FunctionType):
        address = value.address or 0
        return Function(type_name(value.type), address, memory.symbolic(address))
    if is_float(bare):
        return Floating(value.data)
    number = to_int(value)
    size = max(bare.size, 1)
    if isinstance(bare, EnumType):
        return Scalar(number, "enum", bare.enumerators, size)
    if isinstance(bare, BaseType) and bare.encoding is Encoding.BOOLEAN:
        return Scalar(number, "bool", size=size)
    if _is_char(bare):
        return Scalar(number, "char", size=1)
    wide = _wide(value.type)
    if wide is not None:
        return Scalar(number, "char", size=size, prefix=wide[1])
    return Scalar(number, size=size)


def _pointer(value: Value, pointer: PointerType, memory: Memory) -> Pointer:
    address = to_int(value)
    target = strip(pointer.target)
    name = type_name(value.type)
    symbol = memory.symbolic(address)
    wide = _wide(pointer.target)
    if wide is not None:
        # A null one is its address alone, as a null ``char *`` is (gdb reads nothing).
        string = (WideString((), wide[1], error="null") if address == 0
                  else read_wide_string(address, memory.read, *wide))
        return Pointer(name, address, symbol, string, bare=True)
    if not _is_char(target):
        return Pointer(name, address, symbol)
    plain = isinstance(target, BaseType) and target.name == "char"
    string = CString(b"", error="null") if address == 0 else read_c_string(address, memory.read)
    return Pointer(name, address, symbol, string, plain)


def member_value(value: Value, member) -> Value:
    size = max(strip(member.type).size, 1)
    data, missing = _part(value, member.offset, size, member.type)
    address = None if value.address is None else value.address + member.offset
    return Value(member.type, data, address, None, member.bit_size, member.bit_offset, missing)


def element_value(value: Value, element: Type, index: int) -> Value:
    size = strip(element).size
    start = index * size
    data, missing = _part(value, start, size, element)
    address = None if value.address is None else value.address + start
    return Value(element, data, address, missing=missing)


def _part(value: Value, start: int, size: int,
          type_: Type) -> tuple[bytes | None, tuple[tuple[int, int], ...]]:
    """The bytes of a member or element, and which of them the compiler did not keep: a
    scalar missing any is missing whole (``<optimized out>``)."""
    if value.data is None:
        return None, ()
    data = value.data[start : start + size]
    if len(data) < size:
        data = data.ljust(size, b"\0")
    missing = tuple((max(low, start) - start, min(high, start + size) - start)
                    for low, high in value.missing if low < start + size and high > start)
    if missing and not isinstance(strip(type_), StructType | ArrayType):
        return None, ()
    return data, missing


def _elements(value: Value, array: ArrayType, memory: Memory) -> Elements:
    count = array.count or 0
    shown = min(count, MAX_ELEMENTS)
    items = tuple(show(element_value(value, array.element, i), memory) for i in range(shown))
    wide = _wide(array.element)
    return Elements(items, truncated=count > shown,
                    chars=_is_char(strip(array.element)) or wide is not None,
                    prefix=wide[1] if wide is not None else "")


def _is_char(type_: Type) -> bool:
    """A single-byte character type (``char``, ``signed char``, ``unsigned char``)."""
    return isinstance(type_, BaseType) and type_.is_char and type_.size == 1


# gdb's wide character types, by name (through typedefs), and C's prefix for each.
_WIDE = {"wchar_t": "L", "char16_t": "u", "char32_t": "U"}


def _wide(type_: Type) -> tuple[int, str] | None:
    """(unit size, prefix) when ``type_`` is one of C's wide character types."""
    current = type_
    while isinstance(current, TypedefType | QualifiedType):
        if isinstance(current, TypedefType) and current.name in _WIDE:
            return max(strip(current).size, 1), _WIDE[current.name]
        current = current.target
    if isinstance(current, BaseType) and current.name in _WIDE:
        return current.size, _WIDE[current.name]
    return None


def read_wide_string(address: int, read: Read, size: int, prefix: str) -> WideString:
    """The zero-terminated wide string at ``address``, ``PRINT_ELEMENTS`` units at most."""
    units: list[int] = []
    try:
        while len(units) < PRINT_ELEMENTS:
            unit = int.from_bytes(read(address + len(units) * size, size), "little")
            if unit == 0:
                return WideString(tuple(units), prefix)
            units.append(unit)
        following = read(address + len(units) * size, size)
    except MemoryAccessError as exc:
        return WideString(tuple(units), prefix, error=str(exc))
    return WideString(tuple(units), prefix, truncated=any(following))


def read_c_string(address: int, read: Read, limit: int = PRINT_ELEMENTS) -> CString:
    """The NUL-terminated string at ``address``, at most ``limit`` bytes of it. Read in
    pieces that never cross a page, so a string ending just before an unmapped page is
    read whole: every C string deet reads (``print``, ``x/s``, the loader's list of
    libraries) comes through here."""
    data = bytearray()
    try:
        while len(data) < limit:
            here = address + len(data)
            want = min(limit - len(data), _PAGE - here % _PAGE)
            chunk = read(here, want)
            end = chunk.find(b"\0")
            if end >= 0:
                return CString(bytes(data + chunk[:end]))
            data += chunk
        following = read(address + len(data), 1)
    except MemoryAccessError as exc:
        return CString(bytes(data), error=str(exc))
    return CString(bytes(data), truncated=following != b"\0")


_PAGE = 4096
