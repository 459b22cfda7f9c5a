"""Function symbols from ``.symtab`` (or ``.dynsym``): cheap to load, no DWARF walk needed,
and they name every function, the static ones of every file included."""

from __future__ import annotations

import bisect
import functools
import re
import struct
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from elftools.elf.elffile import ELFFile
from elftools.elf.relocation import RelocationSection
from elftools.elf.sections import SymbolTableSection

from deet.debuginfo.cache import DebugCache
from deet.debuginfo.errors import PARSE_ERRORS, DebugInfoError


@dataclass(frozen=True)
class FunctionSymbol:
    """``reach``: for a symbol of no size in code, the end of its section, up to which gdb
    names the code after it by it (0: nowhere)."""

    name: str
    address: int
    size: int
    reach: int = field(default=0, compare=False, repr=False)
    # STB_LOCAL: at an address several symbols name, gdb prefers a global (the stripped
    # object's own table, which it searches first, holds only those).
    local: bool = field(default=False, compare=False, repr=False)

    @property
    def end(self) -> int:
        return self.address + self.size

    def __contains__(self, address: int) -> bool:
        return self.address <= address < self.end


STT_NOTYPE = 0
STT_OBJECT = 1
STT_FUNC = 2
STB_LOCAL = 0
_SHF_EXECINSTR = 0x4
_ELF64_SYM = struct.Struct("<IBBHQQ")


RawSymbol = tuple[str, int, bool, int, int, bool]


def raw_symbols(elf: ELFFile, section: SymbolTableSection, kind: int | None = None
                ) -> Iterator[RawSymbol]:
    """(name, type, defined, value, size, local) of every symbol (of type ``kind`` only,
    when given: a name is decoded only for a symbol kept), read straight from the section
    bytes: pyelftools' per-symbol parsing costs about a second for libc's 12,000 symbols."""
    strings = elf.get_section(section["sh_link"]).data()
    data = section.data()
    usable = len(data) - len(data) % _ELF64_SYM.size
    for name_offset, info, _other, shndx, value, size in _ELF64_SYM.iter_unpack(data[:usable]):
        if kind is not None and info & 0xF != kind:
            continue
        end = strings.find(b"\0", name_offset)
        name = strings[name_offset:end].decode(errors="replace")
        yield name, info & 0xF, shndx != 0, value, size, info >> 4 == STB_LOCAL


# gcc's specialised copies of a function (foo.constprop.0, foo.isra.0, foo.part.0) are the
# function to gdb, which finds them through their DWARF; foo.cold is the same function's
# second range, not a place to break.
_CLONE = re.compile(r"(?:\.(?:constprop|isra|part|lto_priv)\.\d+)+$")

PLT_ENTRY = 16
# What gdb's Ada decoder takes off a name's end (``calls.2``, ``x__3``, ``y$1``).
_NUMBERED = re.compile(r"(?:\.|\$|__)\d+$")


def print_name(name: str) -> str:
    """The name gdb prints for a symbol the symbol table gives (not the DWARF): gdb runs
    every such name through its Ada decoder, and takes the result when it differs and
    looks like Ada: lower case, not starting with ``_``. So gcc's ``calls.2`` (a static
    local) prints as ``calls`` and ``const_str__thread`` as ``const_str.thread``, while
    ``_keywords.17`` and ``PyList_Type`` stay as they are."""
    if not name or name[0] in "_<":
        return name
    decoded = _NUMBERED.sub("", name)
    if "___" in decoded:
        decoded = decoded[: decoded.index("___")]
    decoded = decoded.replace("__", ".")
    if any(c.isupper() or c == " " for c in decoded):
        return name
    return decoded


def _unsized_code(elf: ELFFile, section: SymbolTableSection) -> list[FunctionSymbol]:
    """Functions of no size and untyped symbols in code (the dynamic loader's ``_start``,
    glibc's ``__restore_rt``, assembly labels), each with the end of its section: gdb
    takes them as minimal symbols of code, and names by them the code after them, in
    their section, that no symbol with a size holds (``SymbolTable.containing``)."""
    ends = {index: part["sh_addr"] + part["sh_size"]
            for index, part in enumerate(elf.iter_sections())
            if part["sh_flags"] & _SHF_EXECINSTR}
    strings = elf.get_section(section["sh_link"]).data()
    data = section.data()
    usable = len(data) - len(data) % _ELF64_SYM.size
    found = []
    for name_offset, info, _other, shndx, value, size in _ELF64_SYM.iter_unpack(data[:usable]):
        kind = info & 0xF
        unsized = (kind == STT_FUNC and not size) or kind == STT_NOTYPE
        if unsized and shndx in ends and value and name_offset:
            end = strings.find(b"\0", name_offset)
            found.append(FunctionSymbol(strings[name_offset:end].decode(errors="replace"),
                                        value, 0, ends[shndx]))
    return found


