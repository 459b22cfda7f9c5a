"""``printf "FORMAT", ARGS...``: gdb's printf, its C conversions applied to C values.

The format's escapes are read as C reads them; each conversion takes one argument, an
expression evaluated in the selected frame. What comes back is a Python ``%`` format and
the arguments it takes, so the text itself is made by the renderer.
"""

from __future__ import annotations

import re

from deet.debugger.cexpr import evaluate
from deet.debugger.errors import DebuggerError
from deet.debugger.frames import FrameContext
from deet.debugger.values import Value, read_c_string, to_float, to_int
from deet.debuginfo.types import ArrayType, without_typedefs

_CONVERSION = re.compile(r"%([-+ #0]*)(\d*)(?:\.(\d+))?(hh|h|ll|l|L|z|j|t)?([diouxXcsfgeEGp%])")

# C's escapes as gdb's parse_escape reads them (\e is gdb's too).
_ESCAPES = {"n": "\n", "t": "\t", "a": "\a", "b": "\b", "f": "\f", "r": "\r", "v": "\v",
            "e": "\x1b"}


def unescape(text: str) -> str:
    """``text`` with C's backslash escapes replaced, as gdb's ``echo`` and ``printf`` read
    them: ``\\n``, ``\\t``, octal ``\\101``; any other escaped character stands for itself,
    and a backslash at the very end means nothing."""
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        index += 1
        if char != "\\":
            out.append(char)
            continue
        if index == len(text):
            break
        char = text[index]
        index += 1
        if char in "01234567":
            digits = char
            while index < len(text) and len(digits) < 3 and text[index] in "01234567":
                digits += text[index]
                index += 1
            out.append(chr(int(digits, 8)))
        else:
            out.append(_ESCAPES.get(char, char))
    return "".join(out)


def printf_parts(text: str, context: FrameContext) -> tuple[str, tuple[object, ...]]:
    """The Python format and its arguments for a printf line (after ``printf``)."""
    text = text.strip()
    if not text:
        raise DebuggerError("Argument required (format-control string and values to print).")
    if not text.startswith('"'):
        raise DebuggerError("Bad format string, missing '\"'.")
    end = _closing_quote(text)
    body = unescape(text[1:end])
    rest = text[end + 1:].strip()
    if rest and not rest.startswith(","):
        raise DebuggerError("Invalid argument syntax")
    arguments = _split_arguments(rest[1:]) if rest else []
    pieces = []
    values: list[object] = []
    position = 0
    conversions = [m for m in _CONVERSION.finditer(body) if m[5] != "%"]
    if len(conversions) != len(arguments):
        raise DebuggerError("Wrong number of arguments for specified format-string")
    taken = iter(arguments)
    for match in _CONVERSION.finditer(body):
        pieces.append(body[position:match.start()].replace("%", "%%"))
        position = match.end()
        flags, width, precision, length, letter = match.groups()
        if letter == "%":
            pieces.append("%%")
            continue
        value = evaluate(next(taken), context)
        spec = f"%{flags}{width}" + (f".{precision}" if precision is not None else "")
        python_letter, argument = _argument(letter, length, value, context)
        pieces.append(spec + python_letter)
        values.append(argument)
    pieces.append(body[position:].replace("%", "%%"))
    return "".join(pieces), tuple(values)


def _argument(letter: str, length: str | None, value: Value,
              context: FrameContext) -> tuple[str, object]:
    if letter in "fgeEG":
        return letter, to_float(value)
    if letter == "s":
        return "s", _string(value, context)
    number = _address(value) if letter == "p" else to_int(value)
    if letter == "c":
        return "c", chr(number & 0xFF)
    if letter == "p":
        return "s", f"{number:#x}"
    bits = 64 if length in ("l", "ll", "z", "j", "t", "L") else 32
    if letter in "uxXo":
        return ("d" if letter == "u" else letter), number & ((1 << bits) - 1)
    number &= (1 << bits) - 1
    return "d", number - (1 << bits) if number >> (bits - 1) else number


def _address(value: Value) -> int:
    if isinstance(without_typedefs(value.type), ArrayType) and value.address is not None:
        return value.address
    return to_int(value)


def _string(value: Value, context: FrameContext) -> str:
    address = _address(value)
    found = read_c_string(address, context.memory.read, limit=1 << 16)
    if found.error is not None and not found.data:
        raise DebuggerError(f"Cannot access memory at address {address:#x}")
    return found.data.decode("utf-8", "replace")


def _closing_quote(text: str) -> int:
    index = 1
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == '"':
            return index
        index += 1
    raise DebuggerError("Bad format string, non-terminated '\"'.")


def _split_arguments(text: str) -> list[str]:
    """The comma-separated expressions, commas inside brackets and quotes not counting."""
    parts, depth, current, quote = [], 0, "", None
    for char in text:
        if quote:
            quote = None if char == quote and not current.endswith("\\") else quote
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += char
    parts.append(current.strip())
    return [part for part in parts if part] if any(parts) else []

