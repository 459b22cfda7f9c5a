"""The C expressions ``print`` and breakpoint conditions accept, parsed and evaluated.

Names, ``*p``, ``&x``, ``a[i]``, ``s.f``, ``p->f``, integer and character literals,
``+ - * / %``, unary ``- ! ~``, comparisons, ``VALUE@N``, parentheses, ``$N`` history
and ``$reg`` registers. Arithmetic follows C's conversions (and gdb's: a float operand keeps the
float type); errors are gdb's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from deet.debugger.values import (
    EvaluationError,
    Value,
    from_float,
    from_int,
    member_value,
    to_float,
    to_int,
)
from deet.debuginfo.types import (
    INT,
    LONG,
    UNSIGNED_LONG,
    ArrayType,
    BaseType,
    Encoding,
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

EvalError = EvaluationError

_TOKEN = re.compile(
    r"\s*(?:(?P<number>0[xX][0-9a-fA-F]+|\d+)[uUlL]*"
    r"|(?P<char>'(?:\\.|[^\\'])+')"
    r"|(?P<name>\$*[A-Za-z_][A-Za-z0-9_]*|\$\$?\d*)"
    r"|(?P<op>->|==|!=|<=|>=|[-+*/%&!~<>\[\]().@]))"
)
_ESCAPES = {"n": 10, "t": 9, "r": 13, "a": 7, "b": 8, "f": 12, "v": 11, "e": 27,
            "\\": 92, "'": 39, '"': 34, "0": 0}


class Context(Protocol):
    """What evaluation needs from the debugger: names, memory, registers, history."""

    def variable(self, name: str) -> Value: ...

    def read(self, address: int, size: int) -> bytes: ...

    def register(self, name: str) -> Value: ...

    def history(self, index: int, relative: bool) -> Value: ...

    def synthetic_target(self, pointer: Value, target: Type) -> Value: ...


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokenize(text: str) -> list[Token]:
    tokens = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise EvalError(f"Invalid character '{text[position:].strip()[:1]}' in expression.")
        kind = match.lastgroup or "op"
        tokens.append(Token(kind, match[kind]))
        position = match.end()
    return tokens


def evaluate(text: str, context: Context) -> Value:
    parser = _Parser(tokenize(text), context)
    if not parser.tokens:
        raise EvalError("Argument required (expression to compute).")
    value = parser.comparison()
    if parser.position < len(parser.tokens):
        raise parser.syntax_error()
    return value


class _Parser:
    """Recursive descent that evaluates as it parses (C expressions have no side effects
    here, so there is nothing to gain from a tree)."""

    def __init__(self, tokens: list[Token], context: Context) -> None:
        self.tokens = tokens
        self.position = 0
        self.context = context

    def peek(self) -> Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def accept(self, *ops: str) -> str | None:
        token = self.peek()
        if token is not None and token.kind == "op" and token.text in ops:
            self.position += 1
            return token.text
        return None

    def syntax_error(self) -> EvalError:
        rest = " ".join(t.text for t in self.tokens[self.position :])
        return EvalError(f"A syntax error in expression, near `{rest}'.")

    def comparison(self) -> Value:
        left = self.artificial()
        while op := self.accept("==", "!=", "<", "<=", ">", ">="):
            left = compare(op, left, self.artificial())
        return left

    def artificial(self) -> Value:
        """gdb's ``VALUE@N``: N objects like VALUE, from where VALUE is in memory."""
        left = self.additive()
        while self.accept("@"):
            left = repeat(left, self.additive(), self.context)
        return left

    def additive(self) -> Value:
        left = self.multiplicative()
        while op := self.accept("+", "-"):
            left = add(op, left, self.multiplicative())
        return left

    def multiplicative(self) -> Value:
        left = self.unary()
        while op := self.accept("*", "/", "%"):
            left = arithmetic(op, left, self.unary())
        return left

    def unary(self) -> Value:
        op = self.accept("-", "+", "!", "~", "*", "&")
        if op is None:
            return self.postfix()
        operand = self.unary()
        if op == "*":
            return dereference(operand, self.context)
        if op == "&":
            return address_of(operand)
        return unary(op, operand)

    def postfix(self) -> Value:
        value = self.primary()
        while op := self.accept("[", ".", "->"):
            if op == "[":
                index = self.comparison()
                if not self.accept("]"):
                    raise self.syntax_error()
                value = dereference(add("+", value, index), self.context)
            else:
                token = self.peek()
                if token is None or token.kind != "name":
                    raise self.syntax_error()
                self.position += 1
                value = member(value, token.text, self.context)
        return value

    def primary(self) -> Value:
        token = self.peek()
        if token is None:
            raise self.syntax_error()
        if self.accept("("):
            value = self.comparison()
            if not self.accept(")"):
                raise self.syntax_error()
            return value
        if token.kind == "op":
            raise self.syntax_error()
        self.position += 1
        if token.kind == "number":
            return integer_literal(token.text)
        if token.kind == "char":
            return from_int(BaseType("char", 1, Encoding.SIGNED_CHAR), _char_literal(token.text))
        return self.name(token.text)

    def name(self, text: str) -> Value:
        if text == "$":
            return self.context.history(0, relative=True)
        if text.startswith("$$"):
            return self.context.history(int(text[2:] or 1), relative=True)
        if text.startswith("$") and text[1:].isdigit():
            return self.context.history(int(text[1:]), relative=False)
        if text.startswith("$"):
            return self.context.register(text[1:])
        return self.context.variable(text)