def plt_stubs(elf: ELFFile) -> list[FunctionSymbol]:
    """gdb's ``NAME@plt`` symbols: the n-th ``.rela.plt`` relocation's stub is the n-th
    16-byte entry of ``.plt.sec`` (CET builds), else of ``.plt`` after its first entry."""
    relocations = elf.get_section_by_name(".rela.plt")
    table = elf.get_section_by_name(".plt.sec")
    first = 0
    if table is None:
        table, first = elf.get_section_by_name(".plt"), 1
    if not isinstance(relocations, RelocationSection) or table is None:
        return []
    symbols = elf.get_section(relocations["sh_link"])
    if not isinstance(symbols, SymbolTableSection):
        return []
    stubs = []
    for index, relocation in enumerate(relocations.iter_relocations()):
        name = symbols.get_symbol(relocation["r_info_sym"]).name
        if name:
            address = table["sh_addr"] + (index + first) * PLT_ENTRY
            stubs.append(FunctionSymbol(f"{name}@plt", address, PLT_ENTRY))
    return stubs + _got_plt_stubs(elf)


_ENDBR64 = b"\xf3\x0f\x1e\xfa"
_JMP_RIP = b"\xff\x25"  # jmp *disp32(%rip)


def _got_plt_stubs(elf: ELFFile) -> list[FunctionSymbol]:
    """The ``.plt.got`` stubs (a PIE's calls of a function the GOT binds at load time,
    ``__cxa_finalize@plt``): each jumps through a GOT slot that a ``.rela.dyn``
    relocation names, which is how binutils' synthetic symbols (and gdb) name them."""
    table = elf.get_section_by_name(".plt.got")
    relocations = elf.get_section_by_name(".rela.dyn")
    if table is None or table["sh_type"] == "SHT_NOBITS" or \
            not isinstance(relocations, RelocationSection):
        return []
    symbols = elf.get_section(relocations["sh_link"])
    if not isinstance(symbols, SymbolTableSection):
        return []
    slots = {}
    for relocation in relocations.iter_relocations():
        if relocation["r_info_sym"]:
            name = symbols.get_symbol(relocation["r_info_sym"]).name
            if name:
                slots[relocation["r_offset"]] = name
    code = table.data()
    size = table["sh_entsize"] or 8
    stubs = []
    for offset in range(0, len(code) - size + 1, size):
        at = offset + (len(_ENDBR64) if code[offset:offset + 4] == _ENDBR64 else 0)
        at += code[at] == 0xF2  # bnd
        if code[at:at + 2] != _JMP_RIP:
            continue
        after = at + 6
        slot = table["sh_addr"] + after + int.from_bytes(code[at + 2:after], "little",
                                                         signed=True)
        if slot in slots:
            stubs.append(FunctionSymbol(f"{slots[slot]}@plt", table["sh_addr"] + offset, size))
    return stubs


class SymbolTable:
    """Symbols in columns sorted by address, objects made only for the few a lookup
    returns: tens of thousands of them load in milliseconds this way, from the file or
    from deet's cache (``columns``/``from_columns``). Symbols at one address are in gdb's
    order, by name, globals after locals and those of no size last, so that the last
    with a size is gdb's choice (``printf``, not ``_IO_printf``; ``_IO_file_jumps``, not
    its local alias ``__GI__IO_file_jumps``)."""

    def __init__(self, functions: list[FunctionSymbol]) -> None:
        ordered = sorted(functions, key=lambda f: (f.address, not f.size, not f.local, f.name))
        self._names = [f.name for f in ordered]
        self._starts = [f.address for f in ordered]
        self._sizes = [f.size for f in ordered]
        self._reaches = [f.reach for f in ordered]

    @classmethod
    def from_columns(cls, columns: tuple) -> SymbolTable:
        """A table from what ``columns`` returned; ValueError if the columns disagree.
        The name index is rebuilt when first asked for (``_by_name``): loading it with
        ``marshal`` takes four times as long as building it."""
        names, starts, sizes, reaches = columns
        if not len(names) == len(starts) == len(sizes) == len(reaches):
            raise ValueError("inconsistent symbol columns")
        table = cls.__new__(cls)
        table._names, table._starts, table._sizes = list(names), list(starts), list(sizes)
        table._reaches = list(reaches)
        return table

    @functools.cached_property
    def _by_name(self) -> dict[str, int | list[int]]:
        """Made on the first lookup by name: naming an address (a frame, a pointer's
        ``<symbol+offset>``) needs only the sorted columns."""
        return _name_index(self._names, self._starts)

    def columns(self) -> tuple:
        return self._names, self._starts, self._sizes, self._reaches

    @classmethod
    def from_elf(cls, elf: ELFFile, kind: int = STT_FUNC) -> SymbolTable:
        """The defined symbols of one kind: functions, or data objects (``STT_OBJECT``)."""
        section = elf.get_section_by_name(".symtab") or elf.get_section_by_name(".dynsym")
        if not isinstance(section, SymbolTableSection):
            return cls([])
        symbols = [
            FunctionSymbol(name, value, size, local=local)
            for name, _kind, defined, value, size, local in raw_symbols(elf, section, kind)
            if defined and value and (size or kind != STT_FUNC)
        ]
        if kind == STT_FUNC:
            symbols.extend(_unsized_code(elf, section))
            symbols.extend(plt_stubs(elf))
        return cls(symbols)

    def __len__(self) -> int:
        return len(self._starts)

    def _symbol(self, index: int) -> FunctionSymbol:
        return FunctionSymbol(self._names[index], self._starts[index], self._sizes[index],
                              self._reaches[index])

    def names(self) -> list[str]:
        """Every symbol's name, once (what Tab completes a function or global from)."""
        return list(self._by_name)

    def named(self, name: str) -> list[FunctionSymbol]:
        """The definitions of ``name``, gcc's specialised copies of it included."""
        rows = self._by_name.get(name, ())
        return [self._symbol(row) for row in ((rows,) if isinstance(rows, int) else rows)]

    def symbolic(self, address: int) -> str | None:
        """gdb's ``<name+offset>`` for an address inside a symbol (without the brackets),
        the name as the table has it (what ``x`` and ``disassemble`` show)."""
        symbol = self.containing(address)
        if symbol is None:
            return None
        offset = address - symbol.address
        return f"{symbol.name}+{offset}" if offset else symbol.name

    def containing(self, address: int) -> FunctionSymbol | None:
        """The symbol whose bytes hold ``address``; failing one, gdb's choice: the nearest
        symbol of no size (a label, or a function whose size was not given: glibc's
        ``__restore_rt``) before ``address``, in the same section, and after the last
        symbol that ends before it."""
        index = bisect.bisect_right(self._starts, address) - 1
        unsized = None
        while index >= 0:
            start, size = self._starts[index], self._sizes[index]
            if not size:
                if unsized is None and address < self._reaches[index]:
                    unsized = index
            elif start <= address < start + size:
                return self._symbol(index)
            elif start < address:
                break
            index -= 1
        return self._symbol(unsized) if unsized is not None else None


