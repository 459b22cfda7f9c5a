"""What a C value looks like when shown: the tree ``print`` answers with.

The debugger core builds it (reading whatever the program holds: the string behind a
``char *``, the symbol an address falls in); ``deet.render.values`` turns it into gdb's
text. It holds plain data only (no C type objects, which can be cyclic), so it can be
compared, serialised and rendered without the program or its debug info. It sits beside
``deet.results`` because results carry it.
"""

from __future__ import annotations

import struct
from fractions import Fraction

from deet.results.reprs import result

# gdb's default ``set print elements 200``; a string read behind a pointer stops there too.
PRINT_ELEMENTS = 200


@result
class Scalar:
    """An integer of some kind: ``int``, ``char`` (shown with its character), ``bool`` or
    ``enum`` (shown by name, with the type's ``enumerators``); ``size`` in bytes, for
    ``print/x``."""

    value: int
    kind: str = "int"
    enumerators: tuple[tuple[str, int], ...] = ()
    size: int = 4
    # A wide character's C prefix (``L``, ``u``, ``U``); "" for a plain char.
    prefix: str = ""


@result
class Floating:
    """A float, double or long double, as its bytes (which also carry infinities and NaNs)."""

    data: bytes


@result
class CString:
    """Bytes read behind a ``char *``: up to the NUL, ``PRINT_ELEMENTS`` at most."""

    data: bytes
    truncated: bool = False
    error: str | None = None


@result
class WideString:
    """Code units read behind a ``wchar_t *`` (``char16_t *``, ``char32_t *``): up to
    the zero unit, ``PRINT_ELEMENTS`` at most; ``prefix`` is C's ``L``, ``u`` or ``U``."""

    units: tuple[int, ...]
    prefix: str
    truncated: bool = False
    error: str | None = None


@result
class Pointer:
    """``type_name`` is shown before a top-level pointer unless ``bare``: a plain
    ``char *`` (which shows its string instead), or an array of no known size, which gdb
    shows as its address."""

    type_name: str
    address: int
    symbol: str | None = None
    string: CString | WideString | None = None
    bare: bool = False


@result
class Function:
    type_name: str
    address: int
    symbol: str | None = None


@result
class Elements:
    """An array's elements (``truncated``: there were more than were read); ``chars``:
    the elements are characters (single-byte, or wide), shown as a string."""

    items: tuple[Shown, ...]
    truncated: bool = False
    chars: bool = False
    # Wide characters' C prefix (``L``, ``u``, ``U``): then shown as a wide string.
    prefix: str = ""


@result
class Fields:
    """A struct's or union's members; an anonymous member has no name."""

    items: tuple[tuple[str | None, Shown], ...]


@result
class Synthetic:
    """A pointer the compiler did away with (DW_OP_implicit_pointer): gdb shows
    ``<synthetic pointer>``, with the type before it at the top."""

    type_name: str


@result
class Unavailable:
    """A value the debug info says the compiler did not keep."""

    reason: str = "optimized out"


@result
class Void:
    """A value of type void (an unset convenience variable, a void function's return)."""


@result
class Failed:
    """A value that could not be read: shown as ``<error: MESSAGE>``."""

    message: str


Shown = (Scalar | Floating | Pointer | Function | Elements | Fields | Synthetic | Unavailable
         | Void | Failed)


def float_fraction(data: bytes) -> Fraction:
    """The exact value of an IEEE float, double or x87 80-bit long double."""
    if len(data) == 4:
        return Fraction(struct.unpack("<f", data)[0])
    if len(data) == 8:
        return Fraction(struct.unpack("<d", data)[0])
    mantissa = int.from_bytes(data[:8], "little")
    top = int.from_bytes(data[8:10], "little")
    sign, exponent = top >> 15, top & 0x7FFF
    if exponent == 0 and mantissa == 0:
        return Fraction(0)
    value = Fraction(mantissa) * Fraction(2) ** (exponent - 16383 - 63)
    return -value if sign else value
