"""pyelftools' DWARF reader over sections read from the file when first used.

``ELFFile.get_dwarf_info`` reads (and decompresses) every debug section before it returns:
CPython's 16 MB took 23 ms of every session, though a session served from deet's cache
touches two or three of them (``.debug_info`` and ``.debug_abbrev`` to skim one unit, say)
and never the location or line sections. Here each section is a descriptor whose stream is
made on first access; after that, pyelftools reads an ordinary ``BytesIO`` at C speed.
"""

from __future__ import annotations

import struct
from functools import cached_property
from io import BytesIO

from elftools.dwarf.dwarfinfo import DwarfConfig, DWARFInfo
from elftools.elf.elffile import ELFFile

from deet.debuginfo.elfheaders import SHF_COMPRESSED, ElfHeaders, SectionHeader

# The sections ``DWARFInfo`` takes, each as the keyword ``<name without the dot>_sec``.
_SECTIONS = (
    ".debug_info", ".debug_aranges", ".debug_abbrev", ".debug_str", ".debug_line",
    ".debug_frame", ".debug_loc", ".debug_ranges", ".debug_pubtypes", ".debug_pubnames",
    ".debug_addr", ".debug_str_offsets", ".debug_line_str", ".debug_loclists",
    ".debug_rnglists", ".debug_sup", ".gnu_debugaltlink", ".debug_types", ".eh_frame",
)
# Elf64_Chdr: type, reserved, the size inflated, the alignment.
_COMPRESSION_HEADER = struct.Struct("<IIQQ")


class LazySection:
    """What pyelftools reads of a ``DebugSectionDescriptor``, the bytes read on demand."""

    def __init__(self, elf: ELFFile, headers: ElfHeaders, section: SectionHeader) -> None:
        self._elf, self._headers, self._section = elf, headers, section
        self.name: str = section.name
        self.global_offset: int = section.offset
        self.address: int = section.address
        self.size: int = section.size
        if section.flags & SHF_COMPRESSED:
            header = headers.read(section.offset, _COMPRESSION_HEADER.size)
            self.size = _COMPRESSION_HEADER.unpack(header)[2]

    @cached_property
    def stream(self) -> BytesIO:
        if self._section.flags & SHF_COMPRESSED:
            # pyelftools inflates it (and refuses a kind of compression it does not know).
            return BytesIO(self._elf.get_section_by_name(self.name).data())
        return BytesIO(self._headers.data(self._section))


def dwarf_info(elf: ELFFile, headers: ElfHeaders) -> DWARFInfo:
    """The DWARF of ``elf``, unrelocated (deet reads linked programs and libraries)."""
    if headers.section(".zdebug_info") is not None:
        # GNU's pre-standard compression: rare now, left to pyelftools' eager path.
        return elf.get_dwarf_info(relocate_dwarf_sections=False)
    sections = {}
    for name in _SECTIONS:
        section = headers.section(name)
        sections[f"{name[1:]}_sec"] = None if section is None else LazySection(elf, headers,
                                                                               section)
    config = DwarfConfig(little_endian=True, machine_arch="x64", default_address_size=8)
    return DWARFInfo(config=config, **sections)


__all__ = ["LazySection", "dwarf_info"]
