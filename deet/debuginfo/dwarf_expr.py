"""A DWARF expression stack machine, for call-frame rules (and variable locations).

It reads registers and memory through callbacks, so it never touches the process itself.
Operations the evaluator does not know raise ``UnsupportedExpressionError``.
"""

from __future__ import annotations

from collections.abc import Callable

MASK = 0xFFFFFFFFFFFFFFFF

ReadRegister = Callable[[int], int]
ReadWord = Callable[[int], int]


class UnsupportedExpressionError(Exception):
    pass


def _uleb(data: bytes, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, position


def _sleb(data: bytes, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            if byte & 0x40:
                result -= 1 << shift
            return result, position


_BINARY = {
    0x1A: lambda a, b: a & b,  # DW_OP_and
    0x1B: lambda a, b: a // b if b else 0,  # DW_OP_div
    0x1C: lambda a, b: a - b,  # DW_OP_minus
    0x1D: lambda a, b: a % b if b else 0,  # DW_OP_mod
    0x1E: lambda a, b: a * b,  # DW_OP_mul
    0x21: lambda a, b: a | b,  # DW_OP_or
    0x22: lambda a, b: a + b,  # DW_OP_plus
    0x24: lambda a, b: a << b,  # DW_OP_shl
    0x25: lambda a, b: a >> b,  # DW_OP_shr
    0x27: lambda a, b: a ^ b,  # DW_OP_xor
    0x29: lambda a, b: int(a == b),  # DW_OP_eq
    0x2A: lambda a, b: int(a >= b),  # DW_OP_ge
    0x2B: lambda a, b: int(a > b),  # DW_OP_gt
    0x2C: lambda a, b: int(a <= b),  # DW_OP_le
    0x2D: lambda a, b: int(a < b),  # DW_OP_lt
    0x2E: lambda a, b: int(a != b),  # DW_OP_ne
}
_FIXED = {0x08: 1, 0x09: -1, 0x0A: 2, 0x0B: -2, 0x0C: 4, 0x0D: -4, 0x0E: 8, 0x0F: -8}


def evaluate(
    expression: bytes,
    read_register: ReadRegister,
    read_word: ReadWord,
    initial: list[int] | None = None,
) -> int:
    """The value left on top of the stack: for a location, an address."""
    stack = list(initial or [])
    position = 0
    while position < len(expression):
        op = expression[position]
        position += 1
        if 0x30 <= op <= 0x4F:  # DW_OP_lit0..31
            stack.append(op - 0x30)
        elif 0x70 <= op <= 0x8F:  # DW_OP_breg0..31
            offset, position = _sleb(expression, position)
            stack.append((read_register(op - 0x70) + offset) & MASK)
        elif op == 0x92:  # DW_OP_bregx
            register, position = _uleb(expression, position)
            offset, position = _sleb(expression, position)
            stack.append((read_register(register) + offset) & MASK)
        elif op == 0x03:  # DW_OP_addr
            stack.append(int.from_bytes(expression[position : position + 8], "little"))
            position += 8
        elif op in _FIXED:  # DW_OP_const1u .. const8s
            size = abs(_FIXED[op])
            raw = expression[position : position + size]
            stack.append(int.from_bytes(raw, "little", signed=_FIXED[op] < 0))
            position += size
        elif op == 0x10:  # DW_OP_constu
            value, position = _uleb(expression, position)
            stack.append(value)
        elif op == 0x11:  # DW_OP_consts
            value, position = _sleb(expression, position)
            stack.append(value)
        elif op == 0x12:  # DW_OP_dup
            stack.append(stack[-1])
        elif op == 0x13:  # DW_OP_drop
            stack.pop()
        elif op == 0x14:  # DW_OP_over
            stack.append(stack[-2])
        elif op == 0x16:  # DW_OP_swap
            stack[-1], stack[-2] = stack[-2], stack[-1]
        elif op == 0x06:  # DW_OP_deref
            stack.append(read_word(stack.pop()))
        elif op == 0x23:  # DW_OP_plus_uconst
            value, position = _uleb(expression, position)
            stack.append((stack.pop() + value) & MASK)
        elif op == 0x1F:  # DW_OP_neg
            stack.append(-stack.pop() & MASK)
        elif op == 0x20:  # DW_OP_not
            stack.append(~stack.pop() & MASK)
        elif op in _BINARY:
            right, left = stack.pop(), stack.pop()
            stack.append(_BINARY[op](left, right) & MASK)
        else:
            raise UnsupportedExpressionError(f"DWARF operation {op:#x}")
    if not stack:
        raise UnsupportedExpressionError("empty expression")
    return stack[-1]
