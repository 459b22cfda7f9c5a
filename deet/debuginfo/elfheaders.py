"""An ELF64 file's program and section headers, read with ``struct``.

pyelftools parses each header through ``construct``, tens of microseconds apiece: mapping
the section names and walking the segments of the nine files a CPython session opens
took 15 ms of every start. What each start asks of headers (which sections there are,
where the segments load, the bytes of ``.eh_frame`` or of a note) is read here;
pyelftools' ``ELFFile`` stays for what is read once and cached (symbol tables, DWARF).
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from typing import BinaryIO

_FILE_HEADER = struct.Struct("<16xHHIQQQIHHHHHH")
_SECTION_HEADER = struct.Struct("<IIQQQQIIQQ")
_PROGRAM_HEADER = struct.Struct("<IIQQQQQQ")
_SHN_XINDEX = 0xFFFF

ET_DYN = 3
SHT_NOBITS = 8
SHF_ALLOC = 0x2
SHF_EXECINSTR = 0x4
SHF_TLS = 0x400
SHF_COMPRESSED = 0x800
PT_LOAD = 1
PT_INTERP = 3


@dataclass(frozen=True)
class SectionHeader:
    name: str
    kind: int
    flags: int
    address: int
    offset: int
    size: int
    link: int


@dataclass(frozen=True)
class Segment:
    kind: int
    offset: int
    address: int
    file_size: int
    memory_size: int


class ElfHeaders:
    """The headers of one open ELF64 little-endian file (``open_elf`` has checked it is
    one). Both tables are read at once (tens of microseconds), so that a damaged one is
    refused when the file is opened, not when a segment is first asked for."""

    def __init__(self, stream: BinaryIO) -> None:
        self._fd = stream.fileno()
        (self.type, _machine, _version, self.entry, self._phoff, self._shoff, _flags,
         _ehsize, self._phentsize, self._phnum, self._shentsize, self._shnum,
         self._shstrndx) = _FILE_HEADER.unpack(self.read(0, _FILE_HEADER.size))
        self.segments = self._segments()
        self._sections = self._section_map()

    def read(self, offset: int, size: int) -> bytes:
        """``size`` bytes at ``offset`` (fewer at the end of the file)."""
        return os.pread(self._fd, size, offset)

    def _segments(self) -> tuple[Segment, ...]:
        table = self._table("program", self._phoff, self._phnum * self._phentsize)
        segments = []
        for index in range(self._phnum):
            kind, _flags, offset, address, _paddr, file_size, memory_size, _align = (
                _PROGRAM_HEADER.unpack_from(table, index * self._phentsize))
            segments.append(Segment(kind, offset, address, file_size, memory_size))
        return tuple(segments)

    def section(self, name: str) -> SectionHeader | None:
        return self._sections.get(name)

    def allocated_at(self, address: int) -> SectionHeader | None:
        """The section loaded at ``address`` (a link-time address), as gdb's object
        sections are: allocated, not empty, and not a thread-local template."""
        for section in self._sections.values():
            if (section.flags & SHF_ALLOC and not section.flags & SHF_TLS
                    and section.address <= address < section.address + section.size):
                return section
        return None

    def data(self, section: SectionHeader) -> bytes:
        """A section's bytes as stored (``SHT_NOBITS``, as a separate debug file's copy of
        ``.eh_frame``: zeros, as pyelftools gives; a compressed section is left to
        pyelftools, which inflates it)."""
        if section.kind == SHT_NOBITS:
            return bytes(section.size)
        return self.read(section.offset, section.size)

    def _table(self, kind: str, offset: int, size: int) -> bytes:
        """A header table, whole: a damaged header can point past the end of the file."""
        table = self.read(offset, size)
        if len(table) < size:
            raise ValueError(f"{kind} headers at offset {offset} past the end of the file "
                             f"({os.fstat(self._fd).st_size} bytes)")
        return table

    def _section_map(self) -> dict[str, SectionHeader]:
        """By name, the last of a repeated name winning, as in pyelftools' map."""
        if not self._shoff:
            return {}
        count, names_index = self._shnum, self._shstrndx
        if count == 0 or names_index == _SHN_XINDEX:
            # Extended numbering: the real values are in section 0's size and link.
            first = _SECTION_HEADER.unpack(self._table("section", self._shoff,
                                                       _SECTION_HEADER.size))
            count = count or first[5]
            names_index = first[6] if names_index == _SHN_XINDEX else names_index
        table = self._table("section", self._shoff, count * self._shentsize)
        rows = [_SECTION_HEADER.unpack_from(table, index * self._shentsize)
                for index in range(count)]
        _, _, _, _, names_offset, names_size, *_ = rows[names_index]
        names = self.read(names_offset, names_size)
        sections = {}
        for name_offset, kind, flags, address, offset, size, link, *_ in rows:
            end = names.find(b"\0", name_offset)
            name = names[name_offset:end if end >= 0 else len(names)].decode(errors="replace")
            sections[name] = SectionHeader(name, kind, flags, address, offset, size, link)
        return sections


__all__ = [
    "ET_DYN",
    "PT_INTERP",
    "PT_LOAD",
    "SHF_COMPRESSED",
    "SHF_EXECINSTR",
    "SHT_NOBITS",
    "ElfHeaders",
    "SectionHeader",
    "Segment",
]
