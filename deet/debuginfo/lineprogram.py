"""A line-number program decoder of deet's own: the DWARF state machine over the raw
bytes of one CU's program in ``.debug_line``.

pyelftools' ``LineProgram.get_entries`` builds an entry object, an argument list and a
copy of the state for every opcode: 0.2 s for a 750-function CU, most of a cold
``break FUNC``. This reads the same opcodes with a few integer operations each and hands
each emitted row to a callback, for ``lines._Recorder`` (gdb's recording rules) to
judge. The header and file table still come from pyelftools. VLIW ``op_index`` is not
modelled (x86 has one operation per instruction); ``DW_LNE_define_file``, obsolete
since DWARF 5 and not emitted by gcc, is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from deet.debuginfo.leb128 import sleb, uleb

_COPY, _ADVANCE_PC, _ADVANCE_LINE, _SET_FILE = 1, 2, 3, 4
_NEGATE_STMT, _CONST_ADD_PC, _FIXED_ADVANCE_PC = 6, 8, 9
_END_SEQUENCE, _SET_ADDRESS, _SET_DISCRIMINATOR = 1, 2, 4


@dataclass
class LineState:
    """The registers ``lines._Recorder`` reads, as they stand when a row is emitted."""

    address: int = 0
    file: int = 1
    line: int = 1
    is_stmt: bool = True
    discriminator: int = 0
    end_sequence: bool = False


def run_line_program(program, emit: Callable[[LineState], None]) -> None:
    """Execute pyelftools' ``program`` (its header and byte range) and ``emit`` a
    snapshot of the state at every row: DW_LNS_copy, special opcodes, end of sequence."""
    header = program.header
    stream = program.stream
    stream.seek(program.program_start_offset)
    data = stream.read(program.program_end_offset - program.program_start_offset)
    unit = header["minimum_instruction_length"]
    line_base, line_range = header["line_base"], header["line_range"]
    opcode_base = header["opcode_base"]
    lengths = list(header["standard_opcode_lengths"])
    default_is_stmt = bool(header["default_is_stmt"])
    const_add = ((255 - opcode_base) // line_range) * unit

    address, file, line, is_stmt, discriminator = 0, 1, 1, default_is_stmt, 0
    pos, end = 0, len(data)
    while pos < end:
        opcode = data[pos]
        pos += 1
        if opcode >= opcode_base:
            adjusted = opcode - opcode_base
            address += (adjusted // line_range) * unit
            line += line_base + adjusted % line_range
            emit(LineState(address, file, line, is_stmt, discriminator))
            discriminator = 0
        elif opcode == 0:
            length, pos = uleb(data, pos)
            if length == 0:
                continue
            sub, body, pos = data[pos], pos + 1, pos + length
            if sub == _END_SEQUENCE:
                # An end row is no statement (pyelftools and gdb agree).
                emit(LineState(address, file, line, False, discriminator, True))
                address, file, line, is_stmt, discriminator = 0, 1, 1, default_is_stmt, 0
            elif sub == _SET_ADDRESS:
                address = int.from_bytes(data[body:pos], "little")
            elif sub == _SET_DISCRIMINATOR:
                discriminator, _ = uleb(data, body)
        elif opcode == _COPY:
            emit(LineState(address, file, line, is_stmt, discriminator))
            discriminator = 0
        elif opcode == _ADVANCE_PC:
            operand, pos = uleb(data, pos)
            address += operand * unit
        elif opcode == _ADVANCE_LINE:
            operand, pos = sleb(data, pos)
            line += operand
        elif opcode == _SET_FILE:
            file, pos = uleb(data, pos)
        elif opcode == _NEGATE_STMT:
            is_stmt = not is_stmt
        elif opcode == _CONST_ADD_PC:
            address += const_add
        elif opcode == _FIXED_ADVANCE_PC:
            address += int.from_bytes(data[pos : pos + 2], "little")
            pos += 2
        else:
            # set_column, set_basic_block, prologue_end, epilogue_begin, set_isa and any
            # opcode this reader does not know: skip its operands, as the header says.
            for _ in range(lengths[opcode - 1]):
                _, pos = uleb(data, pos)
