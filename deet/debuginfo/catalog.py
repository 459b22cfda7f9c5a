"""What ``info functions`` and ``info variables`` list: every function with code and every
file-scope variable with a place that one file's DWARF defines, each with where it is
declared and its declaration as C writes it (``int square(int)``); and the ELF symbols
that no debug info describes, gdb's "non-debugging symbols".

One pass over the top-level DIEs of every CU, made only when the user asks (a whole
program's DWARF is read, which nothing else in deet does)."""

from __future__ import annotations

from dataclasses import dataclass

from elftools.dwarf.compileunit import CompileUnit
from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection

from deet.debuginfo.dies import UnitReader, attribute, die_name
from deet.debuginfo.symbols import _ELF64_SYM, plt_stubs, print_name
from deet.debuginfo.types import declare
from deet.debuginfo.units import UnitIndex

_SHF_ALLOC = 0x2
_SHF_EXECINSTR = 0x4
_SHT_NOBITS = 8
_STT_SECTION = 3
_STT_FILE = 4
_SHN_ABS = 0xFFF1


@dataclass(frozen=True)
class Declared:
    """A function (``function``) or variable the debug info defines: the file (as gdb names
    it, the name it was compiled under) and line of its declaration, its name, its C
    declaration (without ``static`` and the ``;``), and whether it is local to its file
    (no DW_AT_external)."""

    function: bool
    file: str
    line: int
    name: str
    declaration: str
    static: bool


@dataclass(frozen=True)
class PlainSymbol:
    """An ELF symbol: its name as gdb prints it, its link-time address, and whether it is
    in code (else in data or bss, or absolute)."""

    name: str
    linkage: str
    address: int
    code: bool


def declarations(units: UnitIndex) -> list[Declared]:
    """Every function with code and every file-scope variable with a location."""
    dwarf = units.dwarf
    if dwarf is None:
        return []
    found: list[Declared] = []
    for cu in units.all_units():
        found += _of_unit(units, cu)
    return found


def _of_unit(units: UnitIndex, cu: CompileUnit) -> list[Declared]:
    reader = UnitReader(units.dwarf, cu)
    files = units.files(cu)
    found = []
    for die in cu.get_top_DIE().iter_children():
        if die.tag not in ("DW_TAG_subprogram", "DW_TAG_variable"):
            continue
        if "DW_AT_declaration" in die.attributes:
            continue
        name = die_name(die)
        if name is None:
            continue
        function = die.tag == "DW_TAG_subprogram"
        if function and not reader.ranges(die):
            continue
        if not function and not ({"DW_AT_location", "DW_AT_const_value"}
                                 & set(die.attributes)):
            continue
        file = files.get(attribute(die, "DW_AT_decl_file"))
        line = attribute(die, "DW_AT_decl_line")
        if file is None or line is None:
            continue
        type_ = reader.function_type(die) if function else reader.type_of(die)
        found.append(Declared(function, units.name_of(file) or file, line, name,
                              declare(type_, name), not attribute(die, "DW_AT_external")))
    return found


def plain_symbols(elf: ELFFile) -> list[PlainSymbol]:
    """The file's symbols as gdb takes them for minimal symbols: named, neither a section
    nor a file symbol, in an allocated section (code, data or bss) or absolute; and the
    PLT's stubs (``strlen@plt``)."""
    section = elf.get_section_by_name(".symtab") or elf.get_section_by_name(".dynsym")
    if not isinstance(section, SymbolTableSection):
        return []
    kinds: dict[int, bool] = {}
    for index, part in enumerate(elf.iter_sections()):
        if part["sh_flags"] & _SHF_ALLOC:
            kinds[index] = bool(part["sh_flags"] & _SHF_EXECINSTR)
    strings = elf.get_section(section["sh_link"]).data()
    data = section.data()
    usable = len(data) - len(data) % _ELF64_SYM.size
    found = []
    for name_offset, info, _other, shndx, value, _size in _ELF64_SYM.iter_unpack(data[:usable]):
        if info & 0xF in (_STT_SECTION, _STT_FILE) or not name_offset:
            continue
        if shndx not in kinds and shndx != _SHN_ABS:
            continue
        end = strings.find(b"\0", name_offset)
        name = strings[name_offset:end].decode(errors="replace")
        found.append(PlainSymbol(print_name(name), name, value, kinds.get(shndx, False)))
    found += [PlainSymbol(stub.name, stub.name, stub.address, True) for stub in plt_stubs(elf)]
    return found


def unit_covers(units: UnitIndex, address: int) -> bool:
    """Whether a CU with debug info holds ``address`` (gdb's find_pc_compunit_symtab)."""
    return units.offset_at(address) is not None
