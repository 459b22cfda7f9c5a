"""C expression text to tokens, with gdb's words for what is not a token.

Numbers keep their suffixes (the parser gives them their C type), character and string
literals are decoded here (escapes as C and gdb read them), and a quoted file name before
``::`` (``'file.c'::var``) is a token of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deet.debugger.values import EvaluationError

_OPERATORS = (
    "<<=", ">>=", "::", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
)
_SINGLE = set("+-*/%&|^!~<>=?:,.@()[]{}")
_NUMBER = re.compile(
    r"0[xX][0-9a-fA-F]+[uUlL]*"
    r"|(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?[fFlLuU]*"
)
_NAME = re.compile(r"\$*[A-Za-z_][A-Za-z0-9_]*|\$\$?\d*")
_SIMPLE_ESCAPES = {"n": 10, "t": 9, "r": 13, "a": 7, "b": 8, "f": 12, "v": 11, "e": 27,
                   "\\": 92, "'": 39, '"': 34, "?": 63}


@dataclass(frozen=True)
class Token:
    """``kind``: number, char, string, name, file or op; ``value``: a literal's decoded
    contents (the code of a char, the bytes of a string); ``start``: where in the text,
    for gdb's "near `...'" messages."""

    kind: str
    text: str
    start: int = 0
    value: int | bytes | None = None


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        token = _token(text, position)
        tokens.append(token)
        position = token.start + len(token.text)
    return tokens


def _token(text: str, position: int) -> Token:
    char = text[position]
    if char.isdigit() or (char == "." and text[position + 1 : position + 2].isdigit()):
        match = _NUMBER.match(text, position)
        assert match is not None
        end = match.end()
        while end < len(text) and (text[end].isalnum() or text[end] == "_"):
            end += 1
        return Token("number", text[position:end], position)
    if char == "'":
        return _quoted_char(text, position)
    if char == '"':
        body, end = _literal_body(text, position, '"', "Unterminated string in expression.")
        return Token("string", text[position:end], position, body)
    match = _NAME.match(text, position)
    if match is not None and match.end() > position:
        return Token("name", match[0], position)
    for operator in _OPERATORS:
        if text.startswith(operator, position):
            return Token("op", operator, position)
    if char in _SINGLE:
        return Token("op", char, position)
    raise EvaluationError(f"Invalid character '{char}' in expression.")


def _quoted_char(text: str, position: int) -> Token:
    """``'c'`` is a character; ``'file.c'`` before ``::`` (or ``'name'``) quotes a name."""
    end = text.find("'", position + 1)
    quoted = text[position + 1 : end] if end > 0 else ""
    if end > 0 and len(quoted) > 1 and "\\" not in quoted:
        return Token("file", text[position : end + 1], position, quoted.encode())
    if text[position + 1 : position + 2] == "'":
        raise EvaluationError("A character constant must contain at least one character.")
    body, end = _literal_body(text, position, "'", "Unmatched single quote.")
    if len(body) != 1:
        raise EvaluationError("Invalid character constant.")
    return Token("char", text[position:end], position, body[0])


def _literal_body(text: str, position: int, quote: str, unterminated: str) -> tuple[bytes, int]:
    """The decoded bytes between ``quote``s from ``position``, and where the literal ends."""
    body = bytearray()
    index = position + 1
    while True:
        if index >= len(text):
            raise EvaluationError(unterminated)
        char = text[index]
        if char == quote:
            return bytes(body), index + 1
        if char == "\\":
            code, index = _escape(text, index + 1)
            body.append(code & 0xFF)
            continue
        body += char.encode()
        index += 1


def _escape(text: str, index: int) -> tuple[int, int]:
    """The character a backslash escape at ``text[index]`` stands for, and what follows."""
    char = text[index : index + 1]
    if char == "x":
        digits = re.match(r"[0-9a-fA-F]+", text[index + 1 :])
        if digits is None:
            raise EvaluationError("\\x escape without a following hex digit")
        return int(digits[0], 16), index + 1 + len(digits[0])
    if char and char in "01234567":
        digits = re.match(r"[0-7]{1,3}", text[index:])
        assert digits is not None
        return int(digits[0], 8), index + len(digits[0])
    if not char:
        raise EvaluationError("Unmatched single quote.")
    return _SIMPLE_ESCAPES.get(char, ord(char)), index + 1
