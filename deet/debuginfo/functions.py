"""Functions as the DWARF describes them, one compilation unit at a time.

The symbol table names out-of-line functions; only the DIEs know what was inlined where,
and the names gdb prints (the linkage name when there is one: ``__GI___clock_nanosleep``
in glibc). A unit's DIE tree is walked once, the first time an address in it is asked
about, and kept as sorted ranges.
"""

from __future__ import annotations

from dataclasses import dataclass

from elftools.dwarf.compileunit import CompileUnit
from elftools.dwarf.die import DIE
from elftools.dwarf.dwarfinfo import DWARFInfo
from elftools.dwarf.ranges import BaseAddressEntry

Range = tuple[int, int]


@dataclass(frozen=True)
class InlinedCall:
    """An inlined body: the function inlined, where its code is, and the call it stands for."""

    name: str
    ranges: tuple[Range, ...]
    call_file: str | None
    call_line: int | None
    entry: int

    def __contains__(self, address: int) -> bool:
        return any(low <= address < high for low, high in self.ranges)


@dataclass(frozen=True)
class FunctionDie:
    name: str
    ranges: tuple[Range, ...]
    entry: int
    inlined: tuple[InlinedCall, ...]
    offset: int

    def __contains__(self, address: int) -> bool:
        return any(low <= address < high for low, high in self.ranges)

    def inline_chain(self, address: int) -> list[InlinedCall]:
        """The inlined calls active at ``address``, outermost first."""
        return [call for call in self.inlined if address in call]


class UnitFunctions:
    """Every function with code in one compilation unit."""

    def __init__(self, dwarf: DWARFInfo, cu: CompileUnit, files: dict[int, str]) -> None:
        self._dwarf = dwarf
        self._cu = cu
        self._files = files
        self.functions: list[FunctionDie] = []
        top = cu.get_top_DIE()
        low = top.attributes.get("DW_AT_low_pc")
        self._base = low.value if low is not None else 0
        for die in top.iter_children():
            self._visit(die)

    def _visit(self, die: DIE) -> None:
        if die.tag == "DW_TAG_subprogram":
            ranges = self.ranges_of(die)
            if ranges:
                inlined: list[InlinedCall] = []
                self._collect_inlined(die, inlined)
                self.functions.append(
                    FunctionDie(self.name_of(die), ranges, _entry(ranges), tuple(inlined),
                                die.offset)
                )
        elif die.tag == "DW_TAG_namespace":
            for child in die.iter_children():
                self._visit(child)

    def _collect_inlined(self, die: DIE, found: list[InlinedCall]) -> None:
        """Inlined calls under ``die``, in DIE order: an outer call before those inside it."""
        for child in die.iter_children():
            if child.tag == "DW_TAG_inlined_subroutine":
                ranges = self.ranges_of(child)
                if ranges:
                    file_index = child.attributes.get("DW_AT_call_file")
                    line = child.attributes.get("DW_AT_call_line")
                    found.append(InlinedCall(
                        self.name_of(child), ranges,
                        self._files.get(file_index.value) if file_index else None,
                        line.value if line else None, _entry(ranges),
                    ))
            if child.tag in ("DW_TAG_inlined_subroutine", "DW_TAG_lexical_block"):
                self._collect_inlined(child, found)

    def containing(self, address: int) -> FunctionDie | None:
        """gdb's choice where several DIEs cover ``address`` (glibc's assembler wrappers
        have one per alias): the latest start, and among equal starts the last DIE."""
        best = None
        for function in self.functions:
            if address in function and (best is None or function.entry >= best.entry):
                best = function
        return best

    def named(self, name: str) -> list[FunctionDie]:
        return [function for function in self.functions if function.name == name]

    def inlined_named(self, name: str) -> list[InlinedCall]:
        return [call for f in self.functions for call in f.inlined if call.name == name]

    def ranges_of(self, die: DIE) -> tuple[Range, ...]:
        return die_ranges(self._dwarf, self._cu, die, self._base)

    @staticmethod
    def name_of(die: DIE) -> str:
        """gdb's name for a function: the linkage name if any, else the name, looking through
        DW_AT_abstract_origin and DW_AT_specification."""
        seen = 0
        while die is not None and seen < 8:
            for attribute in ("DW_AT_linkage_name", "DW_AT_name"):
                if attribute in die.attributes:
                    value = die.attributes[attribute].value
                    return value.decode(errors="replace") if isinstance(value, bytes) else value
            origin = None
            for attribute in ("DW_AT_abstract_origin", "DW_AT_specification"):
                if attribute in die.attributes:
                    origin = die.get_DIE_from_attribute(attribute)
                    break
            die = origin
            seen += 1
        return "??"


def die_ranges(dwarf: DWARFInfo, cu: CompileUnit, die: DIE, base: int) -> tuple[Range, ...]:
    """The address ranges of a DIE: low_pc/high_pc, or DW_AT_ranges (offsets in a range
    list are relative to ``base``, the unit's low_pc, until a base-address entry)."""
    attributes = die.attributes
    if "DW_AT_low_pc" in attributes and "DW_AT_high_pc" in attributes:
        low = attributes["DW_AT_low_pc"].value
        high = attributes["DW_AT_high_pc"]
        end = high.value if high.form == "DW_FORM_addr" else low + high.value
        return ((low, end),) if end > low else ()
    if "DW_AT_ranges" not in attributes:
        return ()
    lists = dwarf.range_lists()
    if lists is None:
        return ()
    ranges = []
    for entry in lists.get_range_list_at_offset(attributes["DW_AT_ranges"].value, cu=cu):
        if isinstance(entry, BaseAddressEntry):
            base = entry.base_address
            continue
        low = entry.begin_offset if entry.is_absolute else base + entry.begin_offset
        high = entry.end_offset if entry.is_absolute else base + entry.end_offset
        if high > low:
            ranges.append((low, high))
    return tuple(ranges)


def _entry(ranges: tuple[Range, ...]) -> int:
    """Where a function or inlined body starts, by gdb's rule: its low_pc, or the start of
    its first non-empty range as listed (gdb does not use DW_AT_entry_pc, and gcc's often
    points at an empty range)."""
    return ranges[0][0]
