"""C arithmetic on values: the usual conversions, operators, comparisons and casts.

Follows C (and gdb where it differs: a float operand keeps the float type; an enum keeps
its type under unary minus; a cast between a float and a pointer keeps the bits). Errors
are gdb's wording.
"""

from __future__ import annotations

import math

from deet.debugger.values import (
    EvaluationError,
    Value,
    from_float,
    from_int,
    to_float,
    to_int,
)
from deet.debuginfo.types import (
    INT,
    LONG,
    ArrayType,
    BaseType,
    EnumType,
    FunctionType,
    PointerType,
    StructType,
    Type,
    VoidType,
    is_float,
    is_integral,
    strip,
)

_NOT_A_NUMBER = "Argument to arithmetic operation not a number or boolean."
_INTEGER_ONLY = "Integer-only operation on floating point number."


def decay(value: Value) -> Value:
    """An array used as a value is a pointer to its first element; a function, to itself."""
    bare = strip(value.type)
    if isinstance(bare, ArrayType):
        if value.address is None:
            raise EvaluationError("Attempt to take address of value not located in memory.")
        return from_int(PointerType(bare.element), value.address)
    if isinstance(bare, FunctionType):
        return from_int(PointerType(value.type), value.address or 0)
    return value


def is_pointer(value: Value) -> bool:
    return isinstance(strip(value.type), PointerType)


def promote(type_: Type) -> Type:
    bare = strip(type_)
    if isinstance(bare, EnumType):
        return INT if bare.size <= 4 else LONG
    if isinstance(bare, BaseType) and not is_float(bare) and bare.size < 4:
        return INT
    return bare


def common_type(left: Type, right: Type) -> Type:
    """C's usual arithmetic conversions (a float operand wins, the larger float first)."""
    a, b = promote(left), promote(right)
    if is_float(a) or is_float(b):
        floats = [t for t in (a, b) if is_float(t)]
        return max(floats, key=lambda t: t.size)
    assert isinstance(a, BaseType) and isinstance(b, BaseType)
    if a.size != b.size:
        return a if a.size > b.size else b
    return a if not a.signed else b


def _require_number(value: Value) -> None:
    if not (is_integral(value.type) or is_float(value.type)):
        raise EvaluationError(_NOT_A_NUMBER)


def convert(type_: Type, value: Value) -> int:
    """The operand's integer converted to ``type_`` (C conversion: wrap to its width)."""
    return to_int(from_int(type_, to_int(value)))


def truth(value: Value) -> bool:
    if isinstance(strip(value.type), StructType):
        # gdb's value_logical_not: an aggregate is true when any of its bytes is not 0.
        return any(value.data or b"")
    value = decay(value)
    if is_float(value.type):
        return to_float(value) != 0
    if not (is_integral(value.type) or is_pointer(value)):
        raise EvaluationError(_NOT_A_NUMBER)
    return to_int(value) != 0


def boolean(flag: bool) -> Value:
    return from_int(INT, int(flag))


def no_operator(op: str, *operands: Value) -> None:
    """gdb looks for a C++ operator on a struct operand, in C too, and says so."""
    if any(isinstance(bare := strip(v.type), StructType) and bare.keyword == "struct"
           for v in operands):
        raise EvaluationError(f"Structure has no component named operator{op}.")


def binary(op: str, left: Value, right: Value) -> Value:
    """``+ - * / % << >> & | ^`` and the comparisons."""
    no_operator(op, left, right)
    if op in ("==", "!=", "<", "<=", ">", ">="):
        return compare(op, left, right)
    if op in ("+", "-"):
        return add(op, left, right)
    left, right = decay(left), decay(right)
    _require_number(left)
    _require_number(right)
    if op in ("<<", ">>"):
        return _shift(op, left, right)
    result = common_type(left.type, right.type)
    if is_float(result):
        if op not in ("*", "/"):
            raise EvaluationError(_INTEGER_ONLY)
        a, b = to_float(left), to_float(right)
        if op == "*":
            return from_float(result, a * b)
        if b == 0:
            return from_float(result, math.copysign(math.inf, a) if a else math.nan)
        return from_float(result, a / b)
    a, b = convert(result, left), convert(result, right)
    if op in ("/", "%") and b == 0:
        raise EvaluationError("Division by zero")
    if op == "*":
        number = a * b
    elif op in ("/", "%"):
        quotient = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
        number = quotient if op == "/" else a - quotient * b
    else:
        number = {"&": a & b, "|": a | b, "^": a ^ b}[op]
    return from_int(result, number)


def _shift(op: str, left: Value, right: Value) -> Value:
    if is_float(left.type) or is_float(right.type):
        raise EvaluationError(_INTEGER_ONLY)
    # As for unary minus, gdb keeps an int-sized enum's type (``ZERO << 1`` is ZERO).
    bare = strip(left.type)
    type_ = bare if isinstance(bare, EnumType) and bare.size >= 4 else promote(left.type)
    count = to_int(right)
    if count < 0 or count >= strip(type_).size * 8:
        # gdb warns ("left shift count >= width of type") and gives 0.
        return from_int(type_, 0)
    number = convert(type_, left)
    return from_int(type_, number << count if op == "<<" else number >> count)