class FileSymbols:
    """One ELF file's symbols: the function and data tables, each read the first time a
    name or address is looked up (from the cache when an earlier session kept it), from
    the separate debug file when that has the full ``.symtab``; and single names looked
    up straight in the sections, for the few questions the tables do not answer."""

    def __init__(self, path: str, elf: ELFFile, debug_elf: ELFFile, full_table: ELFFile,
                 cache: DebugCache) -> None:
        self._path = path
        self._elf = elf
        self._debug_elf = debug_elf
        self._full_table = full_table
        self._cache = cache

    @functools.cached_property
    def functions(self) -> SymbolTable:
        return self._table(STT_FUNC)

    @functools.cached_property
    def data(self) -> SymbolTable:
        return self._table(STT_OBJECT)

    def _table(self, kind: int) -> SymbolTable:
        # "-3": the function table holds code labels, unsized symbols and a PIE's
        # .plt.got stubs since issue 16; a cache written before does not.
        part = f"symbols-{kind}-3"
        table = self._cache.restore(part, SymbolTable.from_columns)
        if table is not None:
            return table
        try:
            table = SymbolTable.from_elf(self._full_table, kind)
        except PARSE_ERRORS as exc:
            raise DebugInfoError(f"{self._path}: corrupt symbol table ({exc})") from exc
        self._cache.put(part, table.columns())
        return table

    def address_of(self, name: str) -> int | None:
        """Any defined symbol's link-time address (data symbols included)."""
        for elf in (self._debug_elf, self._elf):
            for section_name in (".symtab", ".dynsym"):
                section = elf.get_section_by_name(section_name)
                if not isinstance(section, SymbolTableSection):
                    continue
                for symbol, _kind, defined, value, *_ in raw_symbols(elf, section):
                    if symbol == name and defined:
                        return value
        return None

    def imports(self, name: str) -> bool:
        """Whether the program calls ``name`` from a shared library (an undefined dynamic
        symbol): such a name can be given a breakpoint before the library is loaded."""
        section = self._elf.get_section_by_name(".dynsym")
        if not isinstance(section, SymbolTableSection):
            return False
        return any(
            symbol == name and not defined
            for symbol, _kind, defined, *_ in raw_symbols(self._elf, section)
        )


def _name_index(names: list[str], starts: list[int]) -> dict[str, int | list[int]]:
    """Row numbers by name, a gcc clone (foo.constprop.0) filed under the function it
    copies, and one row per address (an alias at the same address adds nothing): the row
    itself for a name defined once, a list of rows for one defined more than once.

    Built with C-speed ``dict``/``Counter`` passes and a Python loop over repeated
    names only: a per-row loop cost 20-40 ms of a warm start on 30,000 functions, and a
    one-row list for every name another 5."""
    keys = [_CLONE.sub("", name) if "." in name else name for name in names]
    index: dict[str, int | list[int]] = dict(zip(keys, range(len(keys)), strict=True))
    if len(index) == len(keys):
        return index
    repeated = {key for key, count in Counter(keys).items() if count > 1}
    rows: dict[str, list[int]] = {key: [] for key in repeated}
    for row, key in enumerate(keys):
        if key in repeated:
            same = rows[key]
            if all(starts[other] != starts[row] for other in same):
                same.append(row)
    index.update(rows)
    return index
