"""``whatis`` and ``ptype``: the type of an expression or of a type name, as gdb shows it.

``whatis`` names the type (a type name given to it loses one level of typedef, as in
gdb); ``ptype`` looks through typedefs wherever the type is built from them (the target
of a pointer, an array's elements, a function's return) and writes out the struct, union
or enum it comes to, member by member, with nested anonymous types written out too.
"""

from __future__ import annotations

from dataclasses import replace

from deet.debugger.cexpr import EvalError, parse, tokenize, type_of
from deet.debugger.cexpr.typename import TypeReader, starts_type
from deet.debugger.core import Debugger
from deet.debugger.errors import DebuggerError
from deet.debugger.frames import FrameContext
from deet.debugger.inspection import frame_context
from deet.debuginfo.types import (
    ArrayType,
    EnumType,
    FunctionType,
    PointerType,
    QualifiedType,
    StructType,
    Type,
    TypedefType,
    declare,
    qualified_elements,
    type_name,
)
from deet.results import TypeBody, TypeMember, TypeShown


def describe(debugger: Debugger, text: str, expand: bool) -> TypeShown:
    """``ptype TEXT`` (``expand``) or ``whatis TEXT``."""
    type_ = _type(debugger, text, whatis=not expand)
    if not expand:
        return TypeShown(type_name(type_))
    resolved = resolve_typedefs(type_)
    base = _base(resolved)
    if not isinstance(base, StructType | EnumType):
        return TypeShown(type_name(resolved))
    full = type_name(resolved)
    head = type_name(base)
    suffix = full[len(head):] if full.startswith(head) else ""
    return TypeShown(full, body(base), suffix)


def _type(debugger: Debugger, text: str, whatis: bool) -> Type:
    context = frame_context(debugger)
    try:
        if not text.strip():
            if not debugger.history:
                raise DebuggerError("The history is empty.")
            return debugger.history[-1].type
        named = _type_name(text, context)
        if named is not None:
            if whatis and isinstance(named, TypedefType):
                return named.target
            return named
        return type_of(text, context).type
    except EvalError as exc:
        raise DebuggerError(str(exc)) from exc


def _type_name(text: str, context: FrameContext) -> Type | None:
    """The type ``text`` names when it is all a type name (``struct node *``), else None."""
    tokens = tokenize(text)
    if not tokens or not starts_type(tokens[0], context.named_type):
        return None

    def syntax_error(_position: int) -> EvalError:
        # Not a type name after all: let the expression parser say what is wrong.
        parse(text, context.named_type, context.knows)
        return EvalError(f"A syntax error in expression, near `{text.strip()}'.")

    reader = TypeReader(tokens, 0, context.named_type, syntax_error)
    type_ = reader.read()
    if reader.position != len(tokens):
        raise syntax_error(reader.position)
    return type_


def resolve_typedefs(type_: Type, nested: bool = False) -> Type:
    """``type_`` with the typedefs it is built from looked through (not those of a
    function's parameters, nor of members, which ``ptype`` names as declared). gdb's
    way with a qualified typedef a pointer points to or an array holds: looked through,
    it loses its qualifiers (``ptype`` of a ``const int_ptr *`` is ``int **``); one at
    the top keeps them."""
    if isinstance(type_, QualifiedType):
        type_ = qualified_elements(type_)
    if nested and isinstance(_unqualified(type_), TypedefType):
        type_ = _unqualified(type_)
    while isinstance(type_, TypedefType):
        type_ = type_.target
    if isinstance(type_, PointerType):
        return PointerType(resolve_typedefs(type_.target, nested=True), type_.size)
    if isinstance(type_, ArrayType):
        return ArrayType(resolve_typedefs(type_.element, nested=True), type_.count)
    if isinstance(type_, QualifiedType):
        return QualifiedType(type_.qualifier, resolve_typedefs(type_.target, nested))
    if isinstance(type_, FunctionType):
        return replace(type_, returns=resolve_typedefs(type_.returns))
    return type_


def _unqualified(type_: Type) -> Type:
    while isinstance(type_, QualifiedType):
        type_ = type_.target
    return type_


def _base(type_: Type) -> Type:
    """What a declarator is built around: ``struct node`` for ``struct node *[3]``."""
    while True:
        if isinstance(type_, PointerType | QualifiedType):
            type_ = type_.target
        elif isinstance(type_, ArrayType):
            type_ = type_.element
        elif isinstance(type_, FunctionType):
            type_ = type_.returns
        else:
            return type_


def body(type_: StructType | EnumType, nested: bool = False) -> TypeBody:
    """The type written out; its members' anonymous types too, but not theirs (gdb:
    ``struct {...} parts`` two levels down)."""
    if isinstance(type_, EnumType):
        enumerators: list[tuple[str, int | None]] = []
        expected = 0
        for name, value in type_.enumerators:
            enumerators.append((name, None if value == expected else value))
            expected = value + 1
        return TypeBody(_head(type_), enumerators=tuple(enumerators))
    members = []
    for member in type_.members:
        inner = _base(member.type)
        if isinstance(inner, StructType | EnumType) and inner.name is None and not nested:
            around = declare(member.type, member.name or "")
            head = type_name(inner)
            members.append(TypeMember(around[len(head):] if around.startswith(head) else "",
                                      member.bit_size, body(inner, nested=True)))
        else:
            members.append(TypeMember(declare(member.type, member.name or ""), member.bit_size))
    return TypeBody(_head(type_), tuple(members))


def _head(type_: StructType | EnumType) -> str:
    """``struct node``, or ``union`` for an anonymous one (gdb writes no name)."""
    keyword = type_.keyword if isinstance(type_, StructType) else "enum"
    return f"{keyword} {type_.name}" if type_.name else keyword