def add(op: str, left: Value, right: Value) -> Value:
    left, right = decay(left), decay(right)
    lp, rp = is_pointer(left), is_pointer(right)
    if lp and rp and op == "-":
        return from_int(LONG, (to_int(left) - to_int(right)) // _target_size(left))
    if lp or rp:
        pointer, offset = (left, right) if lp else (right, left)
        if (rp and op == "-") or not is_integral(offset.type):
            raise EvaluationError(_NOT_A_NUMBER)
        step = to_int(offset) * _target_size(pointer)
        return from_int(pointer.type, to_int(pointer) + (step if op == "+" else -step))
    _require_number(left)
    _require_number(right)
    result = common_type(left.type, right.type)
    if is_float(result):
        a, b = to_float(left), to_float(right)
        return from_float(result, a + b if op == "+" else a - b)
    a, b = convert(result, left), convert(result, right)
    return from_int(result, a + b if op == "+" else a - b)


def _target_size(pointer: Value) -> int:
    target = strip(strip(pointer.type).target)  # type: ignore[union-attr]
    if isinstance(target, FunctionType | VoidType):
        return 1
    return max(target.size, 1)


def compare(op: str, left: Value, right: Value) -> Value:
    bare = strip(left.type)
    if op in ("==", "!=") and isinstance(bare, StructType) and \
            strip(right.type).size == bare.size:
        # gdb compares a union with one of its size byte for byte.
        return boolean((left.data == right.data) == (op == "=="))
    left, right = decay(left), decay(right)
    a: int | float
    b: int | float
    if is_pointer(left) or is_pointer(right):
        for value in (left, right):
            if not (is_pointer(value) or is_integral(value.type)):
                raise EvaluationError(_NOT_A_NUMBER)
        a, b = to_int(left) & (2**64 - 1), to_int(right) & (2**64 - 1)
    else:
        _require_number(left)
        _require_number(right)
        result = common_type(left.type, right.type)
        if is_float(result):
            a, b = to_float(left), to_float(right)
        else:
            a, b = convert(result, left), convert(result, right)
    outcome = {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}
    return boolean(outcome[op])


def unary(op: str, operand: Value) -> Value:
    no_operator(op, operand)
    if op == "!":
        return boolean(not truth(operand))
    operand = decay(operand)
    number_like = is_integral(operand.type) or is_float(operand.type)
    if op == "~" and (is_float(operand.type) or not number_like):
        raise EvaluationError("Argument to complement operation not an integer, boolean.")
    if not number_like:
        word = "negate" if op == "-" else "positive"
        raise EvaluationError(f"Argument to {word} operation not a number.")
    if is_float(operand.type):
        number = to_float(operand)
        return from_float(strip(operand.type), -number if op == "-" else number)
    # gdb promotes only what is narrower than int: an enum keeps its type (-POS is NEG).
    bare = strip(operand.type)
    type_ = bare if isinstance(bare, EnumType) and bare.size >= 4 else promote(operand.type)
    number = convert(type_, operand)
    if op == "~":
        return from_int(type_, ~number)
    return from_int(type_, -number if op == "-" else number)


def cast(value: Value, type_: Type) -> Value:
    """``(TYPE) value``: C's conversions; between a float and a pointer, and from an
    aggregate to a scalar, gdb keeps the bytes, and so does deet."""
    target = strip(type_)
    if isinstance(target, VoidType):
        return Value(type_, b"")
    source = strip(value.type)
    if isinstance(target, StructType | ArrayType):
        if isinstance(source, StructType) and isinstance(target, StructType) and (
                source is target or (source.name, source.keyword) == (target.name, target.keyword)):
            return Value(type_, value.data, value.address)
        raise EvaluationError("Invalid cast.")
    if isinstance(source, StructType) or (
            isinstance(target, PointerType) and is_float(source)) or (
            is_float(target) and isinstance(source, PointerType)):
        data = value.data if value.data is not None else b""
        return Value(type_, data[: target.size].ljust(target.size, b"\0"))
    value = decay(value)
    if is_float(target):
        return from_float(type_, to_float(value))
    if not (is_integral(value.type) or is_pointer(value) or is_float(value.type)):
        raise EvaluationError("Invalid cast.")
    return from_int(type_, to_int(value))


def assigned(target: Value, value: Value) -> Value:
    """``value`` as ``target`` stores it: converted to its type, and for a bit-field, the
    bytes holding it with its bits replaced."""
    bare = strip(target.type)
    if isinstance(bare, StructType | ArrayType):
        source = strip(value.type)
        same = source is bare or (
            isinstance(source, StructType) and isinstance(bare, StructType)
            and (source.name, source.keyword, source.size) == (bare.name, bare.keyword, bare.size)
        ) or (isinstance(source, ArrayType) and source.size == bare.size)
        if not same or value.data is None:
            raise EvaluationError("Invalid cast.")
        return Value(target.type, value.data)
    converted = cast(value, target.type)
    if target.bit_size is None or target.data is None:
        return converted
    mask = (1 << target.bit_size) - 1
    container = int.from_bytes(target.data, "little")
    container &= ~(mask << target.bit_offset)
    container |= (to_int(converted) & mask) << target.bit_offset
    data = container.to_bytes(len(target.data), "little")
    return Value(target.type, data, bit_size=target.bit_size, bit_offset=target.bit_offset)
