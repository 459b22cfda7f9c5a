"""C type names in expressions: ``(unsigned long)``, ``(struct node *)``, ``sizeof(int[3])``,
``{char} addr``, ``ptype int *``.

Built-in names are C's (with gdb's spelling: ``long``, ``unsigned char``); struct, union,
enum and typedef names are the program's, looked up through ``TypeLookup``.
"""

from __future__ import annotations

from collections.abc import Callable

from deet.debugger.cexpr.lexer import Token
from deet.debugger.values import EvaluationError
from deet.debuginfo.types import (
    VOID,
    ArrayType,
    BaseType,
    Encoding,
    FunctionType,
    PointerType,
    QualifiedType,
    Type,
)

# (kind, name) -> the program's type: kind is struct, union, enum or typedef.
TypeLookup = Callable[[str, str], Type | None]

_SPECIFIERS = {"int", "char", "short", "long", "signed", "unsigned", "float", "double", "void"}
_QUALIFIERS = {"const", "volatile"}
_TAGS = {"struct", "union", "enum"}
_FLOAT = Encoding.FLOAT

FLOAT = BaseType("float", 4, _FLOAT)
DOUBLE = BaseType("double", 8, _FLOAT)
LONG_DOUBLE = BaseType("long double", 16, _FLOAT)
CHAR = BaseType("char", 1, Encoding.SIGNED_CHAR)


def starts_type(token: Token | None, types: TypeLookup) -> bool:
    if token is None or token.kind != "name":
        return False
    word = token.text
    return (word in _SPECIFIERS or word in _QUALIFIERS or word in _TAGS
            or types("typedef", word) is not None)


class TypeReader:
    """Reads a type name from ``tokens`` at ``position``; ``position`` ends past it."""

    def __init__(self, tokens: list[Token], position: int, types: TypeLookup,
                 syntax_error: Callable[[int], EvaluationError]) -> None:
        self.tokens = tokens
        self.position = position
        self.types = types
        self.syntax_error = syntax_error

    def peek(self, kind: str | None = None, text: str | None = None) -> Token | None:
        if self.position >= len(self.tokens):
            return None
        token = self.tokens[self.position]
        if (kind is not None and token.kind != kind) or (text is not None and token.text != text):
            return None
        return token

    def take(self, text: str) -> bool:
        if self.peek("op", text) is not None:
            self.position += 1
            return True
        return False

    def read(self) -> Type:
        base = self._specifiers()
        return self._abstract(base)

    def _specifiers(self) -> Type:
        words: list[str] = []
        qualifiers: list[str] = []
        named: Type | None = None
        while (token := self.peek("name")) is not None:
            word = token.text
            if word in _QUALIFIERS:
                qualifiers.append(word)
            elif word in _SPECIFIERS and named is None:
                words.append(word)
            elif word in _TAGS and named is None and not words:
                self.position += 1
                name = self.peek("name")
                if name is None:
                    raise self.syntax_error(self.position)
                named = self.types(word, name.text)
                if named is None:
                    raise EvaluationError(f"No {word} type named {name.text}.")
            elif named is None and not words and (found := self.types("typedef", word)):
                named = found
            else:
                break
            self.position += 1
        if named is None:
            if not words:
                raise self.syntax_error(self.position)
            named = builtin(words)
        for qualifier in qualifiers:
            named = QualifiedType(qualifier, named)
        return named

    def _abstract(self, type_: Type) -> Type:
        while self.take("*"):
            type_ = PointerType(type_)
            while (token := self.peek("name")) is not None and token.text in _QUALIFIERS:
                type_ = QualifiedType(token.text, type_)
                self.position += 1
        if self.peek("op", "(") is not None and self._next_is("*"):
            self.position += 2
            depth = 1
            while self.take("*"):
                depth += 1
            if not self.take(")") or not self.take("("):
                raise self.syntax_error(self.position)
            function: Type = FunctionType(type_, self._parameters(), prototyped=True)
            for _ in range(depth):
                function = PointerType(function)
            return self._arrays(function)
        return self._arrays(type_)

    def _next_is(self, text: str) -> bool:
        following = self.position + 1
        return following < len(self.tokens) and self.tokens[following].text == text

    def _parameters(self) -> tuple[Type, ...]:
        params: list[Type] = []
        if self.take(")"):
            return ()
        while True:
            param = self.read()
            if param is not VOID or params or self.peek("op", ")") is None:
                params.append(param)
            if self.take(")"):
                return tuple(params)
            if not self.take(","):
                raise self.syntax_error(self.position)

    def _arrays(self, type_: Type) -> Type:
        counts: list[int | None] = []
        while self.take("["):
            token = self.peek("number")
            if token is not None:
                counts.append(int(token.text.rstrip("uUlL"), 0))
                self.position += 1
            else:
                counts.append(None)
            if not self.take("]"):
                raise self.syntax_error(self.position)
        for count in reversed(counts):
            type_ = ArrayType(type_, count)
        return type_


def builtin(words: list[str]) -> Type:
    """C's type for a list of specifier keywords (``unsigned long int``), gdb's name."""
    if words == ["void"]:
        return VOID
    longs = words.count("long")
    unsigned = "unsigned" in words
    if "char" in words:
        if unsigned:
            return BaseType("unsigned char", 1, Encoding.UNSIGNED_CHAR)
        return BaseType("signed char", 1, Encoding.SIGNED_CHAR) if "signed" in words else CHAR
    if "float" in words:
        return FLOAT
    if "double" in words:
        return LONG_DOUBLE if longs else DOUBLE
    encoding = Encoding.UNSIGNED if unsigned else Encoding.SIGNED
    prefix = "unsigned " if unsigned else ""
    if "short" in words:
        return BaseType(prefix + "short", 2, encoding)
    if longs:
        return BaseType(prefix + " ".join(["long"] * min(longs, 2)), 8, encoding)
    return BaseType(prefix + "int" if unsigned else "int", 4, encoding)
