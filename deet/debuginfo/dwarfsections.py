"""pyelftools' DWARF reader over sections read from the file when first used.

``ELFFile.get_dwarf_info`` reads (and decompresses) every debug section before it returns:
CPython's 16 MB took 23 ms of every session, though a session served from deet's cache
touches two or three of them (``.debug_info`` and ``.debug_abbrev`` to skim one unit, say)
and never the location or line sections. Here each section is a descriptor whose stream is
made on first access; after that, pyelftools reads an ordinary ``BytesIO`` at C speed.
"""

from __future__ import annotations

from functools import cached_property
from io import BytesIO

from elftools.dwarf.dwarfinfo import DwarfConfig, DWARFInfo
from elftools.elf.elffile import ELFFile
from elftools.elf.sections import Section

# The sections ``DWARFInfo`` takes, each as the keyword ``<name without the dot>_sec``.
_SECTIONS = (
    ".debug_info", ".debug_aranges", ".debug_abbrev", ".debug_str", ".debug_line",
    ".debug_frame", ".debug_loc", ".debug_ranges", ".debug_pubtypes", ".debug_pubnames",
    ".debug_addr", ".debug_str_offsets", ".debug_line_str", ".debug_loclists",
    ".debug_rnglists", ".debug_sup", ".gnu_debugaltlink", ".debug_types", ".eh_frame",
)


class LazySection:
    """What pyelftools reads of a ``DebugSectionDescriptor``, the bytes read on demand."""

    def __init__(self, section: Section) -> None:
        self._section = section
        self.name: str = section.name
        self.global_offset: int = section["sh_offset"]
        self.size: int = section.data_size
        self.address: int = section["sh_addr"]

    @cached_property
    def stream(self) -> BytesIO:
        return BytesIO(self._section.data())


def dwarf_info(elf: ELFFile) -> DWARFInfo:
    """The DWARF of ``elf``, unrelocated (deet reads linked programs and libraries)."""
    if elf.has_section(".zdebug_info"):
        # GNU's pre-standard compression: rare now, left to pyelftools' eager path.
        return elf.get_dwarf_info(relocate_dwarf_sections=False)
    sections = {}
    for name in _SECTIONS:
        section = elf.get_section_by_name(name)
        sections[f"{name[1:]}_sec"] = None if section is None else LazySection(section)
    config = DwarfConfig(little_endian=elf.little_endian, machine_arch=elf.get_machine_arch(),
                         default_address_size=elf.elfclass // 8)
    return DWARFInfo(config=config, **sections)


__all__ = ["LazySection", "dwarf_info"]
