"""Function symbols from ``.symtab`` (or ``.dynsym``): cheap to load, no DWARF walk needed,
and they name every function, the static ones of every file included."""

from __future__ import annotations

import bisect
import struct
from collections.abc import Iterator
from dataclasses import dataclass

from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection


@dataclass(frozen=True)
class FunctionSymbol:
    name: str
    address: int
    size: int

    @property
    def end(self) -> int:
        return self.address + self.size

    def __contains__(self, address: int) -> bool:
        return self.address <= address < self.end


STT_FUNC = 2
_ELF64_SYM = struct.Struct("<IBBHQQ")


RawSymbol = tuple[str, int, bool, int, int]


def raw_symbols(elf: ELFFile, section: SymbolTableSection) -> Iterator[RawSymbol]:
    """(name, type, defined, value, size) of every symbol, read straight from the section
    bytes: pyelftools' per-symbol parsing costs about a second for libc's 12,000 symbols."""
    strings = elf.get_section(section["sh_link"]).data()
    data = section.data()
    usable = len(data) - len(data) % _ELF64_SYM.size
    for name_offset, info, _other, shndx, value, size in _ELF64_SYM.iter_unpack(data[:usable]):
        end = strings.find(b"\0", name_offset)
        name = strings[name_offset:end].decode(errors="replace")
        yield name, info & 0xF, shndx != 0, value, size


class SymbolTable:
    def __init__(self, functions: list[FunctionSymbol]) -> None:
        self._by_address = sorted(functions, key=lambda f: (f.address, -f.size))
        self._starts = [f.address for f in self._by_address]
        self._by_name: dict[str, list[FunctionSymbol]] = {}
        for function in self._by_address:
            same = self._by_name.setdefault(function.name, [])
            if all(other.address != function.address for other in same):
                same.append(function)

    @classmethod
    def from_elf(cls, elf: ELFFile) -> SymbolTable:
        section = elf.get_section_by_name(".symtab") or elf.get_section_by_name(".dynsym")
        if not isinstance(section, SymbolTableSection):
            return cls([])
        return cls([
            FunctionSymbol(name, value, size)
            for name, kind, defined, value, size in raw_symbols(elf, section)
            if kind == STT_FUNC and defined and value
        ])

    def __len__(self) -> int:
        return len(self._by_address)

    def named(self, name: str) -> list[FunctionSymbol]:
        return list(self._by_name.get(name, ()))

    def containing(self, address: int) -> FunctionSymbol | None:
        index = bisect.bisect_right(self._starts, address) - 1
        while index >= 0:
            function = self._by_address[index]
            if address in function:
                return function
            if function.address < address and function.size:
                return None
            index -= 1
        return None
