"""The program's data as the user asked to see it: printed values, variables, memory,
machine code, registers, source listings."""

from __future__ import annotations

from deet.results.reprs import result
from deet.results.shown import CString, Shown


@result
class SourceLine:
    """A line of source shown under a frame: its text, or, when the file cannot be read,
    the file as gdb names it and why (``missing``, ``error``); ``again``: the same file
    could not be read the last time a line was shown either (gdb then says only ``in
    FILE``); ``stale``: the file was read for this line and is newer than the executable
    (gdb warns before the line)."""

    line: int
    text: str | None
    missing: str | None = None
    error: str | None = None
    again: bool = False
    stale: bool = False


@result
class Printed:
    """``print``'s answer: the value history number and the value; ``format``: the
    letter of ``print/FMT``."""

    number: int
    value: Shown
    format: str | None = None
    # ``set print pretty on``: members one a line, as gdb lays them out.
    pretty: bool = False


@result
class Variables:
    """``info locals`` / ``info args``: names and values, or ``empty`` when there are none."""

    items: tuple[tuple[str, Shown], ...]
    empty: str


@result
class LineInfo:
    """``info line``: where line ``line`` of ``file`` has its code, from ``start`` (with its
    symbol, ``add+14``) to ``end``; ``end`` None: the line has no code, and ``start`` is
    the next code after it."""

    file: str
    line: int
    start: int
    start_symbol: str | None
    end: int | None = None
    end_symbol: str | None = None


@result
class SymbolListing:
    """``info functions``/``info variables`` (``functions``): what ``regex`` finds (None:
    everything), the program's debug info first, by file, each ``(line, declaration)`` in
    C with ``static`` where it is local to its file, then the non-debugging symbols as
    ``(address, name)``."""

    functions: bool
    regex: str | None
    files: tuple[tuple[str, tuple[tuple[int, str], ...]], ...]
    plain: tuple[tuple[int, str], ...]


@result
class SourceInfo:
    """``info source``: the current source file (``file`` as the debug info names it,
    ``path`` where it is, None with ``lines`` when it cannot be read) and what its compile
    unit says; ``stale``: the file was read to count its lines and is newer than the
    executable (gdb warns before the count)."""

    file: str
    comp_dir: str | None
    path: str | None
    lines: int | None
    language: str
    producer: str | None
    dwarf_version: int
    macros: bool
    stale: bool = False


@result
class SymbolMatch:
    """A symbol an address is in: its name, the offset into it, the section, and the
    object's path when several are loaded (gdb names it then)."""

    name: str
    offset: int
    section: str
    object: str | None = None


@result
class SymbolInfo:
    """``info symbol ADDR``: the symbols ``asked`` (the expression as typed) is in, one
    per object that has one; none: no symbol matches."""

    asked: str
    matches: tuple[SymbolMatch, ...]


@result
class Listing:
    """``list``: numbered source lines; ``stale``: the file was read for them and is newer
    than the executable (gdb warns first)."""

    lines: tuple[SourceLine, ...]
    stale: bool = False


@result
class MemoryRow:
    """One line of ``x``: its address (and symbol), the units read, the string (``x/s``)
    or the error that stopped the reading; ``symbols``: for ``x/a``, each unit's."""

    address: int
    symbol: str | None
    items: tuple[int, ...]
    string: CString | None = None
    error: str | None = None
    symbols: tuple[str | None, ...] = ()


@result
class CodeRow:
    """One instruction; ``at_pc`` marks the selected frame's pc (gdb's ``=>``)."""

    address: int
    size: int
    symbol: str | None
    mnemonic: str
    operands: str
    at_pc: bool
    target: int | None = None
    target_symbol: str | None = None
    rip_relative: int | None = None
    rip_symbol: str | None = None


@result
class Examined:
    format: str
    size: int
    rows: tuple[MemoryRow, ...] | tuple[CodeRow, ...]


@result
class Disassembly:
    function: str
    start: int
    rows: tuple[CodeRow, ...]


@result
class RegisterRow:
    """``kind``: int, pointer, code, flags or segment (what gdb's natural column shows);
    ``value`` None: not saved in this frame."""

    name: str
    value: int | None
    kind: str
    symbol: str | None = None


@result
class RegisterTable:
    rows: tuple[RegisterRow, ...]


@result
class TypeMember:
    """A member of a struct or union body as ``ptype`` lists it: its C declaration
    (``struct node *next``), its bit-field width, and, for a member of an anonymous
    struct, union or enum type, that type's body (``declaration`` is then what follows
    the body: `` u``)."""

    declaration: str
    bits: int | None = None
    body: TypeBody | None = None


@result
class TypeBody:
    """A struct, union or enum type written out; ``enumerators``' values are None where C
    would count them anyway (``{RED, GREEN = 4, BLUE}``)."""

    head: str
    members: tuple[TypeMember, ...] = ()
    enumerators: tuple[tuple[str, int | None], ...] | None = None


@result
class TypeShown:
    """``whatis``/``ptype``'s answer: the type's C name; for ``ptype`` of a struct, union
    or enum (or a pointer, array or function of one), its body and the declarator that
    follows it (`` *``, `` [5]``, `` (struct pair)``)."""

    name: str
    body: TypeBody | None = None
    suffix: str = ""
