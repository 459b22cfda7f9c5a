"""Runs a parsed expression (``parser.Program``) against the program being debugged.

A loop over the code with a stack of values: as deep as an expression's nesting, and no
deeper on the Python stack. What the machine needs from the debugger is a ``Context``.
"""

from __future__ import annotations

from typing import Protocol

from deet.debugger.cexpr.access import address_of, at, dereference, member, repeat
from deet.debugger.cexpr.arith import add, binary, boolean, cast, no_operator, truth, unary
from deet.debugger.cexpr.parser import Program
from deet.debugger.cexpr.typename import CHAR
from deet.debugger.values import EvaluationError, Value, element_value, from_int, to_int
from deet.debuginfo.types import (
    INT,
    ArrayType,
    FunctionType,
    PointerType,
    StructType,
    Type,
    strip,
)


class Context(Protocol):
    """What evaluation needs from the debugger: names, memory, registers, history."""

    def variable(self, name: str) -> Value: ...

    def knows(self, name: str) -> bool: ...

    def scoped(self, scope: str, name: str, is_file: bool) -> Value: ...

    def named_type(self, kind: str, name: str) -> Type | None: ...

    def read(self, address: int, size: int) -> bytes: ...

    def register(self, name: str) -> Value: ...

    def history(self, index: int, relative: bool) -> Value: ...

    def synthetic_target(self, pointer: Value, target: Type) -> Value: ...

    def assign(self, target: Value, value: Value) -> Value: ...

    def call(self, function: Value, arguments: list[Value], returns: Type | None) -> Value: ...


def run(program: Program, context: Context, noside: bool = False) -> Value:
    """The expression's value; with ``noside``, only its type is meant (``whatis``):
    nothing is written, called or read that need not be."""
    stack: list[Value] = []
    quiet = 1 if noside else 0
    code = program.code
    pc = 0
    while pc < len(code):
        op, arg = code[pc]
        pc += 1
        if op == "and" or op == "or":
            operand = stack.pop()
            no_operator("&&" if op == "and" else "||", operand)
            flag = truth(operand)
            if flag == (op == "or"):
                stack.append(boolean(flag))
                pc = int(arg)  # type: ignore[call-overload]
        elif op == "unless":
            if not truth(stack.pop()):
                pc = int(arg)  # type: ignore[call-overload]
        elif op == "jump":
            pc = int(arg)  # type: ignore[call-overload]
        elif op == "noside":
            quiet += 1
        elif op == "sizeof":
            quiet -= 1
            stack.append(_size(stack.pop()))
        elif op == "call":
            # A cast of the call names what a function without debug info returns.
            following = code[pc] if pc < len(code) else None
            returns = following[1] if following is not None and following[0] == "cast" else None
            arguments = [stack.pop() for _ in range(int(arg))][::-1]  # type: ignore[call-overload]
            function = stack.pop()
            stack.append(_returned(function) if quiet else
                         context.call(function, arguments, returns))  # type: ignore[arg-type]
        else:
            _step(op, arg, stack, context, quiet > 0)
    assert len(stack) == 1
    return stack[0]


def _step(op: str, arg: object, stack: list[Value], context: Context, quiet: bool) -> None:
    if op == "push":
        assert isinstance(arg, Value)
        stack.append(arg)
    elif op == "string":
        assert isinstance(arg, bytes)
        stack.append(Value(ArrayType(CHAR, len(arg) + 1), arg + b"\0"))
    elif op == "name":
        stack.append(_name(str(arg), context))
    elif op == "scoped":
        scope, name, is_file = arg  # type: ignore[misc]
        stack.append(context.scoped(scope, name, is_file))
    elif op == "bool":
        stack.append(boolean(truth(stack.pop())))
    elif op == "binary":
        right = stack.pop()
        left = stack.pop()
        if arg == "@":
            stack.append(repeat(left, right, context, quiet))
        elif arg == ",":
            stack.append(right)
        else:
            stack.append(binary(str(arg), left, right))
    elif op == "prefix":
        stack.append(_prefix(str(arg), stack.pop(), context, quiet))
    elif op == "postfix":
        target = stack.pop()
        _update(context, target, add(str(arg)[0], target, boolean(True)), quiet)
        stack.append(target)
    elif op == "assign":
        value = stack.pop()
        target = stack.pop()
        if arg != "=":
            value = binary(str(arg)[:-1], target, value)
        stack.append(_update(context, target, value, quiet))
    elif op == "cast":
        stack.append(cast(stack.pop(), arg))  # type: ignore[arg-type]
    elif op == "brace":
        pointer = stack.pop()
        stack.append(at(arg, cast(pointer, PointerType(arg)), context, quiet))  # type: ignore[arg-type]
    elif op == "member":
        stack.append(member(stack.pop(), str(arg), context, quiet))
    elif op == "index":
        index = stack.pop()
        stack.append(_index(stack.pop(), index, context, quiet))
    else:
        raise EvaluationError(f"Unknown operation {op}.")


def _index(array: Value, index: Value, context: Context, quiet: bool) -> Value:
    """``a[i]``: ``*(a + i)``, or an element of an array not in memory (``"abc"[1]``)."""
    bare = strip(array.type)
    if isinstance(bare, ArrayType) and array.address is None:
        number = to_int(index)
        if not 0 <= number < (bare.count or 0):
            raise EvaluationError("no such vector element")
        return element_value(array, bare.element, number)
    return dereference(add("+", array, index), context, quiet)


def _name(text: str, context: Context) -> Value:
    if text == "$":
        return context.history(0, relative=True)
    if text.startswith("$$"):
        return context.history(int(text[2:] or 1), relative=True)
    if text.startswith("$") and text[1:].isdigit():
        return context.history(int(text[1:]), relative=False)
    if text.startswith("$"):
        return context.register(text[1:])
    return context.variable(text)


def _prefix(op: str, operand: Value, context: Context, quiet: bool) -> Value:
    if op == "*":
        return dereference(operand, context, quiet)
    if op == "&":
        return address_of(operand)
    if op in ("++", "--"):
        return _update(context, operand, add(op[0], operand, boolean(True)), quiet)
    return unary(op, operand)


def _update(context: Context, target: Value, value: Value, quiet: bool) -> Value:
    """``target = value`` (C converts ``value`` to the target's type); under ``quiet``
    nothing is written."""
    if target.address is None and target.register is None and target.dollar is None:
        raise EvaluationError("Left operand of assignment is not an lvalue.")
    if quiet:
        return cast(value, target.type) if _is_scalar(target.type) else target
    return context.assign(target, value)


def _is_scalar(type_: Type) -> bool:
    return not isinstance(strip(type_), StructType | ArrayType)


def _size(value: Value) -> Value:
    return from_int(INT, max(strip(value.type).size, 1))


def _returned(function: Value) -> Value:
    bare = strip(function.type)
    if isinstance(bare, PointerType):
        bare = strip(bare.target)
    if not isinstance(bare, FunctionType):
        raise EvaluationError("Cannot call a value that is not a function.")
    return from_int(bare.returns, 0) if strip(bare.returns).size else Value(bare.returns, b"")