def integer_literal(text: str) -> Value:
    number = int(text, 0) if not re.fullmatch(r"0\d+", text) else int(text, 8)
    for type_ in (INT, LONG, UNSIGNED_LONG):
        bits = type_.size * 8
        limit = 1 << (bits - 1) if type_.signed else 1 << bits
        if number < limit:
            return from_int(type_, number)
    raise EvalError("Numeric constant too large.")


def _char_literal(text: str) -> int:
    body = text[1:-1]
    if not body.startswith("\\"):
        return ord(body[0]) if len(body) == 1 else ord(body[-1])
    escape = body[1:]
    if escape[:1] in "01234567" and escape:
        return int(escape, 8) & 0xFF
    if escape[:1] == "x":
        return int(escape[1:], 16) & 0xFF
    return _ESCAPES.get(escape, ord(escape[:1] or "\\"))


# -- operations -----------------------------------------------------------------------------


def decay(value: Value) -> Value:
    """An array used as a value is a pointer to its first element; a function, to itself."""
    bare = strip(value.type)
    if isinstance(bare, ArrayType):
        if value.address is None:
            raise EvalError("Attempt to take address of value not located in memory.")
        return from_int(PointerType(bare.element), value.address)
    if isinstance(bare, FunctionType):
        return from_int(PointerType(value.type), value.address or 0)
    return value


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
        raise EvalError("Argument to arithmetic operation not a number or boolean.")


def arithmetic(op: str, left: Value, right: Value) -> Value:
    _require_number(left)
    _require_number(right)
    result = common_type(left.type, right.type)
    if is_float(result):
        a, b = to_float(left), to_float(right)
        if op == "%":
            raise EvalError("Integer only operation %.")
        if op == "/" and b == 0:
            return from_float(result, float("inf") if a else float("nan"))
        return from_float(result, {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else 0}[op])
    a, b = _as(result, left), _as(result, right)
    if op in "/%" and b == 0:
        raise EvalError("Division by zero")
    if op == "+":
        number = a + b
    elif op == "-":
        number = a - b
    elif op == "*":
        number = a * b
    else:
        quotient = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
        number = quotient if op == "/" else a - quotient * b
    return from_int(result, number)


def _as(type_: Type, value: Value) -> int:
    """The operand's integer converted to ``type_`` (C conversion: wrap to its width)."""
    number = to_int(value)
    converted = to_int(from_int(type_, number))
    return converted


