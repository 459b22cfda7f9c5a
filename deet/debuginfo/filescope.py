"""A CU's file scope: its global variables and its named types, and the enumerators of
its enums, read from the top-level DIEs through pyelftools the first time one is asked
for. Naming a frame asks for none of them (its function comes from the skim), so a
``bt`` never parses a CU's hundreds of type DIEs.
"""

from __future__ import annotations

from collections.abc import Callable

from elftools.dwarf.die import DIE

from deet.debuginfo.dies import UnitReader, die_name
from deet.debuginfo.types import EnumType, Type
from deet.debuginfo.variables import Variable

_TYPE_KINDS = {"DW_TAG_structure_type": "struct", "DW_TAG_union_type": "union",
               "DW_TAG_enumeration_type": "enum", "DW_TAG_typedef": "typedef"}


def type_reader(reader: UnitReader, die: DIE) -> Callable[[], Type]:
    return lambda: reader.type_of(die)


class FileScope:
    def __init__(self, reader: UnitReader) -> None:
        self.reader = reader
        self._read = False
        self._globals: dict[str, Variable] = {}
        # Named types at file scope, by (struct/union/enum/typedef, name): C casts name them.
        self._type_dies: dict[tuple[str, str], DIE] = {}
        self._enumerators: dict[str, DIE] = {}
        # File-scope types whose enumerators are not indexed yet.
        self._unscanned: list[DIE] = []

    def _read_once(self) -> None:
        if self._read:
            return
        self._read = True
        for die in self.reader.cu.get_top_DIE().iter_children():
            if die.tag == "DW_TAG_variable":
                self._add_global(die)
            elif die.tag in _TYPE_KINDS and "DW_AT_declaration" not in die.attributes:
                self._add_type(die)

    @property
    def globals(self) -> dict[str, Variable]:
        self._read_once()
        return self._globals

    def _add_global(self, die: DIE) -> None:
        name = die_name(die)
        if name is None:
            return
        if "DW_AT_location" in die.attributes or "DW_AT_const_value" in die.attributes:
            self._globals[name] = Variable(name, type_reader(self.reader, die),
                                           self.reader.location(die), die=die.offset)

    def _add_type(self, die: DIE) -> None:
        name = die_name(die)
        if name is not None:
            self._type_dies.setdefault((_TYPE_KINDS[die.tag], name), die)
        if die.tag != "DW_TAG_typedef":
            self._unscanned.append(die)

    def _index_enumerators(self) -> None:
        """The enumerators of the file-scope types' enums (C puts them at file scope
        wherever the enum is declared, inside a struct too), found when an expression
        first names one: reading every struct's members for them costs more than naming
        a frame (CPython's CUs declare hundreds of structs)."""
        pending, self._unscanned = self._unscanned[::-1], []
        while pending:
            current = pending.pop()
            if current.tag == "DW_TAG_enumeration_type":
                for child in current.iter_children():
                    if child.tag == "DW_TAG_enumerator" and (label := die_name(child)):
                        self._enumerators.setdefault(label, current)
            elif current.tag in ("DW_TAG_structure_type", "DW_TAG_union_type"):
                pending.extend(c for c in current.iter_children()
                               if c.tag in _TYPE_KINDS and c.tag != "DW_TAG_typedef")

    def enumerator(self, name: str) -> tuple[Type, int] | None:
        """The enum type and value of the enumerator ``name`` (``BLUE``)."""
        self._read_once()
        if self._unscanned:
            self._index_enumerators()
        die = self._enumerators.get(name)
        if die is None:
            return None
        type_ = self.reader.type_at(die)
        assert isinstance(type_, EnumType)
        return type_, dict(type_.enumerators)[name]

    def named_type(self, kind: str, name: str) -> Type | None:
        """The file-scope type ``kind name`` (``struct node``, typedef ``node_t``)."""
        self._read_once()
        die = self._type_dies.get((kind, name))
        return self.reader.type_at(die) if die is not None else None
