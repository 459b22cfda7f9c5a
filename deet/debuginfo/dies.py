"""Reading single DIEs: names, address ranges, location descriptions and types.

Names go through DW_AT_abstract_origin and DW_AT_specification (optimised code leaves the
name on the abstract DIE); ranges are DW_AT_low_pc/high_pc or DW_AT_ranges (DWARF 4
.debug_ranges and DWARF 5 .debug_rnglists alike). Everything is per compilation unit.
"""

from __future__ import annotations

from elftools.dwarf.compileunit import CompileUnit
from elftools.dwarf.die import DIE
from elftools.dwarf.dwarf_expr import DWARFExprParser
from elftools.dwarf.dwarfinfo import DWARFInfo
from elftools.dwarf.locationlists import BaseAddressEntry as LocBaseAddressEntry
from elftools.dwarf.locationlists import LocationExpr, LocationParser
from elftools.dwarf.ranges import BaseAddressEntry, RangeEntry

from deet.debuginfo.expressions import ConstValue, Description, LocationList, Ops
from deet.debuginfo.types import (
    VOID,
    ArrayType,
    BaseType,
    Encoding,
    EnumType,
    FunctionType,
    Member,
    PointerType,
    QualifiedType,
    StructType,
    Type,
    TypedefType,
)

Range = tuple[int, int]

_ENCODINGS = {
    0x02: Encoding.BOOLEAN,  # DW_ATE_boolean
    0x04: Encoding.FLOAT,  # DW_ATE_float
    0x05: Encoding.SIGNED,
    0x06: Encoding.SIGNED_CHAR,
    0x07: Encoding.UNSIGNED,
    0x08: Encoding.UNSIGNED_CHAR,
    0x10: Encoding.UNSIGNED,  # DW_ATE_UTF (char8_t and friends)
}
# gdb's names for gcc's base types (its C printer shortens them).
_GDB_NAMES = {
    "long int": "long",
    "long unsigned int": "unsigned long",
    "short int": "short",
    "short unsigned int": "unsigned short",
    "long long int": "long long",
    "long long unsigned int": "unsigned long long",
}
_QUALIFIERS = {
    "DW_TAG_const_type": "const",
    "DW_TAG_volatile_type": "volatile",
    "DW_TAG_restrict_type": "restrict",
    "DW_TAG_atomic_type": "_Atomic",
}


def decode(value: bytes | str | None) -> str | None:
    if value is None:
        return None
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def origin(die: DIE) -> DIE | None:
    """The DIE this one completes (abstract origin or specification), if any."""
    for name in ("DW_AT_abstract_origin", "DW_AT_specification"):
        if name in die.attributes:
            return die.get_DIE_from_attribute(name)
    return None


def attribute(die: DIE, name: str):
    """An attribute's value, looked up through abstract origins and specifications."""
    seen = 0
    current: DIE | None = die
    while current is not None and seen < 8:
        if name in current.attributes:
            return current.attributes[name].value
        current = origin(current)
        seen += 1
    return None


def die_name(die: DIE) -> str | None:
    return decode(attribute(die, "DW_AT_name"))


def frame_name(die: DIE) -> str | None:
    """The name gdb shows for a function's frames: its linkage name when it has one."""
    return decode(attribute(die, "DW_AT_linkage_name")) or die_name(die)


# DW_OP_bra and DW_OP_skip: the opcode and a 2-byte offset from the end of the operation.
_BRANCH_SIZE = 3


def _ops(parsed: list, unit: int) -> Ops:
    """pyelftools' decoded operations as (name, arguments); an entry value's expression
    decoded too, a branch's target given as the index of the operation it goes to, and
    the parameter a DW_OP_GNU_parameter_ref names by its DIE's offset in the section
    (``unit``: its CU's), as a call site's DW_AT_call_parameter names it."""
    index_of = {op.offset: index for index, op in enumerate(parsed)}
    ops = []
    for op in parsed:
        args = tuple(op.args)
        if op.op_name in ("DW_OP_bra", "DW_OP_skip"):
            target = op.offset + _BRANCH_SIZE + args[0]
            args = (index_of.get(target, len(parsed)),)
        elif op.op_name in ("DW_OP_entry_value", "DW_OP_GNU_entry_value"):
            args = (_ops(args[0], unit),)
        elif op.op_name == "DW_OP_GNU_parameter_ref":
            args = (unit + args[0],)
        ops.append((op.op_name, args))
    return tuple(ops)