def add(op: str, left: Value, right: Value) -> Value:
    left, right = decay(left), decay(right)
    lp = isinstance(strip(left.type), PointerType)
    rp = isinstance(strip(right.type), PointerType)
    if lp and rp and op == "-":
        size = _target_size(left)
        return from_int(LONG, (to_int(left) - to_int(right)) // size)
    if lp or rp:
        pointer, offset = (left, right) if lp else (right, left)
        if (rp and op == "-") or not is_integral(offset.type):
            raise EvalError("Argument to arithmetic operation not a number or boolean.")
        step = to_int(offset) * _target_size(pointer)
        address = to_int(pointer) + (step if op == "+" else -step)
        return from_int(pointer.type, address)
    return arithmetic(op, left, right)


def _target_size(pointer: Value) -> int:
    target = strip(strip(pointer.type).target)  # type: ignore[union-attr]
    if isinstance(target, FunctionType | VoidType):
        return 1
    return max(target.size, 1)


def compare(op: str, left: Value, right: Value) -> Value:
    left, right = decay(left), decay(right)
    if any(isinstance(strip(v.type), PointerType) for v in (left, right)):
        a, b = to_int(left) & (2**64 - 1), to_int(right) & (2**64 - 1)
    else:
        _require_number(left)
        _require_number(right)
        result = common_type(left.type, right.type)
        if is_float(result):
            a, b = to_float(left), to_float(right)  # type: ignore[assignment]
        else:
            a, b = _as(result, left), _as(result, right)
    outcome = {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}
    return from_int(INT, int(outcome[op]))


def unary(op: str, operand: Value) -> Value:
    operand = decay(operand)
    if op == "!":
        return from_int(INT, int(not to_int(operand) if not is_float(operand.type)
                                 else not to_float(operand)))
    _require_number(operand)
    if is_float(operand.type):
        number = to_float(operand)
        return from_float(strip(operand.type), -number if op == "-" else number)
    # gdb promotes only what is narrower than int: an enum keeps its type (-POS is NEG).
    bare = strip(operand.type)
    type_ = bare if isinstance(bare, EnumType) and bare.size >= 4 else promote(operand.type)
    number = _as(type_, operand)
    if op == "~":
        if is_float(type_):
            raise EvalError("Argument to complement operation not an integer, boolean.")
        return from_int(type_, ~number)
    return from_int(type_, -number if op == "-" else number)


def dereference(value: Value, context: Context) -> Value:
    value = decay(value)
    bare = strip(value.type)
    if isinstance(bare, PointerType):
        target = bare.target
        if isinstance(strip(target), VoidType):
            raise EvalError("Attempt to dereference a generic pointer.")
    elif is_integral(value.type):
        target = LONG if bare.size == 8 else INT
    else:
        raise EvalError("Attempt to take contents of a non-pointer value.")
    if value.synthetic is not None:
        return context.synthetic_target(value, target)
    address = to_int(value) & (2**64 - 1)
    if isinstance(strip(target), FunctionType):
        return Value(target, b"", address)
    size = strip(target).size
    return Value(target, context.read(address, size), address)


def repeat(value: Value, count: Value, context: Context) -> Value:
    if value.address is None:
        raise EvalError("Only values in memory can be extended with '@'.")
    if not is_integral(count.type):
        raise EvalError("Argument to arithmetic operation not a number or boolean.")
    times = to_int(count)
    if times <= 0:
        raise EvalError(f"Invalid number {times} of repetitions.")
    array = ArrayType(value.type, times)
    return Value(array, context.read(value.address, array.size), value.address)


def address_of(value: Value) -> Value:
    if value.register is not None:
        raise EvalError(f"Address requested for identifier which is in register ${value.register}")
    if value.address is None or value.bit_size is not None:
        raise EvalError("Attempt to take address of value not located in memory.")
    return from_int(PointerType(value.type), value.address)


def member(value: Value, name: str, context: Context) -> Value:
    bare = strip(value.type)
    if isinstance(bare, PointerType):
        value = dereference(value, context)
        bare = strip(value.type)
    if not isinstance(bare, StructType):
        raise EvalError(
            "Attempt to extract a component of a value that is not a structure."
            if not isinstance(bare, PointerType) else
            "Attempt to extract a component of a value that is not a structure pointer."
        )
    found = _find_member(value, bare, name)
    if found is None:
        raise EvalError(f"There is no member named {name}.")
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
