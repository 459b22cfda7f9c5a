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


def _names(enum: dict[str, object]) -> dict[int, str]:
    return {value: name for name, value in enum.items() if isinstance(value, int)}


TAGS = _names(ENUM_DW_TAG)
ATTRIBUTES = _names(ENUM_DW_AT)
FORMS = _names(ENUM_DW_FORM)
IMPLICIT_CONST = ENUM_DW_FORM["DW_FORM_implicit_const"]


class _DecodedTable(AbbrevTable):
    """An ``AbbrevTable`` decoded as far as the codes asked for: a CU's top DIE, all the
    file index needs of most CUs, uses one of the first few declarations."""

    def __init__(self, data: bytes, offset: int) -> None:
        self.structs = None
        self.stream = None
        self.offset = offset
        self._abbrev_map: dict[int, AbbrevDecl] = {}
        self._data = data
        self._position: int | None = offset  # None: the whole table is decoded

    def get_abbrev(self, code: int) -> AbbrevDecl:
        """pyelftools' KeyError for a code the table does not declare."""
        declaration = self._abbrev_map.get(code)
        while declaration is None:
            if self._position is None:
                raise KeyError(code)
            self._next()
            declaration = self._abbrev_map.get(code)
        return declaration

    def _uleb(self) -> int:
        data, position = self._data, self._position
        assert position is not None
        result = shift = 0
        while True:
            if position >= len(data):
                raise DWARFError("abbreviation table runs past its section")
            byte = data[position]
            position += 1
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                self._position = position
                return result
            shift += 7

    def _sleb(self) -> int:
        start = self._position
        value = self._uleb()
        bits = 7 * (self._position - start)  # type: ignore[operator]
        return value - (1 << bits) if value >> (bits - 1) & 1 else value

    def _next(self) -> None:
        """Decode the declaration at the current position (the end, at code 0)."""
        code = self._uleb()
        if code == 0:
            self._position = None
            return
        tag = self._uleb()
        position = self._position
        assert position is not None
        if position >= len(self._data):
            raise DWARFError("abbreviation table runs past its section")
        children = self._data[position]
        self._position = position + 1
        specs = []
        while True:
            name, form = self._uleb(), self._uleb()
            if name == 0 and form == 0:
                break
            value = self._sleb() if form == IMPLICIT_CONST else None
            specs.append(Container(name=ATTRIBUTES.get(name, name),
                                   form=FORMS.get(form, form), value=value))
        flag = {0: "DW_CHILDREN_no", 1: "DW_CHILDREN_yes"}.get(children, children)
        self._abbrev_map[code] = AbbrevDecl(code, Container(
            tag=TAGS.get(tag, tag), children_flag=flag, attr_spec=specs))


def decode_abbrevs_ourselves(dwarf: DWARFInfo) -> None:
    """Make ``dwarf`` build its abbreviation tables with ``decode``, each once; an offset
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
