"""C expression tokens to a ``Program``: code for a small stack machine (``machine.py``).

An operator-precedence parser with explicit stacks (gdb's precedences, c-exp.y): nothing
recurses on the Python stack per level of nesting, so 140 parentheses or 1000 unary
minuses parse like any other expression. ``&&``, ``||`` and ``?:`` compile to jumps, so
their unevaluated side is never read (``p && p->next``); ``sizeof`` turns evaluation of
its operand to types only. Parsing resolves type names (casts need them), and nothing
else: a condition is parsed when its breakpoint is set, and evaluated at each hit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from deet.debugger.cexpr.lexer import Token, tokenize
from deet.debugger.cexpr.typename import (
    CHAR,
    DOUBLE,
    FLOAT,
    LONG_DOUBLE,
    TypeLookup,
    TypeReader,
    starts_type,
)
from deet.debugger.values import EvaluationError, Value, from_float, from_int
from deet.debuginfo.types import INT, LONG, UNSIGNED_LONG, BaseType, Encoding, Type

Instruction = tuple[str, object]
NameCheck = Callable[[str], bool]

UNSIGNED_INT = BaseType("unsigned int", 4, Encoding.UNSIGNED)
_BINARY = {
    ",": 1, "||": 4, "&&": 5, "|": 6, "^": 7, "&": 8, "==": 9, "!=": 9, "<": 10, ">": 10,
    "<=": 10, ">=": 10, "<<": 11, ">>": 11, "@": 12, "+": 13, "-": 13, "*": 14, "/": 14,
    "%": 14,
}
_ASSIGN = {"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="}
_PREFIX = {"-", "+", "!", "~", "*", "&", "++", "--"}
_UNARY_PRECEDENCE = 15
_CONDITIONAL = 3


class TrailingJunkError(EvaluationError):
    """The expression ended at a ``)`` that closes nothing; ``rest`` is from there on
    (``break`` and ``condition`` word this differently from ``print``)."""

    def __init__(self, rest: str) -> None:
        super().__init__("Junk after end of expression.")
        self.rest = rest


@dataclass(frozen=True)
class Program:
    """A parsed expression: ``code`` runs on ``machine.run``; ``text`` is what was typed."""

    code: tuple[Instruction, ...]
    text: str

    def names(self) -> list[str]:
        """The plain names the expression looks up (a condition's, checked at ``break``)."""
        return [str(arg) for op, arg in self.code if op == "name" and not str(arg).startswith("$")]


@dataclass
class _Pending:
    """An operator waiting for its right operand, or an open bracket (``marker``)."""

    kind: str
    op: str = ""
    precedence: int = 0
    right: bool = False
    patch: int = -1
    count: int = 0
    type: Type | None = None
    marker: bool = False


def parse(text: str, types: TypeLookup, knows: NameCheck | None = None) -> Program:
    """``knows``: whether a plain name is a symbol; as in gdb, a name is looked up as it
    is parsed, so ``(nosuch)1`` is "No symbol" rather than a syntax error, and a
    breakpoint's condition is checked in the breakpoint's scope when it is set."""
    tokens = tokenize(text)
    if not tokens:
        raise EvaluationError("Argument required (expression to compute).")
    return _Parser(text, tokens, types, knows).run()


class _Parser:
    def __init__(self, text: str, tokens: list[Token], types: TypeLookup,
                 knows: NameCheck | None) -> None:
        self.text = text
        self.tokens = tokens
        self.types = types
        self.knows = knows
        self.position = 0
        self.code: list[Instruction] = []
        self.stack: list[_Pending] = []

    def syntax_error(self, position: int | None = None) -> EvaluationError:
        index = self.position if position is None else position
        rest = self.text[self.tokens[index].start :] if index < len(self.tokens) else ""
        return EvaluationError(f"A syntax error in expression, near `{rest.strip()}'.")

    def peek(self, offset: int = 0) -> Token | None:
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def run(self) -> Program:
        expect_operand = True
        while self.position < len(self.tokens):
            token = self.tokens[self.position]
            self.position += 1
            expect_operand = self.operand(token) if expect_operand else self.operator(token)
        if expect_operand:
            raise self.syntax_error()
        while self.stack:
            if self.stack[-1].marker:
                raise self.syntax_error()
            self.emit(self.stack.pop())
        return Program(tuple(self.code), self.text)

    # -- where an operand is expected ------------------------------------------------------

    def operand(self, token: Token) -> bool:
        """Handles ``token`` where an operand must come; True while one still must."""
        if token.kind == "number":
            self.code.append(("push", number(token.text)))
        elif token.kind == "char":
            self.code.append(("push", from_int(CHAR, int(token.value or 0))))
        elif token.kind == "string":
            data = bytes(token.value or b"")
            while (following := self.peek()) is not None and following.kind == "string":
                data += bytes(following.value or b"")
                self.position += 1
            self.code.append(("string", data))
        elif token.kind == "file":
            if self.peek() is None or self.peek().text != "::":  # type: ignore[union-attr]
                raise EvaluationError("Invalid character constant.")
            self.scoped(str(token.text[1:-1]), True)
        elif token.kind == "name":
            return self.name(token)
        elif token.text == "(":
            return self.open_parenthesis()
        elif token.text == "{":
            self.stack.append(_Pending("brace", precedence=_UNARY_PRECEDENCE, right=True,
                                       type=self.type_name("}")))
            return True
        elif token.text in _PREFIX:
            self.stack.append(_Pending("prefix", token.text, _UNARY_PRECEDENCE, right=True))
            return True
        elif token.text == ")" and self.stack and self.stack[-1].kind == "call" \
                and self.stack[-1].count == 0:
            self.code.append(("call", 0))
            self.stack.pop()
        else:
            raise self.syntax_error(self.position - 1)
        return False

    def name(self, token: Token) -> bool:
        if token.text == "sizeof":
            self.code.append(("noside", None))
            self.stack.append(_Pending("sizeof", precedence=_UNARY_PRECEDENCE, right=True,
                                       patch=len(self.code)))
            return True
        if starts_type(token, self.types):
            raise EvaluationError("Attempt to use a type name as an expression")
        following = self.peek()
        if following is not None and following.text == "::":
            self.scoped(token.text, False)
        else:
            if self.knows is not None and not token.text.startswith("$") \
                    and not self.knows(token.text):
                raise EvaluationError(f'No symbol "{token.text}" in current context.')
            self.code.append(("name", token.text))
        return False

    def scoped(self, scope: str, is_file: bool) -> None:
        self.position += 1
        name = self.peek()
        if name is None or name.kind != "name":
            raise self.syntax_error()
        self.position += 1
        self.code.append(("scoped", (scope, name.text, is_file)))

    def open_parenthesis(self) -> bool:
        if not starts_type(self.peek(), self.types):
            self.stack.append(_Pending("group", marker=True))
            return True
        type_ = self.type_name(")")
        top = self.stack[-1] if self.stack else None
        if top is not None and top.kind == "sizeof" and top.patch == len(self.code):
            self.stack.pop()
            self.code.pop()
            self.code.append(("push", from_int(INT, max(type_.size, 1))))
            return False
        self.stack.append(_Pending("cast", precedence=_UNARY_PRECEDENCE, right=True,
                                   type=type_))
        return True

    def type_name(self, closing: str) -> Type:
        reader = TypeReader(self.tokens, self.position, self.types, self.syntax_error)
        type_ = reader.read()
        self.position = reader.position
        token = self.peek()
        if token is None or token.text != closing:
            raise self.syntax_error()
        self.position += 1
        return type_

    # -- after an operand ------------------------------------------------------------------

    def operator(self, token: Token) -> bool:
        """Handles ``token`` after a complete operand; True when an operand must follow."""
        text = token.text if token.kind == "op" else ""
        if text == "[":
            self.stack.append(_Pending("index", marker=True))
        elif text == "(":
            self.stack.append(_Pending("call", marker=True))
        elif text in (".", "->"):
            member = self.peek()
            if member is None or member.kind != "name":
                raise self.syntax_error()
            self.position += 1
            self.code.append(("member", member.text))
            return False
        elif text in ("++", "--"):
            self.code.append(("postfix", text))
            return False
        elif text in (")", "]"):
            self.close(token)
            return False
        elif text == "," and self.close_argument():
            pass
        elif text == "?":
            self.reduce(_CONDITIONAL, right=True)
            self.code.append(("unless", -1))
            self.stack.append(_Pending("?", precedence=_CONDITIONAL, right=True,
                                       patch=len(self.code) - 1))
        elif text == ":":
            self.colon()
        elif text in ("&&", "||"):
            self.reduce(_BINARY[text], right=False)
            self.code.append(("and" if text == "&&" else "or", -1))
            self.stack.append(_Pending(text, text, _BINARY[text], patch=len(self.code) - 1))
        elif text in _ASSIGN:
            self.reduce(2, right=True)
            self.stack.append(_Pending("assign", text, 2, right=True))
        elif text in _BINARY:
            self.reduce(_BINARY[text], right=False)
            self.stack.append(_Pending("binary", text, _BINARY[text]))
        else:
            raise self.syntax_error(self.position - 1)
        return True

    def reduce(self, precedence: int, right: bool) -> None:
        """Emits the operators on the stack that bind tighter than one coming."""
        while self.stack and not self.stack[-1].marker:
            top = self.stack[-1]
            if top.precedence < precedence or (top.precedence == precedence and right):
                return
            self.emit(self.stack.pop())

    def close(self, token: Token) -> None:
        self.reduce(0, right=False)
        opening = {")": ("group", "call"), "]": ("index",)}[token.text]
        if token.text == ")" and not any(p.kind in opening for p in self.stack):
            # gdb's lexer ends the expression at a ')' that closes nothing.
            raise TrailingJunkError(self.text[token.start :].strip())
        if not self.stack or self.stack[-1].kind not in opening:
            raise self.syntax_error(self.position - 1)
        marker = self.stack.pop()
        if marker.kind == "call":
            self.code.append(("call", marker.count + 1))
        elif marker.kind == "index":
            self.code.append(("index", None))

    def close_argument(self) -> bool:
        """A comma between a call's arguments (else it is C's comma operator)."""
        self.reduce(2, right=False)
        if self.stack and self.stack[-1].kind == "call":
            self.stack[-1].count += 1
            return True
        return False

    def colon(self) -> None:
        while self.stack and self.stack[-1].kind != "?":
            if self.stack[-1].marker:
                raise self.syntax_error(self.position - 1)
            self.emit(self.stack.pop())
        if not self.stack:
            raise self.syntax_error(self.position - 1)
        question = self.stack.pop()
        self.code.append(("jump", -1))
        self.code[question.patch] = ("unless", len(self.code))
        self.stack.append(_Pending(":", precedence=_CONDITIONAL, right=True,
                                   patch=len(self.code) - 1))

    def emit(self, pending: _Pending) -> None:
        kind = pending.kind
        if kind in ("binary", "assign"):
            self.code.append((kind, pending.op))
        elif kind == "prefix":
            self.code.append(("prefix", pending.op))
        elif kind in ("cast", "brace"):
            self.code.append((kind, pending.type))
        elif kind == "sizeof":
            self.code.append(("sizeof", None))
        elif kind in ("&&", "||"):
            self.code.append(("bool", None))
            self.code[pending.patch] = (self.code[pending.patch][0], len(self.code))
        elif kind == ":":
            self.code[pending.patch] = ("jump", len(self.code))
        else:
            raise self.syntax_error()


_INTEGER = re.compile(r"(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)([uU]?[lL]{0,2}|[lL]{1,2}[uU])")
_FLOATING = re.compile(r"(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?([fFlL]?)")


def number(text: str) -> Value:
    """A C numeric literal, typed as gdb types it (``2147483648`` is a long)."""
    match = _INTEGER.fullmatch(text)
    if match is not None:
        digits, suffix = match.groups()
        value = int(digits, 8) if len(digits) > 1 and digits[0] == "0" and \
            digits[1] not in "xX" else int(digits, 0)
        return _integer(value, suffix.lower(), digits[:2].lower() == "0x" or digits[0] == "0")
    match = _FLOATING.fullmatch(text)
    if match is not None and ("." in text or match[2]):
        suffix = match[3].lower()
        type_ = FLOAT if suffix == "f" else LONG_DOUBLE if suffix == "l" else DOUBLE
        return from_float(type_, float(match[1] + (match[2] or "")))
    raise EvaluationError(f'Invalid number "{text}".')


def _integer(value: int, suffix: str, based: bool) -> Value:
    unsigned = "u" in suffix
    candidates: list[Type] = []
    if "l" not in suffix:
        candidates += [UNSIGNED_INT] if unsigned else [INT, UNSIGNED_INT] if based else [INT]
    candidates += [UNSIGNED_LONG] if unsigned else [LONG, UNSIGNED_LONG]
    for type_ in candidates:
        bare = type_
        assert isinstance(bare, BaseType)
        limit = 1 << (bare.size * 8 - (1 if bare.signed else 0))
        if value < limit:
            return from_int(type_, value)
    raise EvaluationError("Numeric constant too large.")
