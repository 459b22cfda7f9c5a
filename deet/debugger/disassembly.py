"""Machine instructions: decoded for stepping (is this a call? how long is it?) and
formatted for ``disassemble`` and ``x/i`` in gdb's AT&T style.

iced-x86 is imported here only. Its GAS formatter, configured below, writes what
objdump and gdb write (``mov    -0x14(%rbp),%edx``), which capstone's AT&T printer does
not (it adds size suffixes and prints small displacements in decimal); see docs/design.md.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from types import ModuleType
from typing import Any

# The longest x86 instruction.
MAX_INSTRUCTION = 15


@dataclass(frozen=True)
class Instruction:
    address: int
    size: int
    mnemonic: str
    operands: str
    is_call: bool
    target: int | None = None
    rip_relative: int | None = None

    @property
    def next_address(self) -> int:
        return self.address + self.size


@functools.cache
def _iced() -> tuple[ModuleType, Any]:
    """iced-x86 and its formatter, made on first use: importing it is about 20 ms of
    every start-up otherwise, and a session that neither steps nor disassembles never
    needs it."""
    import iced_x86

    formatter = iced_x86.Formatter(iced_x86.FormatterSyntax.GAS)
    formatter.small_hex_numbers_in_decimal = False
    formatter.rip_relative_addresses = True
    formatter.branch_leading_zeros = False
    formatter.space_after_operand_separator = False
    formatter.uppercase_hex = False
    return iced_x86, formatter


def decode(code: bytes, address: int, limit: int | None = None) -> list[Instruction]:
    """Instructions in ``code`` (which starts at ``address``), ``limit`` at most; an
    undecodable tail is left out."""
    iced, formatter = _iced()
    direct = (iced.OpKind.NEAR_BRANCH64, iced.OpKind.NEAR_BRANCH32, iced.OpKind.NEAR_BRANCH16)
    # ``call *%rax`` and ``call *0x8(%rbx)`` are calls too: ``next`` must step over them.
    calls = (iced.FlowControl.CALL, iced.FlowControl.INDIRECT_CALL)
    decoded = []
    for raw in iced.Decoder(64, code, ip=address):
        if raw.is_invalid or (limit is not None and len(decoded) >= limit):
            break
        target = raw.near_branch_target if raw.op0_kind in direct else None
        rip = raw.ip_rel_memory_address if raw.is_ip_rel_memory_operand else None
        decoded.append(Instruction(
            raw.ip, raw.len, formatter.format_mnemonic(raw),
            formatter.format_all_operands(raw), raw.flow_control in calls,
            target, rip,
        ))
    return decoded
