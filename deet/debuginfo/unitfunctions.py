"""A CU's out-of-line functions (entry, ranges, names) from the skim of its top-level DIEs,
without making pyelftools' DIE objects.

Naming a frame needs the function at a pc and nothing else of its CU; pyelftools parses
each top-level DIE (every function, variable and type) in about 20 us, 0.1 s for two of
CPython's CUs in a warm ``bt``. A function whose DIE the skim cannot settle (its ranges
in a range list, its entry through ``.debug_addr``, a name behind an origin outside the
top level) is left to pyelftools, one DIE at a time; a unit the skim cannot read at all
is read through pyelftools as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from elftools.dwarf.compileunit import CompileUnit
from elftools.dwarf.dwarfinfo import DWARFInfo

from deet.debuginfo.dies import Range
from deet.debuginfo.inlinefacts import ORIGINS, looked_up
from deet.debuginfo.skim import Skimmed, UnskimmableError, skim

_KEEP = frozenset(("DW_AT_low_pc", "DW_AT_high_pc", "DW_AT_ranges", "DW_AT_name",
                   "DW_AT_linkage_name", *ORIGINS))
_LENGTHS = ("DW_FORM_data1", "DW_FORM_data2", "DW_FORM_data4", "DW_FORM_data8",
            "DW_FORM_udata")


@dataclass(frozen=True)
class UnitFunction:
    """A subprogram DIE at ``offset``: its ranges and names, or ``settled`` False where
    pyelftools is to read it."""

    offset: int
    settled: bool
    ranges: tuple[Range, ...] = ()
    name: str | None = None
    frame_name: str | None = None


def unit_functions(dwarf: DWARFInfo, cu: CompileUnit) -> list[UnitFunction] | None:
    """The CU's top-level subprograms, in order; None where the unit cannot be skimmed."""
    try:
        entries = [entry for entry in skim(dwarf, cu, frozenset(), _KEEP) if entry.depth == 1]
    except UnskimmableError:
        return None
    by_offset = {entry.offset: entry for entry in entries}
    found = []
    for entry in entries:
        if entry.tag != "DW_TAG_subprogram":
            continue
        ranges = _ranges(entry.values)
        if ranges != ():
            found.append(_settled(dwarf, by_offset, entry, ranges))
    return found


def _settled(dwarf: DWARFInfo, by_offset: dict[int, Skimmed], entry: Skimmed,
             ranges: tuple[Range, ...] | None) -> UnitFunction:
    if ranges is None:
        return UnitFunction(entry.offset, settled=False)
    try:
        name = looked_up(dwarf, by_offset, entry, "DW_AT_name")
        linkage = looked_up(dwarf, by_offset, entry, "DW_AT_linkage_name")
    except UnskimmableError:
        return UnitFunction(entry.offset, settled=False)
    return UnitFunction(entry.offset, True, ranges, name, linkage or name)


def _ranges(values: dict) -> tuple[Range, ...] | None:
    """As ``UnitReader.ranges`` for the plain forms; None for a range list or an entry
    in ``.debug_addr``."""
    low, high = values.get("DW_AT_low_pc"), values.get("DW_AT_high_pc")
    if low is not None and high is not None:
        if low[0] != "DW_FORM_addr" or not isinstance(low[1], int) \
                or not isinstance(high[1], int):
            return None
        if high[0] == "DW_FORM_addr":
            return ((low[1], high[1]),)
        return ((low[1], low[1] + high[1]),) if high[0] in _LENGTHS else None
    return None if "DW_AT_ranges" in values else ()
