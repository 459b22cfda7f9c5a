"""Call-frame information (``.eh_frame``, or ``.debug_frame``): how to find a frame's caller.

Only the FDE covering the pc asked about is parsed: ``.eh_frame_hdr``'s sorted search table
finds it (libc has thousands of FDEs, half a second to parse them all with pyelftools).
Without that table, every FDE is parsed once, on first use. Rows come out as plain
dataclasses so nothing above this package sees pyelftools.
"""

from __future__ import annotations

import bisect
import io
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from elftools.dwarf.callframe import FDE, CallFrameInfo
from elftools.dwarf.callframe import RegisterRule as ElfRegisterRule
from elftools.dwarf.dwarf_expr import DWARFExprParser
from elftools.dwarf.structs import DWARFStructs

from deet.debuginfo.elfheaders import SHF_COMPRESSED, SHT_NOBITS, ElfHeaders
from deet.debuginfo.expressions import Ops

RETURN_ADDRESS = 16  # DWARF register number of %rip on x86-64

# DW_EH_PE pointer encodings used by .eh_frame_hdr.
_PE_OMIT = 0xFF
_PE_FORMATS = {0x00: "<Q", 0x02: "<H", 0x03: "<I", 0x04: "<Q", 0x0A: "<h", 0x0B: "<i", 0x0C: "<q"}
_PE_PCREL = 0x10
_PE_DATAREL = 0x30


@dataclass(frozen=True)
class CfaRule:
    """CFA = register + offset, or the value of a DWARF expression."""

    register: int | None
    offset: int
    expression: Ops | None = None


@dataclass(frozen=True)
class RegisterRule:
    """How to recover a caller's register: kind is one of pyelftools' (DWARF's) rule names:
    UNDEFINED, SAME_VALUE, OFFSET, VAL_OFFSET, REGISTER, EXPRESSION, VAL_EXPRESSION."""

    kind: str
    offset: int = 0
    register: int | None = None
    expression: Ops | None = None


@dataclass(frozen=True)
class UnwindRow:
    cfa: CfaRule
    registers: Mapping[int, RegisterRule]
    signal_frame: bool
    start: int
    end: int


class FrameTable:
    """The CFI of one ELF file, at link-time addresses."""

    def __init__(self, headers: ElfHeaders) -> None:
        self._cfi: CallFrameInfo | None = None
        self._search: SearchTable | None = None
        self._fdes: list[FDE] | None = None
        self._cache: dict[int, FDE | None] = {}
        self._rows: dict[int, UnwindRow | None] = {}
        structs = DWARFStructs(little_endian=True, dwarf_format=32, address_size=8)
        self._parser = DWARFExprParser(structs)
        # The section alone, not pyelftools' DWARFInfo: that reads every debug section
        # (CPython's 10 MB, 60 ms) to unwind with one.
        for name, for_eh_frame in ((".eh_frame", True), (".debug_frame", False)):
            section = headers.section(name)
            if section is None or section.kind == SHT_NOBITS or section.flags & SHF_COMPRESSED:
                continue
            data = headers.data(section)
            self._cfi = CallFrameInfo(
                stream=io.BytesIO(data), size=len(data), address=section.address,
                base_structs=structs, for_eh_frame=for_eh_frame,
            )
            if for_eh_frame:
                self._search = _search_table(headers, section.address)
            return

    def row_for(self, address: int) -> UnwindRow | None:
        """The rule at ``address``, decoded once per address: a breakpoint in a loop (a
        condition to check at every hit) asks for the same one each time."""
        if address not in self._rows:
            self._rows[address] = self._decode_row(address)
        return self._rows[address]

    def _decode_row(self, address: int) -> UnwindRow | None:
        fde = self._fde_for(address)
        if fde is None:
            return None
        start = fde["initial_location"]
        end = start + fde["address_range"]
        if not start <= address < end:
            return None
        table = fde.get_decoded().table
        rows = [line for line in table if line["pc"] <= address]
        if not rows:
            return None
        line = rows[-1]
        following = [other["pc"] for other in table if other["pc"] > address]
        registers = {
            regno: self._register_rule(rule)
            for regno, rule in line.items()
            if isinstance(regno, int)
        }
        augmentation = fde.cie.header.get("augmentation", b"") if fde.cie else b""
        return UnwindRow(
            cfa=self._cfa_rule(line["cfa"]),
            registers=registers,
            signal_frame=b"S" in (augmentation or b""),
            start=line["pc"],
            end=following[0] if following else end,
        )

    def _ops(self, expression: Any) -> Ops:
        return tuple(
            (op.op_name, tuple(op.args)) for op in self._parser.parse_expr(list(expression))
        )

    def _cfa_rule(self, rule: Any) -> CfaRule:
        if rule.expr is not None:
            return CfaRule(None, 0, self._ops(rule.expr))
        return CfaRule(rule.reg, rule.offset or 0)

    def _register_rule(self, rule: ElfRegisterRule) -> RegisterRule:
        if rule.type in (ElfRegisterRule.EXPRESSION, ElfRegisterRule.VAL_EXPRESSION):
            return RegisterRule(rule.type, expression=self._ops(rule.arg))
        if rule.type == ElfRegisterRule.REGISTER:
            return RegisterRule(rule.type, register=rule.arg)
        if rule.type in (ElfRegisterRule.OFFSET, ElfRegisterRule.VAL_OFFSET):
            return RegisterRule(rule.type, offset=rule.arg)
        return RegisterRule(rule.type)

    def _fde_for(self, address: int) -> FDE | None:
        if self._cfi is None:
            return None
        if self._search is not None:
            index = bisect.bisect_right(self._search, (address, float("inf"))) - 1
            if index < 0:
                return None
            offset = self._search[index][1]
            if offset not in self._cache:
                entry = self._cfi._parse_entry_at(offset)
                self._cache[offset] = entry if isinstance(entry, FDE) else None
            return self._cache[offset]
        if self._fdes is None:
            entries = [e for e in self._cfi.get_entries() if isinstance(e, FDE)]
            self._fdes = sorted(entries, key=lambda e: e["initial_location"])
        starts = [fde["initial_location"] for fde in self._fdes]
        index = bisect.bisect_right(starts, address) - 1
        return self._fdes[index] if index >= 0 else None


