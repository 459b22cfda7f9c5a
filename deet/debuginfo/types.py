"""A small model of C types, built from DWARF type DIEs, and C's way of naming them.

The model is what ``print`` needs: sizes and encodings to decode bytes, members and
enumerators to show them, and a C declarator to name a type as gdb does (``int (*)[3]``).
Struct types are mutable while being read, so a struct can point to itself.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field


class Encoding(enum.Enum):
    SIGNED = "signed"
    UNSIGNED = "unsigned"
    SIGNED_CHAR = "signed char"
    UNSIGNED_CHAR = "unsigned char"
    BOOLEAN = "boolean"
    FLOAT = "float"


@dataclass(frozen=True)
class VoidType:
    size: int = 1


@dataclass(frozen=True)
class BaseType:
    name: str
    size: int
    encoding: Encoding

    @property
    def is_char(self) -> bool:
        return self.encoding in (Encoding.SIGNED_CHAR, Encoding.UNSIGNED_CHAR)

    @property
    def signed(self) -> bool:
        return self.encoding in (Encoding.SIGNED, Encoding.SIGNED_CHAR)


@dataclass(frozen=True, eq=False)
class PointerType:
    target: Type
    size: int = 8


@dataclass(frozen=True, eq=False)
class ArrayType:
    element: Type
    count: int | None

    @property
    def size(self) -> int:
        return (self.count or 0) * self.element.size


@dataclass(frozen=True)
class Member:
    name: str | None
    type: Type
    offset: int
    bit_size: int | None = None
    bit_offset: int = 0


@dataclass(eq=False)
class StructType:
    """A struct or a union (``keyword``). Its members are read when first asked for: a
    frame's variables have types whose structs nest hundreds of members (CPython's
    ``PyObject``, ``PyInterpreterState``), and most are never printed."""

    keyword: str
    name: str | None
    size: int
    read_members: Callable[[], list[Member]] | None = field(default=None, repr=False)
    _members: list[Member] | None = field(default=None, repr=False)

    @property
    def members(self) -> list[Member]:
        if self._members is None:
            self._members = self.read_members() if self.read_members is not None else []
        return self._members


@dataclass(frozen=True, eq=False)
class EnumType:
    name: str | None
    size: int
    enumerators: tuple[tuple[str, int], ...]
    signed: bool


@dataclass(frozen=True, eq=False)
class TypedefType:
    name: str
    target: Type

    @property
    def size(self) -> int:
        return self.target.size


@dataclass(frozen=True, eq=False)
class QualifiedType:
    qualifier: str
    target: Type

    @property
    def size(self) -> int:
        return self.target.size


@dataclass(frozen=True, eq=False)
class FunctionType:
    returns: Type
    params: tuple[Type, ...]
    prototyped: bool
    variadic: bool = False
    size: int = 1


Type = (
    VoidType | BaseType | PointerType | ArrayType | StructType | EnumType | TypedefType
    | QualifiedType | FunctionType
)

INT = BaseType("int", 4, Encoding.SIGNED)
LONG = BaseType("long", 8, Encoding.SIGNED)
UNSIGNED_LONG = BaseType("unsigned long", 8, Encoding.UNSIGNED)
VOID = VoidType()


def strip(type_: Type) -> Type:
    """The type with typedefs and qualifiers peeled off: what the bytes are."""
    while isinstance(type_, TypedefType | QualifiedType):
        type_ = type_.target
    return type_


def without_typedefs(type_: Type) -> Type:
    """The type a typedef names, through any chain of typedefs (gdb's check_typedef):
    ``StkId`` is ``StackValue *``."""
    while isinstance(type_, TypedefType):
        type_ = type_.target
    return type_


def is_integral(type_: Type) -> bool:
    return isinstance(strip(type_), BaseType | EnumType) and not is_float(type_)


def is_float(type_: Type) -> bool:
    bare = strip(type_)
    return isinstance(bare, BaseType) and bare.encoding is Encoding.FLOAT


def type_name(type_: Type) -> str:
    """The type as C (and gdb) writes it: ``struct node *``, ``int (*)[3]``, ``char **``."""
    return declare(type_, "")


def declare(type_: Type, inner: str) -> str:
    """C's inside-out declarator syntax: ``inner`` is what has been wrapped so far."""
    if isinstance(type_, PointerType):
        target = type_.target
        wrapped = f"*{inner}"
        if isinstance(target, ArrayType | FunctionType):
            wrapped = f"({wrapped})"
        return declare(target, wrapped)
    if isinstance(type_, ArrayType):
        count = "" if type_.count is None else str(type_.count)
        return declare(type_.element, f"{inner}[{count}]")
    if isinstance(type_, FunctionType):
        params = [type_name(p) for p in type_.params]
        if type_.variadic:
            params.append("...")
        if not params and type_.prototyped:
            params = ["void"]
        return declare(type_.returns, f"{inner}({', '.join(params)})")
    if isinstance(type_, QualifiedType):
        qualifiers, target = _qualified(type_)
        if isinstance(target, ArrayType):
            return declare(qualified_elements(type_), inner)
        if isinstance(target, PointerType):
            # ``int * const``; a typedef's name keeps its qualifiers in front, as gdb
            # writes it (``volatile lua_CFunction``, though the typedef names a pointer).
            return declare(target, f" {qualifiers}{inner and ' ' + inner}")
        return f"{qualifiers} {declare(target, inner)}"
    return f"{_base_name(type_)} {inner}".rstrip() if inner else _base_name(type_)


def qualified_elements(type_: QualifiedType) -> Type:
    """A qualified array as the array of qualified elements it is in C (gcc marks both,
    gdb moves the array's qualifiers to its elements); any other type as it is."""
    qualifiers, target = _qualified(type_)
    if not isinstance(target, ArrayType):
        return type_
    element = target.element
    already = _qualified(element)[0].split() if isinstance(element, QualifiedType) else []
    for qualifier in qualifiers.split():
        if qualifier not in already:
            element = QualifiedType(qualifier, element)
    return ArrayType(element, target.count)


# The order gdb writes qualifiers in, whatever order the DWARF nests them in.
_QUALIFIER_ORDER = ("const", "volatile", "restrict", "_Atomic")


def _qualified(type_: QualifiedType) -> tuple[str, Type]:
    """The qualifiers of a chain of them, in gdb's order, and the type they qualify."""
    found: set[str] = set()
    target: Type = type_
    while isinstance(target, QualifiedType):
        found.add(target.qualifier)
        target = target.target
    return " ".join(q for q in _QUALIFIER_ORDER if q in found), target


def _base_name(type_: Type) -> str:
    if isinstance(type_, VoidType):
        return "void"
    if isinstance(type_, BaseType | TypedefType):
        return type_.name
    if isinstance(type_, StructType):
        return f"{type_.keyword} {type_.name or '{...}'}"
    if isinstance(type_, EnumType):
        return f"enum {type_.name or '{...}'}"
    raise TypeError(type_)
