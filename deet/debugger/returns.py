"""Where a function's return value is once it has returned (System V x86-64 ABI).

Integers and pointers come back in %rax (then %rdx), float and double in %xmm0 (then
%xmm1), long double in %st0; a struct or union of at most 16 bytes is split into
eightbytes, each in the next SSE register if it holds only floating-point data and in
the next integer register otherwise; anything larger, or with a long double inside, is
returned in memory whose address comes back in %rax.
"""

from __future__ import annotations

from deet.debugger.values import Value
from deet.debuginfo.types import (
    ArrayType,
    BaseType,
    Encoding,
    StructType,
    Type,
    VoidType,
    strip,
)
from deet.engine import Inferior

_ST0 = 32
_XMM0 = 160


def return_value(type_: Type, inferior: Inferior) -> Value | None:
    """The value a function of return type ``type_`` just returned; None for void."""
    bare = strip(type_)
    if isinstance(bare, VoidType):
        return None
    size = bare.size
    registers = inferior.registers
    if isinstance(bare, BaseType) and bare.encoding is Encoding.FLOAT:
        area = inferior.fp_area()
        start = _ST0 if size > 8 else _XMM0
        return Value(type_, area[start : start + size])
    classes = classify(bare)
    if classes is None:
        address = registers["rax"]
        return Value(type_, inferior.read(address, size), address)
    integers = iter((registers["rax"], registers["rdx"]))
    area = inferior.fp_area() if "sse" in classes else b""
    vectors = iter((area[_XMM0 : _XMM0 + 8], area[_XMM0 + 16 : _XMM0 + 24]))
    data = b"".join(
        next(vectors) if kind == "sse" else next(integers).to_bytes(8, "little")
        for kind in classes
    )
    return Value(type_, data[:size])


def classify(bare: Type) -> list[str] | None:
    """Each eightbyte's class, or None when the value is returned in memory."""
    size = max(bare.size, 1)
    if size > 16:
        return None
    kinds: list[set[str]] = [set() for _ in range((size + 7) // 8)]
    for offset, scalar in _scalars(bare, 0):
        if isinstance(scalar, BaseType) and scalar.encoding is Encoding.FLOAT:
            if scalar.size > 8:
                return None
            kinds[offset // 8].add("sse")
        else:
            kinds[offset // 8].add("integer")
    return ["sse" if kind == {"sse"} else "integer" for kind in kinds]


def _scalars(type_: Type, offset: int):
    bare = strip(type_)
    if isinstance(bare, StructType):
        for member in bare.members:
            yield from _scalars(member.type, offset + member.offset)
    elif isinstance(bare, ArrayType):
        for index in range(bare.count or 0):
            yield from _scalars(bare.element, offset + index * strip(bare.element).size)
    else:
        yield offset, bare
