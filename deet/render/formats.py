"""gdb's output-format letters, written once for ``print/FMT`` and ``x/FMT``.

Both commands write a number in one of gdb's letters (x z o t d u c a); they differ in where
the number comes from (a value's bits, a unit of memory) and in padding: ``x`` zero-pads
``x`` to the unit's hex digits (so ``x/x`` is ``print/z``) and ``t`` to its bits, ``print``
pads neither. ``c`` is the low byte as a signed number and a character (``x/c`` reads units
of one byte), ``a`` an address and the symbol it falls in, where the caller knows one.

The C character literal lives here because ``c`` writes one; ``values.py``, which writes
every ``char`` and string with the same escapes, imports it from here.
"""

from __future__ import annotations

_NAMED_ESCAPES = {7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r"}


def formatted(raw: int, bits: int, fmt: str, *, pad: bool = False,
              symbol: str | None = None) -> str:
    """``raw``, an unsigned number ``bits`` wide, in format ``fmt`` (gdb's
    print_scalar_formatted); ``pad``: zero-pad ``x`` and ``t`` to the width, as ``x`` does;
    ``symbol``: for ``a``, the symbol the address falls in."""
    if fmt == "z" or (fmt == "x" and pad):
        return f"0x{raw:0{bits // 4}x}"
    if fmt == "x":
        return f"{raw:#x}"
    if fmt == "o":
        return f"0{raw:o}" if raw else "0"
    if fmt == "t":
        return f"{raw:0{bits}b}" if pad else f"{raw:b}"
    if fmt == "d":
        return str(raw - (1 << bits) if raw >> (bits - 1) else raw)
    if fmt == "u":
        return str(raw)
    if fmt == "c":
        byte = raw & 0xFF
        return f"{byte - 256 if byte > 127 else byte} {char_literal(byte)}"
    if fmt == "a":
        return f"{raw:#x}" + (f" <{symbol}>" if symbol else "")
    raise ValueError(f"no output format {fmt!r}")


def char_literal(byte: int) -> str:
    """A byte as a C character literal, ``'A'``, ``'\\n'``, ``'\\377'``, as gdb writes one."""
    if byte == ord("'"):
        return "'\\''"
    return f"'{escape(byte, quote=chr(39))}'"


def escape(byte: int, quote: str) -> str:
    """One byte inside a C literal quoted with ``quote``: gdb's escapes, else octal."""
    if byte == 92:
        return "\\\\"
    if chr(byte) == quote:
        return "\\" + quote
    if byte in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[byte]
    if 32 <= byte < 127:
        return chr(byte)
    return f"\\{byte:03o}"
