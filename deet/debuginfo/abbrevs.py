"""Abbreviation tables read by deet's own decoder instead of pyelftools' construct parser.

Reading any DIE of a CU makes pyelftools parse the CU's whole abbreviation table through
construct, about 10 ms a CU on CPython's debug build: 1.9 s of a cold 3.2 s ``break
FILE:LINE`` that needs only each CU's top DIE. The same table decoded with plain LEB128
loops over the section's bytes, and only as far as the codes asked for, takes a
fraction of that. The tables are handed to pyelftools
as its own ``AbbrevTable`` objects (same declarations, same names for tags, attributes
and forms), through the one ``DWARFInfo`` method that makes them, so every DIE pyelftools
parses afterwards uses them unchanged.
"""

from __future__ import annotations

from elftools.common.exceptions import DWARFError
from elftools.construct.lib.container import Container
from elftools.dwarf.abbrevtable import AbbrevDecl, AbbrevTable
from elftools.dwarf.dwarfinfo import DWARFInfo
from elftools.dwarf.enums import ENUM_DW_AT, ENUM_DW_FORM, ENUM_DW_TAG

from deet.debuginfo.leb128 import sleb, uleb


def _names(enum: dict[str, object]) -> dict[int, str]:
    return {value: name for name, value in enum.items() if isinstance(value, int)}


TAGS = _names(ENUM_DW_TAG)
ATTRIBUTES = _names(ENUM_DW_AT)
FORMS = _names(ENUM_DW_FORM)
IMPLICIT_CONST = ENUM_DW_FORM["DW_FORM_implicit_const"]


class _DecodedTable(AbbrevTable):
    """An ``AbbrevTable`` whose declarations are found by a scan that only skips over
    them, and made into pyelftools' objects when a DIE uses them: a CU's top DIE, all
    the file index reads of most CUs, uses one declaration of a hundred (gcc puts
    ``DW_TAG_compile_unit`` near the end)."""

    def __init__(self, data: bytes, offset: int) -> None:
        self.structs = None
        self.stream = None
        self.offset = offset
        self._abbrev_map: dict[int, AbbrevDecl] = {}
        self._data = data
        self._starts = _scan(data, offset)

    def get_abbrev(self, code: int) -> AbbrevDecl:
        """pyelftools' KeyError for a code the table does not declare."""
        declaration = self._abbrev_map.get(code)
        if declaration is None:
            declaration = self._abbrev_map[code] = _declaration(
                self._data, code, self._starts[code])
        return declaration


def _past_end() -> DWARFError:
    return DWARFError("abbreviation table runs past its section")


def _scan(data: bytes, offset: int) -> dict[int, int]:
    """Where each declaration's tag starts, by code, up to the table's closing 0. LEB128
    numbers are skipped, not decoded, except the codes and the forms (an implicit_const
    form has a value after it)."""
    starts: dict[int, int] = {}
    position, size = offset, len(data)
    try:
        while True:
            code, position = uleb(data, position)
            if code == 0:
                return starts
            starts[code] = position
            while data[position] >= 0x80:  # the tag
                position += 1
            position += 2  # the tag's last byte and the children flag
            while True:
                name_zero = data[position] == 0
                while data[position] >= 0x80:
                    position += 1
                position += 1
                form, position = uleb(data, position)
                if name_zero and form == 0:
                    break
                if form == IMPLICIT_CONST:
                    while data[position] >= 0x80:
                        position += 1
                    position += 1
            if position > size:
                raise _past_end()
    except IndexError:
        raise _past_end() from None


def _declaration(data: bytes, code: int, position: int) -> AbbrevDecl:
    """The declaration whose tag starts at ``position``, as pyelftools makes it."""

    tag, position = uleb(data, position)
    children = data[position]
    position += 1
    specs = []
    while True:
        name, position = uleb(data, position)
        form, position = uleb(data, position)
        if name == 0 and form == 0:
            break
        value = None
        if form == IMPLICIT_CONST:
            value, position = sleb(data, position)
        specs.append(Container(name=ATTRIBUTES.get(name, name),
                               form=FORMS.get(form, form), value=value))
    flag = {0: "DW_CHILDREN_no", 1: "DW_CHILDREN_yes"}.get(children, children)
    return AbbrevDecl(code, Container(tag=TAGS.get(tag, tag), children_flag=flag,
                                      attr_spec=specs))


def decode_abbrevs_ourselves(dwarf: DWARFInfo) -> None:
    """Make ``dwarf`` build its abbreviation tables as ``_DecodedTable``s, each once; an offset
    past the section still gets pyelftools' own error."""
    section = dwarf.debug_abbrev_sec
    if section is None:
        return
    stream = section.stream
    stream.seek(0)
    data = stream.read()
    tables: dict[int, AbbrevTable] = {}
    original = dwarf.get_abbrev_table

    def get_abbrev_table(offset: int) -> AbbrevTable:
        table = tables.get(offset)
        if table is None:
            if not 0 <= offset < len(data):
                return original(offset)
            table = tables[offset] = _DecodedTable(data, offset)
        return table

    dwarf.get_abbrev_table = get_abbrev_table  # type: ignore[method-assign]
