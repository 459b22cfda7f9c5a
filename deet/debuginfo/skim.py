"""One pass over a CU's DIEs that reads tags, attribute forms and a few values, without
making pyelftools' DIE objects.

pyelftools parses a DIE in about 20 us; the scan for a CU's summary facts (which names
it inlines, whether its locations are lists) visits every DIE of every function, and on
CPython's debug build that was a quarter of a cold ``break FUNC`` session. The pass here
walks the unit's bytes in order with the abbreviation declarations, skipping each value
by its form. It reads what the scan asks about: the tag, which attributes are there
with their forms, references within the unit, and strings from ``.debug_str``,
``.debug_line_str`` or inline. A form it does not know, an indirect form, a string
through ``.debug_str_offsets``, or anything damaged raises ``UnskimmableError``: the caller
reads the unit through pyelftools instead, as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from elftools.dwarf.abbrevtable import AbbrevDecl
from elftools.dwarf.compileunit import CompileUnit
from elftools.dwarf.dwarfinfo import DWARFInfo

from deet.debuginfo.leb128 import uleb


class UnskimmableError(Exception):
    """The unit uses something this pass does not read."""


@dataclass(frozen=True, slots=True)
class Skimmed:
    """One DIE: ``depth`` 1 for the unit DIE's children; ``values``: attribute name ->
    (form, value), the value an int (a reference is a section offset), bytes for an
    inline string, or None where it was skipped."""

    offset: int
    depth: int
    tag: str
    values: dict[str, tuple[str, int | bytes | None]]


_FIXED = {
    "DW_FORM_data1": 1, "DW_FORM_data2": 2, "DW_FORM_data4": 4, "DW_FORM_data8": 8,
    "DW_FORM_data16": 16, "DW_FORM_flag": 1, "DW_FORM_ref1": 1, "DW_FORM_ref2": 2,
    "DW_FORM_ref4": 4, "DW_FORM_ref8": 8, "DW_FORM_ref_sig8": 8, "DW_FORM_addrx1": 1,
    "DW_FORM_addrx2": 2, "DW_FORM_addrx3": 3, "DW_FORM_addrx4": 4,
}
_NOTHING = ("DW_FORM_flag_present", "DW_FORM_implicit_const")
_LEB = ("DW_FORM_udata", "DW_FORM_sdata", "DW_FORM_ref_udata", "DW_FORM_addrx",
        "DW_FORM_loclistx", "DW_FORM_rnglistx")
_OFFSET = ("DW_FORM_strp", "DW_FORM_line_strp", "DW_FORM_sec_offset", "DW_FORM_ref_addr",
           "DW_FORM_GNU_strp_alt", "DW_FORM_GNU_ref_alt")
_BLOCK = {"DW_FORM_block1": 1, "DW_FORM_block2": 2, "DW_FORM_block4": 4}
LOCAL_REFERENCES = ("DW_FORM_ref1", "DW_FORM_ref2", "DW_FORM_ref4", "DW_FORM_ref8",
                     "DW_FORM_ref_udata")


# How a plan step reads a value: a fixed number of bytes, a LEB128 number, an inline
# string, a LEB128-counted or a fixed-counted block (skipped), or nothing.
_BYTES, _NUMBER, _STRING, _COUNTED, _SIZED_BLOCK, _NONE = range(6)


@dataclass(frozen=True, slots=True)
class _Plan:
    """How to read one declaration's DIEs: the tag, whether children follow, and for
    each attribute (name kept or None, kind, width, whether a reference in the unit)."""

    tag: str
    children: bool
    steps: tuple[tuple[str | None, int, int, bool], ...]


def _plan(declaration: AbbrevDecl, keep: frozenset[str], offset_size: int,
          address_size: int) -> _Plan:
    steps = []
    for spec in declaration["attr_spec"]:
        form = spec.form
        if form in _FIXED:
            kind, width = _BYTES, _FIXED[form]
        elif form in _OFFSET:
            kind, width = _BYTES, offset_size
        elif form == "DW_FORM_addr":
            kind, width = _BYTES, address_size
        elif form in _LEB:
            kind, width = _NUMBER, 0
        elif form == "DW_FORM_string":
            kind, width = _STRING, 0
        elif form in ("DW_FORM_exprloc", "DW_FORM_block"):
            kind, width = _COUNTED, 0
        elif form in _BLOCK:
            kind, width = _SIZED_BLOCK, _BLOCK[form]
        elif form in _NOTHING:
            kind, width = _NONE, 0
        else:
            raise UnskimmableError(form)
        name = spec.name if spec.name in keep else None
        steps.append((name, kind, width, form in LOCAL_REFERENCES))
    return _Plan(declaration["tag"], declaration.has_children(), tuple(steps))


def skim(dwarf: DWARFInfo, cu: CompileUnit, into: frozenset[str], keep: frozenset[str]
         ) -> Iterator[Skimmed]:
    """The CU's DIEs below its unit DIE, in order, with the children of those whose tag
    is in ``into`` only (the unit DIE's are all there), and of their attributes those
    named in ``keep``, each as (form, value). A subtree left out is jumped over by its
    ``DW_AT_sibling`` where it has one."""
    stream = dwarf.debug_info_sec.stream
    end = cu.cu_offset + cu["unit_length"] + cu.structs.initial_length_field_size()
    stream.seek(cu.cu_die_offset)
    data = stream.read(end - cu.cu_die_offset)
    table = cu.get_abbrev_table()
    offset_size = 4 if cu.structs.dwarf_format == 32 else 8
    address_size = cu["address_size"]
    keep = keep | {"DW_AT_sibling"}
    plans: dict[int, _Plan] = {}
    forms: dict[int, list[str]] = {}
    base, unit = cu.cu_die_offset, cu.cu_offset
    position, depth, size = 0, 0, len(data)
    # The depth below which nothing is yielded (a subtree left out without a sibling).
    hidden = 1 << 30

    try:
        while position < size:
            offset = base + position
            code, position = uleb(data, position)
            if code == 0:
                depth -= 1
                if depth < 0:
                    return
                if depth <= hidden:
                    hidden = 1 << 30
                continue
            plan = plans.get(code)
            if plan is None:
                declaration = table.get_abbrev(code)
                plan = plans[code] = _plan(declaration, keep, offset_size, address_size)
                forms[code] = [spec.form for spec in declaration["attr_spec"]]
            values: dict[str, tuple[str, int | bytes | None]] = {}
            for index, (name, kind, width, reference) in enumerate(plan.steps):
                value: int | bytes | None = None
                if kind == _BYTES:
                    if name is not None:
                        value = int.from_bytes(data[position:position + width], "little")
                        if reference:
                            value += unit
                    position += width
                elif kind == _NUMBER:
                    value, position = uleb(data, position)
                    if reference:
                        value += unit
                elif kind == _STRING:
                    stop = data.index(b"\0", position)
                    value = data[position:stop]
                    position = stop + 1
                elif kind == _COUNTED:
                    length, position = uleb(data, position)
                    position += length
                elif kind == _SIZED_BLOCK:
                    position += width + int.from_bytes(data[position:position + width],
                                                       "little")
                if name is not None:
                    values[name] = (forms[code][index], value)
            if position > size:
                raise UnskimmableError("a DIE runs past its unit")
            if 0 < depth <= hidden:
                yield Skimmed(offset, depth, plan.tag, values)
            if not plan.children:
                continue
            if depth > 0 and plan.tag not in into and depth <= hidden:
                sibling = values.get("DW_AT_sibling")
                if sibling is not None and sibling[0] in LOCAL_REFERENCES \
                        and isinstance(sibling[1], int) and sibling[1] - base > position:
                    position = sibling[1] - base
                    continue
                hidden = depth
            depth += 1
    except (IndexError, ValueError, KeyError) as exc:
        raise UnskimmableError(str(exc)) from exc


def string(dwarf: DWARFInfo, form: str, value: int | bytes | None) -> bytes | None:
    """The string an attribute names, from the section its form says."""
    if isinstance(value, bytes):
        return value
    if value is None:
        return None
    if form == "DW_FORM_strp":
        return dwarf.get_string_from_table(value)
    if form == "DW_FORM_line_strp":
        return dwarf.get_string_from_linetable(value)
    raise UnskimmableError(form)
