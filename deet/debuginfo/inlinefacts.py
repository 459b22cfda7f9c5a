"""What a CU's function summary needs from the whole CU: whether gcc wrote location lists
(gdb's "locations valid"), which of its functions inline something, and the names of
what they inline. Read from DIE tags and attribute forms only, never a location or a
type: by one pass over the unit's bytes (``skim.py``), or, where that pass cannot read
the unit, through pyelftools' DIEs as before.

Both look where gdb's reader looks: the DIEs of each function reached through lexical
blocks and inlined calls.
"""

from __future__ import annotations

from dataclasses import dataclass

from elftools.dwarf.compileunit import CompileUnit
from elftools.dwarf.die import DIE
from elftools.dwarf.dwarfinfo import DWARFInfo

from deet.debuginfo.dies import UnitReader, decode, die_name, frame_name
from deet.debuginfo.skim import LOCAL_REFERENCES, Skimmed, UnskimmableError, skim, string

VARIABLES = ("DW_TAG_formal_parameter", "DW_TAG_variable")
NESTED = ("DW_TAG_lexical_block", "DW_TAG_inlined_subroutine")
ORIGINS = ("DW_AT_abstract_origin", "DW_AT_specification")
# Whose children the scan reads: functions, and what it looks through in them.
_READ_INTO = frozenset(("DW_TAG_subprogram", *NESTED))
# The attributes it asks about.
_KEEP = frozenset(("DW_AT_low_pc", "DW_AT_ranges", "DW_AT_location", "DW_AT_name",
                   "DW_AT_linkage_name", *ORIGINS))
_PLACED = ("DW_AT_low_pc", "DW_AT_ranges")
# How many origins an attribute is looked for through (as ``dies.attribute``).
_ORIGIN_DEPTH = 8


@dataclass(frozen=True)
class InlineFacts:
    """``has_inlined``: one flag for each function asked about, in the order asked."""

    locations_valid: bool
    has_inlined: list[bool]
    names: frozenset[str]


def scan(dwarf: DWARFInfo, reader: UnitReader, functions: list[int], gcc: bool
         ) -> InlineFacts:
    """The facts of the CU of ``functions`` (its out-of-line functions' DIE offsets)."""
    try:
        return _by_skimming(dwarf, reader.cu, functions, gcc)
    except UnskimmableError:
        return _by_dies(reader, functions, gcc)


def _by_dies(reader: UnitReader, functions: list[int], gcc: bool) -> InlineFacts:
    valid = False
    flags: list[bool] = []
    names: set[str] = set()
    for function in functions:
        inlined = False
        pending: list[DIE] = [reader.cu.get_DIE_from_refaddr(function)]
        while pending:
            for child in pending.pop().iter_children():
                if child.tag in NESTED:
                    pending.append(child)
                if child.tag == "DW_TAG_inlined_subroutine" and (
                        "DW_AT_low_pc" in child.attributes
                        or "DW_AT_ranges" in child.attributes):
                    inlined = True
                    names.add(frame_name(child) or "??")
                elif (child.tag in VARIABLES and not valid and gcc
                      and reader.has_location_list(child) and die_name(child)):
                    valid = True
        flags.append(inlined)
    return InlineFacts(valid, flags, frozenset(names))


def _by_skimming(dwarf: DWARFInfo, cu: CompileUnit, functions: list[int], gcc: bool
                 ) -> InlineFacts:
    entries = list(skim(dwarf, cu, _READ_INTO, _KEEP))
    by_offset = {entry.offset: entry for entry in entries}
    version = cu.header.version
    index = {offset: number for number, offset in enumerate(functions)}
    flags = [False] * len(functions)
    names: set[str] = set()
    valid = False
    # The function the entries belong to (its index), and whether each depth below it
    # is reached through lexical blocks and inlined calls only.
    current: int | None = None
    reached: list[bool] = []
    for entry in entries:
        if entry.depth == 1:
            current = index.get(entry.offset)
            reached = [False, False, True]  # a function's children are all looked at
            continue
        del reached[entry.depth + 1:]
        looked_at = current is not None and reached[entry.depth]
        reached.append(looked_at and entry.tag in NESTED)
        if not looked_at:
            continue
        assert current is not None
        values = entry.values
        if entry.tag == "DW_TAG_inlined_subroutine" and any(n in values for n in _PLACED):
            flags[current] = True
            names.add(_frame_name(dwarf, by_offset, entry) or "??")
        elif (entry.tag in VARIABLES and not valid and gcc
              and _location_list(values, version)
              and looked_up(dwarf, by_offset, entry, "DW_AT_name")):
            valid = True
    return InlineFacts(valid, flags, frozenset(names))


def _location_list(values: dict, version: int) -> bool:
    """As ``UnitReader.has_location_list``, from the form alone."""
    found = values.get("DW_AT_location")
    if found is None:
        return False
    form = found[0]
    return form in ("DW_FORM_sec_offset", "DW_FORM_loclistx") or (
        version < 4 and form in ("DW_FORM_data4", "DW_FORM_data8"))


def _frame_name(dwarf: DWARFInfo, by_offset: dict[int, Skimmed], entry: Skimmed
                ) -> str | None:
    return (looked_up(dwarf, by_offset, entry, "DW_AT_linkage_name")
            or looked_up(dwarf, by_offset, entry, "DW_AT_name"))


def looked_up(dwarf: DWARFInfo, by_offset: dict[int, Skimmed], entry: Skimmed,
               name: str) -> str | None:
    """As ``dies.attribute``: through abstract origins and specifications; one outside
    the unit cannot be followed here."""
    current: Skimmed | None = entry
    for _ in range(_ORIGIN_DEPTH):
        if current is None:
            return None
        if name in current.values:
            form, value = current.values[name]
            return decode(string(dwarf, form, value))
        origin = next((current.values[o] for o in ORIGINS if o in current.values), None)
        if origin is None:
            return None
        if origin[0] not in LOCAL_REFERENCES:
            raise UnskimmableError(origin[0])
        current = by_offset.get(origin[1])
        if current is None:
            raise UnskimmableError("an origin outside the functions' unit")
    return None