class UnitReader:
    """Decodes what one CU's DIEs say; types are cached by DIE offset."""

    def __init__(self, dwarf: DWARFInfo, cu: CompileUnit) -> None:
        self.dwarf = dwarf
        self.cu = cu
        self._expr = DWARFExprParser(cu.structs)
        self._types: dict[int, Type] = {}
        top = cu.get_top_DIE()
        low = top.attributes.get("DW_AT_low_pc")
        self.base_address: int = low.value if low is not None else 0

    # -- addresses -------------------------------------------------------------------------

    def ranges(self, die: DIE) -> list[Range]:
        low = die.attributes.get("DW_AT_low_pc")
        high = die.attributes.get("DW_AT_high_pc")
        if low is not None and high is not None:
            end = high.value if high.form == "DW_FORM_addr" else low.value + high.value
            return [(low.value, end)]
        if "DW_AT_ranges" not in die.attributes:
            return []
        return self._range_list(die)

    def _range_list(self, die: DIE) -> list[Range]:
        attr = die.attributes["DW_AT_ranges"]
        lists = self.dwarf.range_lists()
        if lists is None:
            return []
        entries = lists.get_range_list_at_offset(attr.value, cu=self.cu)
        base = self.base_address
        found: list[Range] = []
        for entry in entries:
            if isinstance(entry, BaseAddressEntry):
                base = entry.base_address
            elif isinstance(entry, RangeEntry):
                offset = 0 if entry.is_absolute else base
                if entry.end_offset > entry.begin_offset:
                    found.append((entry.begin_offset + offset, entry.end_offset + offset))
        return found

    # -- locations -------------------------------------------------------------------------

    def ops(self, data) -> Ops:
        return _ops(self._expr.parse_expr(list(data)), self.cu.cu_offset)

    def has_location_list(self, die: DIE) -> bool:
        """Whether ``die``'s location is a location list, told by the attribute's form
        alone (nothing decoded)."""
        attr = die.attributes.get("DW_AT_location")
        if attr is None:
            return False
        if attr.form in ("DW_FORM_sec_offset", "DW_FORM_loclistx"):
            return True
        return self.cu.header.version < 4 and attr.form in ("DW_FORM_data4", "DW_FORM_data8")

    def location(self, die: DIE, name: str = "DW_AT_location") -> Description:
        if "DW_AT_const_value" in die.attributes and name == "DW_AT_location":
            value = die.attributes["DW_AT_const_value"].value
            return ConstValue(bytes(value) if isinstance(value, list) else value)
        attr = die.attributes.get(name)
        if attr is None:
            return None
        if not LocationParser.attribute_has_location(attr, self.cu.header.version):
            return None
        parser = LocationParser(self.dwarf.location_lists())
        parsed = parser.parse_from_attribute(attr, self.cu.header.version, die)
        if isinstance(parsed, LocationExpr):
            return self.ops(parsed.loc_expr)
        return self._location_list(parsed)

    def _location_list(self, entries) -> LocationList:
        base = self.base_address
        pieces = []
        for entry in entries:
            if isinstance(entry, LocBaseAddressEntry):
                base = entry.base_address
                continue
            offset = 0 if entry.is_absolute else base
            pieces.append(
                (entry.begin_offset + offset, entry.end_offset + offset, self.ops(entry.loc_expr))
            )
        return LocationList(tuple(pieces))

    # -- types -----------------------------------------------------------------------------

    def type_of(self, die: DIE) -> Type:
        """The type DW_AT_type refers to (void when there is none)."""
        holder = die
        while "DW_AT_type" not in holder.attributes:
            holder = origin(holder)
            if holder is None:
                return VOID
        return self.type_at(holder.get_DIE_from_attribute("DW_AT_type"))

    def type_at(self, die: DIE) -> Type:
        cached = self._types.get(die.offset)
        if cached is not None:
            return cached
        type_ = self._read_type(die)
        self._types[die.offset] = type_
        return type_

    def _read_type(self, die: DIE) -> Type:
        tag = die.tag
        name = die_name(die)
        size = die.attributes["DW_AT_byte_size"].value if "DW_AT_byte_size" in die.attributes else 0
        if tag == "DW_TAG_base_type":
            encoding = _ENCODINGS.get(die.attributes["DW_AT_encoding"].value, Encoding.SIGNED)
            if encoding is Encoding.SIGNED_CHAR and name and "unsigned" in name:
                encoding = Encoding.UNSIGNED_CHAR
            return BaseType(_GDB_NAMES.get(name or "?", name or "?"), size, encoding)
        if tag in ("DW_TAG_pointer_type", "DW_TAG_reference_type"):
            return PointerType(self.type_of(die), size or 8)
        if tag == "DW_TAG_typedef":
            return TypedefType(name or "?", self.type_of(die))
        if tag in _QUALIFIERS:
            return QualifiedType(_QUALIFIERS[tag], self.type_of(die))
        if tag in ("DW_TAG_structure_type", "DW_TAG_union_type", "DW_TAG_class_type"):
            return self._struct(die, name, size)
        if tag == "DW_TAG_enumeration_type":
            return self._enum(die, name, size)
        if tag == "DW_TAG_array_type":
            return self._array(die)
        if tag == "DW_TAG_subroutine_type":
            return self._function_type(die)
        return BaseType(name or "?", size, Encoding.SIGNED)

    def _struct(self, die: DIE, name: str | None, size: int) -> StructType:
        keyword = "union" if die.tag == "DW_TAG_union_type" else "struct"
        def members() -> list[Member]:
            return [self._member(child) for child in die.iter_children()
                    if child.tag == "DW_TAG_member"]

        struct = StructType(keyword, name, size, members)
        self._types[die.offset] = struct
        return struct

    def _member(self, die: DIE) -> Member:
        offset = 0
        location = die.attributes.get("DW_AT_data_member_location")
        if location is not None and isinstance(location.value, int):
            offset = location.value
        bit_size = die.attributes.get("DW_AT_bit_size")
        bit_offset = 0
        if "DW_AT_data_bit_offset" in die.attributes:
            bits = die.attributes["DW_AT_data_bit_offset"].value
            offset, bit_offset = bits // 8, bits % 8
        return Member(die_name(die), self.type_of(die), offset,
                      bit_size.value if bit_size is not None else None, bit_offset)

    def _enum(self, die: DIE, name: str | None, size: int) -> EnumType:
        underlying = self.type_of(die) if "DW_AT_type" in die.attributes else None
        signed = isinstance(underlying, BaseType) and underlying.signed
        enumerators = []
        for child in die.iter_children():
            if child.tag == "DW_TAG_enumerator":
                value = child.attributes["DW_AT_const_value"].value
                signed = signed or value < 0
                enumerators.append((die_name(child) or "?", value))
        return EnumType(name, size, tuple(enumerators), signed)

    def _array(self, die: DIE) -> Type:
        counts: list[int | None] = []
        for child in die.iter_children():
            if child.tag != "DW_TAG_subrange_type":
                continue
            if "DW_AT_count" in child.attributes:
                counts.append(child.attributes["DW_AT_count"].value)
            elif "DW_AT_upper_bound" in child.attributes:
                upper = child.attributes["DW_AT_upper_bound"].value
                counts.append(upper + 1 if isinstance(upper, int) else None)
            else:
                counts.append(None)
        type_ = self.type_of(die)
        for count in reversed(counts or [None]):
            type_ = ArrayType(type_, count)
        return type_

    def _function_type(self, die: DIE) -> FunctionType:
        params = []
        variadic = False
        for child in die.iter_children():
            if child.tag == "DW_TAG_formal_parameter":
                params.append(self.type_of(child))
            elif child.tag == "DW_TAG_unspecified_parameters":
                variadic = True
        prototyped = bool(attribute(die, "DW_AT_prototyped"))
        return FunctionType(self.type_of(die), tuple(params), prototyped, variadic)

    def function_type(self, die: DIE) -> FunctionType:
        """The type of a subprogram DIE, for ``print FUNC``."""
        return self._function_type(die)
