"""Memory and machine code as the user asks to see them: ``x/NFU``, ``disassemble`` and
``info registers``. Everything is read here; the results carry plain numbers, bytes and
decoded instructions for the renderer.
"""

from __future__ import annotations

import re

from deet.debugger.cexpr import EvalError, decay, evaluate
from deet.debugger.core import Debugger
from deet.debugger.disassembly import MAX_INSTRUCTION, Instruction, decode
from deet.debugger.errors import DebuggerError
from deet.debugger.frames import FrameContext
from deet.debugger.process import Process
from deet.debugger.values import read_c_string, to_int
from deet.debuginfo import FunctionSymbol
from deet.engine import MemoryAccessError
from deet.engine.xsave import opmask_registers
from deet.results import (
    CodeRow,
    Disassembly,
    Examined,
    MemoryRow,
    RegisterRow,
    RegisterTable,
)

_UNITS = {"b": 1, "h": 2, "w": 4, "g": 8}
_FORMATS = "xduotacsi"
_PER_LINE = {1: 8, 2: 8, 4: 4, 8: 2}
# gdb's `info registers`, in its order.
GENERAL = (
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
    "rip", "eflags", "cs", "ss", "ds", "es", "fs", "gs",
)
_SEGMENTS = {"cs", "ss", "ds", "es", "fs", "gs"}


class Examiner:
    """``x`` as gdb has it: the last format and unit size are the defaults of the next
    ``x``, and ``x`` without an address goes on after the last unit shown."""

    def __init__(self) -> None:
        self.fmt = "x"
        self.size = 4
        self.count = 1
        self.next_address: int | None = None

    def examine(self, debugger: Debugger, args: str) -> Examined:
        count, fmt, size, expression = self._parse(args)
        context = debugger.frame_context()
        if expression.strip():
            try:
                value = decay(evaluate(expression, context))
            except EvalError as exc:
                raise DebuggerError(str(exc)) from exc
            address = to_int(value) & (2**64 - 1)
        elif self.next_address is not None:
            address = self.next_address
        else:
            raise DebuggerError("Argument required (starting display address).")
        self.fmt, self.size, self.count = fmt, size, count
        if fmt == "i":
            code = _code_rows(debugger, address, count)
            self.next_address = code[-1].address + code[-1].size if code else address
            return Examined(fmt, size, tuple(code))
        if fmt == "s":
            strings = _string_rows(context, address, count)
            if not strings:  # ``x/0s``: nothing shown, as gdb, and the next x starts here
                self.next_address = address
                return Examined(fmt, 1, ())
            last = strings[-1]
            self.next_address = last.address + len(last.string.data) + 1 if last.string else None
            return Examined(fmt, 1, tuple(strings))
        size = {"c": 1, "a": 8}.get(fmt, size)
        rows = _unit_rows(context, address, count, fmt, size)
        self.next_address = address + count * size
        return Examined(fmt, size, tuple(rows))

    def _parse(self, args: str) -> tuple[int, str, int, str]:
        """A bare ``x`` repeats the last count too."""
        text = args.strip()
        count, fmt, size = 1 if text else self.count, self.fmt, self.size
        if text.startswith("/"):
            spec, _, text = text[1:].partition(" ")
            match = re.fullmatch(r"(\d*)([a-z]*)", spec)
            if match is None:
                raise DebuggerError(f"Invalid number \"{spec}\".")
            count = int(match[1]) if match[1] else 1
            for letter in match[2]:
                if letter in _UNITS:
                    size = _UNITS[letter]
                elif letter in _FORMATS:
                    fmt = letter
                else:
                    raise DebuggerError(f"Undefined output format \"{letter}\".")
        return count, fmt, size, text


def _unit_rows(context: FrameContext, address: int, count: int, fmt: str,
               size: int) -> list[MemoryRow]:
    rows = []
    per_line = _PER_LINE[size]
    for start in range(0, count, per_line):
        row_address = address + start * size
        items = []
        error = None
        for index in range(start, min(count, start + per_line)):
            try:
                data = context.access.memory(address + index * size, size)
            except MemoryAccessError as exc:
                error = str(exc)
                break
            items.append(int.from_bytes(data, "little"))
        symbols = tuple(context.symbolic(item) for item in items) if fmt == "a" else ()
        rows.append(MemoryRow(row_address, context.symbolic(row_address), tuple(items),
                              error=error, symbols=symbols))
        if error is not None:
            break
    return rows


