"""C values as gdb prints them: the one place a ``Shown`` value becomes text.

gdb's defaults are the rules: ``print elements 200`` (a run of repeats counts as 10),
``print repeats 10`` (a run of more than 10 equal elements collapses to
``X <repeats N times>``), a char array drops one trailing NUL, floats print with
``%.9g``, doubles ``%.17g``, long doubles ``%.21Lg``, and a top-level pointer (but not
a ``char *``) is preceded by its type in parentheses.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from decimal import Decimal, localcontext

from deet.render.formats import char_literal, escape, formatted
from deet.results.shown import (
    PRINT_ELEMENTS,
    CString,
    Elements,
    Failed,
    Fields,
    Floating,
    Function,
    Pointer,
    Scalar,
    Shown,
    Synthetic,
    Unavailable,
    Void,
    WideString,
    float_fraction,
)

REPEAT_THRESHOLD = 10

# The letters print/FMT takes: the output formats (formats.py) and s, a char array as a string.
FORMATS = "xzotducas"


def value_text(shown: Shown, top: bool = True, fmt: str | None = None,
               depth: int | None = None) -> str:
    """``top``: the value printed by ``print`` itself, not an element, member or local;
    ``fmt``: ``print/FMT``'s letter, applied to every scalar inside; ``depth``: ``set print
    pretty on``'s layout, the value being that deep in the one printed (None: one line)."""
    if fmt is not None and fmt != "s":
        in_format = _formatted(shown, fmt)
        if in_format is not None:
            return in_format
    if isinstance(shown, Scalar):
        return _scalar(shown)
    if isinstance(shown, Floating):
        return float_text(shown.data)
    if isinstance(shown, Pointer):
        return _pointer(shown, top)
    if isinstance(shown, Function):
        symbol = f" <{shown.symbol}>" if shown.symbol else ""
        return f"{{{shown.type_name}}} {shown.address:#x}{symbol}"
    if isinstance(shown, Elements):
        return _elements(shown, fmt, depth)
    if isinstance(shown, Fields):
        inner_depth = None if depth is None else depth + 1
        members = [
            value_text(item, False, fmt, inner_depth) if name is None else
            f"{name} = {value_text(item, False, fmt, inner_depth)}"
            for name, item in shown.items
        ]
        if depth is None:
            return "{" + ", ".join(members) + "}"
        # gdb's pretty structs: a member a line, two spaces deeper a level.
        indent = "  " * (depth + 1)
        return ("{\n" + ",\n".join(indent + member for member in members) + "\n"
                + "  " * depth + "}")
    if isinstance(shown, Synthetic):
        return f"({shown.type_name}) <synthetic pointer>" if top else "<synthetic pointer>"
    if isinstance(shown, Unavailable):
        return f"<{shown.reason}>"
    if isinstance(shown, Void):
        return "void"
    assert isinstance(shown, Failed)
    return f"<error: {shown.message}>"


def is_aggregate(shown: Shown) -> bool:
    """What gdb's frame lines show as ``...`` (``print frame-arguments scalars``)."""
    return isinstance(shown, Elements | Fields)


# -- print/FMT ------------------------------------------------------------------------------


def _formatted(shown: Shown, fmt: str) -> str | None:
    """A scalar's bits in format ``fmt``, unpadded; None: not a scalar."""
    if isinstance(shown, Scalar):
        return formatted(shown.value & ((1 << shown.size * 8) - 1), shown.size * 8, fmt)
    if isinstance(shown, Floating):
        return formatted(int.from_bytes(shown.data, "little"), len(shown.data) * 8, fmt)
    if isinstance(shown, Pointer):
        return formatted(shown.address, 64, fmt, symbol=shown.symbol)
    return None


# -- scalars --------------------------------------------------------------------------------


def _scalar(shown: Scalar) -> str:
    if shown.kind == "enum":
        return enum_text(shown.enumerators, shown.value)
    if shown.kind == "bool":
        return {0: "false", 1: "true"}.get(shown.value, str(shown.value))
    if shown.kind == "char" and shown.prefix:
        unit = shown.value & ((1 << (shown.size * 8)) - 1)
        character = _wide_character(unit)
        return f"{shown.value} {shown.prefix}" + (
            f"'{character}'" if isinstance(character, str) else char_literal(unit))
    if shown.kind == "char":
        return f"{shown.value} {char_literal(shown.value & 0xFF)}"
    return str(shown.value)


