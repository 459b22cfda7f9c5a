"""Operations that reach into memory: ``*p``, ``&x``, ``s.f``, ``p->f``, ``VALUE@N``.

``noside`` is gdb's EVAL_AVOID_SIDE_EFFECTS: under ``sizeof``, ``whatis`` and ``ptype``
only the type matters, so nothing is read (``sizeof *(int *)0`` is 4).
"""

from __future__ import annotations

from typing import Protocol

from deet.debugger.cexpr.arith import decay
from deet.debugger.values import EvaluationError, Value, from_int, member_value, to_int
from deet.debuginfo.types import (
    INT,
    LONG,
    ArrayType,
    FunctionType,
    PointerType,
    StructType,
    Type,
    VoidType,
    is_integral,
    strip,
)

# gdb's max-value-size default: a value bigger than this is refused, not read.
MAX_VALUE_SIZE = 65536
_INT_MAX = 2**31 - 1


class Memory(Protocol):
    def read(self, address: int, size: int) -> bytes: ...

    def synthetic_target(self, pointer: Value, target: Type) -> Value: ...


def dereference(value: Value, memory: Memory, noside: bool = False) -> Value:
    value = decay(value)
    bare = strip(value.type)
    if isinstance(bare, PointerType):
        target = bare.target
        if isinstance(strip(target), VoidType):
            raise EvaluationError("Attempt to dereference a generic pointer.")
    elif is_integral(value.type):
        target = LONG if bare.size == 8 else INT
    else:
        raise EvaluationError("Attempt to take contents of a non-pointer value.")
    return at(target, value, memory, noside)


def at(target: Type, pointer: Value, memory: Memory, noside: bool = False) -> Value:
    """The object of type ``target`` where ``pointer`` points (``{TYPE} ADDR`` too)."""
    if pointer.synthetic is not None:
        return memory.synthetic_target(pointer, target)
    address = to_int(pointer) & (2**64 - 1)
    if isinstance(strip(target), FunctionType):
        return Value(target, b"", address)
    size = strip(target).size
    if noside:
        return Value(target, bytes(size), address)
    return Value(target, memory.read(address, size), address)


def repeat(value: Value, count: Value, memory: Memory, noside: bool = False) -> Value:
    """gdb's ``VALUE@N``: N objects like VALUE, from where VALUE is in memory."""
    if not is_integral(count.type):
        raise EvaluationError('Non-integral right operand for "@" operator.')
    if value.address is None:
        raise EvaluationError("Only values in memory can be extended with '@'.")
    times = to_int(count)
    if times > _INT_MAX:
        raise EvaluationError("Value out of range.")
    if times <= 0:
        raise EvaluationError(f"Invalid number {times} of repetitions.")
    array = ArrayType(value.type, times)
    if array.size > MAX_VALUE_SIZE:
        raise EvaluationError(
            f"value requires {array.size} bytes, which is more than max-value-size")
    data = bytes(array.size) if noside else memory.read(value.address, array.size)
    return Value(array, data, value.address)


def address_of(value: Value) -> Value:
    if value.register is not None:
        raise EvaluationError(
            f"Address requested for identifier which is in register ${value.register}")
    if value.address is None or value.bit_size is not None:
        raise EvaluationError("Attempt to take address of value not located in memory.")
    return from_int(PointerType(value.type), value.address)


def member(value: Value, name: str, memory: Memory, noside: bool = False) -> Value:
    bare = strip(value.type)
    if isinstance(bare, PointerType):
        value = dereference(value, memory, noside)
        bare = strip(value.type)
    if not isinstance(bare, StructType):
        raise EvaluationError(
            "Attempt to extract a component of a value that is not a structure pointer."
            if isinstance(bare, PointerType) else
            "Attempt to extract a component of a value that is not a structure."
        )
    found = _find_member(value, bare, name)
    if found is None:
        raise EvaluationError(f"There is no member named {name}.")
    return found


def _find_member(value: Value, struct: StructType, name: str) -> Value | None:
    """Members by name, looking into anonymous struct and union members as C does."""
    for item in struct.members:
        if item.name == name:
            return member_value(value, item)
        inner = strip(item.type)
        if item.name is None and isinstance(inner, StructType):
            found = _find_member(member_value(value, item), inner, name)
            if found is not None:
                return found
    return None