def _search_table(headers: ElfHeaders, eh_frame_address: int) -> SearchTable | None:
    """``.eh_frame_hdr``'s sorted (initial location, FDE offset in .eh_frame) pairs, or
    None."""
    section = headers.section(".eh_frame_hdr")
    if section is None:
        return None
    data = headers.data(section)
    base = section.address
    if len(data) < 4 or data[0] != 1:
        return None
    ptr_enc, count_enc, table_enc = data[1], data[2], data[3]
    position = 4
    if _PE_OMIT in (count_enc, table_enc) or not all(
        e & 0x0F in _PE_FORMATS for e in (ptr_enc, count_enc, table_enc)
    ):
        return None
    _, position = _read_encoded(data, position, ptr_enc, base)
    count, position = _read_encoded(data, position, count_enc, base)
    table = SearchTable(data, position, count, table_enc, base, eh_frame_address)
    return table if position + count * table.stride <= len(data) else None


class SearchTable:
    """The pairs, decoded one at a time as ``bisect`` reaches them: CPython's table
    holds 11,000 and a backtrace needs a dozen (decoding them all was 10 ms a session)."""

    def __init__(self, data: bytes, start: int, count: int, encoding: int, base: int,
                 eh_frame_address: int) -> None:
        self._data, self._start, self._count = data, start, count
        self._encoding, self._base, self._eh_frame = encoding, base, eh_frame_address
        self.stride = 2 * struct.calcsize(_PE_FORMATS[encoding & 0x0F])

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> tuple[int, int]:
        if not 0 <= index < self._count:
            raise IndexError(index)
        position = self._start + index * self.stride
        start, position = _read_encoded(self._data, position, self._encoding, self._base)
        fde, _ = _read_encoded(self._data, position, self._encoding, self._base)
        return start, fde - self._eh_frame


def _read_encoded(data: bytes, position: int, encoding: int, base: int) -> tuple[int, int]:
    fmt = _PE_FORMATS[encoding & 0x0F]
    size = struct.calcsize(fmt)
    (value,) = struct.unpack_from(fmt, data, position)
    application = encoding & 0x70
    if application == _PE_PCREL:
        value += base + position
    elif application == _PE_DATAREL:
        value += base
    return value, position + size


__all__ = ["RETURN_ADDRESS", "CfaRule", "FrameTable", "RegisterRule", "UnwindRow"]