def enum_text(enumerators: tuple[tuple[str, int], ...], value: int) -> str:
    """An enumerator's name; for a flag enum (gdb: values with no bits in common), the
    names of its bits; else the number."""
    for name, number in enumerators:
        if number == value:
            return name
    if not _is_flag_enum(enumerators) or value < 0:
        return str(value)
    names = []
    left = value
    for name, number in enumerators:
        if number and value & number:
            names.append(name)
            left &= ~number
    if left:
        names.append(f"unknown: {left:#x}")
    return f"({' | '.join(names)})" if names else "0"


def _is_flag_enum(enumerators: tuple[tuple[str, int], ...]) -> bool:
    mask = 0
    for _name, number in enumerators:
        if number < 0 or mask & number:
            return False
        mask |= number
    return True


def float_text(data: bytes) -> str:
    """C's ``%.Ng`` with gdb's N for the type's size, infinities and NaNs as gdb shows them."""
    if len(data) == 4:
        number = struct.unpack("<f", data)[0]
        bits, mantissa_bits = int.from_bytes(data, "little"), 23
    elif len(data) == 8:
        number = struct.unpack("<d", data)[0]
        bits, mantissa_bits = int.from_bytes(data, "little"), 52
    else:
        return _long_double_text(data)
    if math.isnan(number):
        sign = "-" if bits >> (len(data) * 8 - 1) else ""
        return f"{sign}nan({bits & ((1 << mantissa_bits) - 1):#x})"
    if math.isinf(number):
        return "-inf" if number < 0 else "inf"
    return f"%.{9 if len(data) == 4 else 17}g" % number


def _long_double_text(data: bytes) -> str:
    top = int.from_bytes(data[8:10], "little")
    mantissa = int.from_bytes(data[:8], "little")
    sign = "-" if top >> 15 else ""
    if top & 0x7FFF and not mantissa >> 63:
        # An x87 "unnormal" (or pseudo-infinity, pseudo-NaN): the explicit integer bit is
        # clear where it must be set; the FPU refuses it, and gdb says so.
        return "<invalid float value>"
    if top & 0x7FFF == 0x7FFF:
        if mantissa << 1 & ((1 << 64) - 1):
            return f"{sign}nan({mantissa & ((1 << 63) - 1):#x})"
        return f"{sign}inf"
    exact = float_fraction(data[:10])
    if exact == 0:
        return f"{sign}0"
    return _c_general(Decimal(exact.numerator) / Decimal(exact.denominator), 21)


def _c_general(number: Decimal, digits: int) -> str:
    """C's ``%.{digits}g`` for a Decimal (Python's ``g`` writes exponents differently)."""
    with localcontext() as context:
        context.prec = digits
        rounded = +number
    exponent = rounded.adjusted()
    if -4 <= exponent < digits:
        text = f"{rounded:f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    mantissa = rounded.scaleb(-exponent)
    text = f"{mantissa:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"


# -- pointers -------------------------------------------------------------------------------


def _pointer(shown: Pointer, top: bool) -> str:
    text = f"{shown.address:#x}"
    if shown.symbol:
        text += f" <{shown.symbol}>"
    if shown.string is not None and shown.string.error != "null":
        text += " " + _pointed_string(shown.string)
    if top and not shown.bare:
        text = f"({shown.type_name}) {text}"
    return text


def _pointed_string(string: CString | WideString) -> str:
    if isinstance(string, WideString):
        if string.error is not None and not string.units:
            return f"<error: {string.error}>"
        text = string.prefix + _quoted([_wide_character(u) for u in string.units],
                                       string.truncated)
    elif string.error is not None and not string.data:
        return f"<error: {string.error}>"
    else:
        text = string_text(list(string.data), force_ellipsis=string.truncated)
    if string.error is not None:
        text += f"<error: {string.error}>"
    return text


# -- arrays and strings ---------------------------------------------------------------------


def _elements(shown: Elements, fmt: str | None = None, depth: int | None = None) -> str:
    items = shown.items
    # Characters are a string only when every one is there: with one optimised out, gdb
    # shows each (``{<optimized out>, 98 'b', 99 'c', <optimized out>}``).
    as_string = (shown.chars and fmt in (None, "s")
                 and all(isinstance(item, Scalar) for item in items))
    if as_string and shown.prefix:
        units = [item.value for item in items if isinstance(item, Scalar)]
        if units and units[-1] == 0 and not shown.truncated:
            units = units[:-1]
        return shown.prefix + _quoted([_wide_character(unit) for unit in units],
                                      shown.truncated)
    if as_string:
        codes = [item.value & 0xFF for item in items if isinstance(item, Scalar)]
        return string_text(codes, force_ellipsis=shown.truncated, drop_nul=True)
    parts = []
    printed = 0
    index = 0
    while index < len(items) and printed < PRINT_ELEMENTS:
        run = _run_length(items, index)
        text = value_text(items[index], False, fmt, None if depth is None else depth + 1)
        if run > REPEAT_THRESHOLD:
            parts.append(f"{text} <repeats {run} times>")
            index += run
            printed += REPEAT_THRESHOLD
        else:
            parts.append(text)
            index += 1
            printed += 1
    more = "..." if index < len(items) or shown.truncated else ""
    return "{" + ", ".join(parts) + more + "}"