def _string_rows(context: FrameContext, address: int, count: int) -> list[MemoryRow]:
    rows = []
    for _ in range(count):
        string = read_c_string(address, context.access.memory)
        rows.append(MemoryRow(address, context.symbolic(address), (), string=string))
        if string.error is not None:
            break
        address += len(string.data) + 1
    return rows


def _code_rows(debugger: Debugger, address: int, count: int) -> list[CodeRow]:
    inferior = debugger.require_stopped().inferior
    rows: list[CodeRow] = []
    pc = _selected_pc(debugger)
    while len(rows) < count:
        try:
            code = inferior.read(address, MAX_INSTRUCTION)
        except MemoryAccessError as exc:
            raise DebuggerError(str(exc)) from exc
        found = decode(code, address, limit=1)
        if not found:
            raise DebuggerError(f"Cannot decode the instruction at {address:#x}")
        rows.append(_code_row(debugger, found[0], pc))
        address = found[0].next_address
    return rows


def _selected_pc(debugger: Debugger) -> int:
    """gdb's ``=>`` marks the selected frame's pc."""
    return debugger.stack.current.pc


def _code_row(debugger: Debugger, instruction: Instruction, pc: int) -> CodeRow:
    context = debugger.frame_context()

    def symbolic(address: int | None) -> str | None:
        return None if address is None else context.symbolic(address)

    return CodeRow(instruction.address, instruction.size, symbolic(instruction.address),
                   instruction.mnemonic,
                   instruction.operands, instruction.address == pc,
                   instruction.target, symbolic(instruction.target),
                   instruction.rip_relative, symbolic(instruction.rip_relative))


def disassemble(debugger: Debugger, where: str = "") -> Disassembly:
    """The function holding the selected frame's pc (or named by ``where``: a function's
    name or an address in it), instruction by instruction."""
    process = debugger.require_stopped()
    where = where.strip()
    if not where:
        function = process.target.function_at(process.stack.program_pc())
        if function is None:
            raise DebuggerError("No function contains program counter for selected frame.")
    elif where[0].isdigit():
        address = int(where, 0) - process.load_bias
        function = process.target.function_at(address)
        if function is None:
            raise DebuggerError("No function contains specified address.")
    else:
        named = process.target.symbols.named(where)
        if not named:
            raise DebuggerError(f'No symbol "{where}" in current context.')
        function = process.target.function_at(named[0].address)
        assert function is not None
    inferior = process.inferior
    start = function.address + process.load_bias
    try:
        code = inferior.read(start, _code_size(process, function))
    except MemoryAccessError as exc:
        raise DebuggerError(str(exc)) from exc
    pc = _selected_pc(debugger)
    rows = tuple(_code_row(debugger, instruction, pc) for instruction in decode(code, start))
    return Disassembly(function.name, start, rows)


def _code_size(process: Process, function: FunctionSymbol) -> int:
    """How much of the function to read: the DWARF range that starts at its symbol, as gdb
    uses the block's bounds; else the symbol's size, never past the file's loaded image
    (a damaged ``.symtab`` may claim 0x1000000000 bytes)."""
    die = process.target.function_die_at(function.address)
    if die is not None:
        for low, high in die.ranges:
            if low == function.address:
                return high - low
    span = process.target.load_span
    inside = span is not None and span[0] <= function.address < span[1]
    return min(function.size, span[1] - function.address) if inside else 0


def registers(debugger: Debugger, args: str) -> RegisterTable:
    """gdb's general group: with AVX-512, the opmask registers k0-k7 follow the segment
    registers (the same in every frame: no unwinder saves them)."""
    context = debugger.frame_context()
    opmasks = opmask_registers(debugger.require_stopped().inferior.thread.xsave_area())
    values = {**context.access.registers, **opmasks}
    names = [name.lstrip("$") for name in args.split()] or [*GENERAL, *opmasks]
    rows = []
    for name in names:
        full = {"pc": "rip", "sp": "rsp", "fp": "rbp"}.get(name, name)
        if full not in GENERAL and full not in opmasks:
            raise DebuggerError(f"Invalid register `{name}'")
        value = values.get(full)
        kind = ("code" if full == "rip" else "pointer" if full in ("rsp", "rbp")
                else "flags" if full == "eflags" else "segment" if full in _SEGMENTS else "int")
        symbol = context.symbolic(value) if kind == "code" and value is not None else None
        rows.append(RegisterRow(full, value, kind, symbol))
    return RegisterTable(tuple(rows))