def _run_length(items: Sequence[object], index: int) -> int:
    end = index + 1
    while end < len(items) and items[end] == items[index]:
        end += 1
    return end - index


def string_text(codes: list[int], force_ellipsis: bool = False, drop_nul: bool = False) -> str:
    """gdb's generic_printstr: quoted runs, ``'c' <repeats N times>`` for long runs, valid
    UTF-8 sequences as characters, other bytes as octal escapes."""
    if drop_nul and not force_ellipsis and codes and codes[-1] == 0:
        codes = codes[:-1]
    if not codes:
        return '""'
    tail = [] if force_ellipsis else _incomplete_tail(codes)
    characters = _characters(codes[: len(codes) - len(tail)])
    if tail and characters and (isinstance(characters[-1], str) or characters[-1] < 0x80):
        # gdb's character iterator loses the character it converted just before an
        # incomplete sequence: "ab\370" prints as "a", <incomplete sequence \370>.
        characters.pop()
    return _quoted(characters, force_ellipsis, tail)


def _wide_character(unit: int) -> int | str:
    """A wide string's unit as a character when it is a printable one beyond ASCII."""
    if 0x80 <= unit <= 0x10FFFF and not 0xD800 <= unit < 0xE000 and chr(unit).isprintable():
        return chr(unit)
    return unit


def _quoted(characters: list[int | str], force_ellipsis: bool = False,
            tail: list[int] | None = None) -> str:
    """Characters as gdb quotes them: runs, repeats, escapes, the incomplete ``tail``."""
    if not characters and not tail:
        return '""'
    pieces: list[str] = []
    quoted: list[str] = []
    consumed = 0
    index = 0
    while index < len(characters) and consumed < PRINT_ELEMENTS:
        run = _run_length(characters, index)
        if run > REPEAT_THRESHOLD:
            if quoted:
                pieces.append('"' + "".join(quoted) + '"')
                quoted = []
            pieces.append(f"{_char_quote(characters[index])} <repeats {run} times>")
        else:
            quoted.extend([_string_char(characters[index])] * run)
        consumed += run
        index += run
    if quoted:
        pieces.append('"' + "".join(quoted) + '"')
    if tail:
        pieces.append("<incomplete sequence " + "".join(f"\\{b:03o}" for b in tail) + ">")
    text = ", ".join(pieces)
    if force_ellipsis or index < len(characters):
        text += "..."
    return text


# How many bytes a UTF-8 sequence has, by its first byte, as glibc's decoder counts them
# (it still knows the old 5- and 6-byte forms).
_SEQUENCE_LENGTHS = ((0xC2, 0xE0, 2), (0xE0, 0xF0, 3), (0xF0, 0xF8, 4), (0xF8, 0xFC, 5),
                     (0xFC, 0xFE, 6))


def _incomplete_tail(codes: list[int]) -> list[int]:
    """The bytes at the end that begin a multi-byte character the data stops inside of:
    gdb (through iconv) shows them apart, as ``<incomplete sequence \370\213>``."""
    start = len(codes) - 1
    while start > 0 and codes[start] & 0xC0 == 0x80 and len(codes) - start < 6:
        start -= 1
    lead = codes[start]
    for low, high, length in _SEQUENCE_LENGTHS:
        if low <= lead < high:
            return codes[start:] if len(codes) - start < length else []
    return []


def _characters(codes: list[int]) -> list[int | str]:
    """Bytes grouped into characters: a valid multi-byte UTF-8 sequence is one ``str``,
    any other byte stays an ``int``."""
    out: list[int | str] = []
    index = 0
    while index < len(codes):
        byte = codes[index]
        length = 2 if 0xC2 <= byte < 0xE0 else 3 if 0xE0 <= byte < 0xF0 else (
            4 if 0xF0 <= byte < 0xF5 else 1)
        if length > 1:
            try:
                out.append(bytes(codes[index : index + length]).decode("utf-8"))
                index += length
                continue
            except UnicodeDecodeError:
                pass
        out.append(byte)
        index += 1
    return out


def _string_char(character: int | str) -> str:
    return character if isinstance(character, str) else escape(character, quote='"')


def _char_quote(character: int | str) -> str:
    return f"'{character}'" if isinstance(character, str) else char_literal(character)
