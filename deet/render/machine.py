"""The text and JSON of what deet shows of the machine: ``x`` (memory and instructions),
``disassemble`` and ``info registers``, in gdb's layout. The JSON carries the same lines
as the text, so the two always agree.

These register with ``text.text`` and the JSON dispatcher; ``deet.render`` imports this
module so they always do.
"""

from __future__ import annotations

from deet.render.formats import formatted
from deet.render.json import Fields, _address, _json
from deet.render.text import text
from deet.render.values import string_text
from deet.results import CodeRow, Disassembly, Examined, MemoryRow, RegisterRow, RegisterTable


@text.register
def _(result: Examined) -> str:
    return "\n".join(examined_line(result, row) for row in result.rows)


def examined_line(result: Examined, row: MemoryRow | CodeRow) -> str:
    """One line of ``x``'s output: the address, then the units, the string or the instruction."""
    if isinstance(row, CodeRow):
        return _code_line(row, f"0x{row.address:x}", row.symbol)
    label = f"0x{row.address:x}" + (f" <{row.symbol}>" if row.symbol else "") + ":"
    if row.string is not None:
        shown = string_text(list(row.string.data), force_ellipsis=row.string.truncated)
        if row.string.error is not None:
            shown = f"<error: {row.string.error}>"
        return f"{label}\t{shown}"
    items = [
        formatted(item, result.size * 8, result.format, pad=True,
                  symbol=row.symbols[i] if row.symbols else None)
        for i, item in enumerate(row.items)
    ]
    if row.error is not None:
        items.append(row.error)
    return "\t".join([label, *items])


def _code_line(row: CodeRow, address: str, symbol: str | None) -> str:
    marker = "=> " if row.at_pc else "   "
    where = f" <{symbol}>" if symbol else ""
    text_ = f"{marker}{address}{where}:\t{row.mnemonic:<6} {row.operands}".rstrip()
    if row.target is not None and row.target_symbol:
        text_ += f" <{row.target_symbol}>"
    if row.rip_relative is not None:
        text_ += f"        # 0x{row.rip_relative:x}"
        if row.rip_symbol:
            text_ += f" <{row.rip_symbol}>"
    return text_


@text.register
def _(result: Disassembly) -> str:
    lines = [f"Dump of assembler code for function {result.function}:"]
    lines += [disassembly_line(result, row) for row in result.rows]
    lines.append("End of assembler dump.")
    return "\n".join(lines)


def disassembly_line(result: Disassembly, row: CodeRow) -> str:
    """One instruction of ``disassemble``, its offset into the function as its symbol."""
    return _code_line(row, f"0x{row.address:016x}", f"+{row.address - result.start}")


_EFLAGS = ((0, "CF"), (2, "PF"), (4, "AF"), (6, "ZF"), (7, "SF"), (8, "TF"), (9, "IF"),
           (10, "DF"), (11, "OF"), (14, "NT"), (16, "RF"), (17, "VM"), (18, "AC"),
           (19, "VIF"), (20, "VIP"), (21, "ID"))


@text.register
def _(result: RegisterTable) -> str:
    return "\n".join(_register_line(row) for row in result.rows)


def _register_line(row: RegisterRow) -> str:
    if row.value is None:
        return f"{row.name:<15}<not saved>"
    raw = f"{row.value:#x}"
    return f"{row.name:<15}{raw:<20}{register_natural(row)}"


def register_natural(row: RegisterRow) -> str:
    """gdb's second column: the value in the register's natural format."""
    assert row.value is not None
    if row.kind == "int":
        return str(row.value - (1 << 64) if row.value >> 63 else row.value)
    if row.kind == "segment":
        return str(row.value)
    if row.kind == "flags":
        return "[ " + "".join(f"{n} " for bit, n in _EFLAGS if row.value >> bit & 1) + "]"
    return f"{row.value:#x}" + (f" <{row.symbol}>" if row.symbol else "")



@_json.register
def _(result: Examined) -> tuple[str, Fields]:
    return "examined", {"format": result.format, "size": result.size, "lines": [
        {"address": _address(row.address), "text": examined_line(result, row)}
        for row in result.rows
    ]}


@_json.register
def _(result: Disassembly) -> tuple[str, Fields]:
    return "disassembly", {"function": result.function, "lines": [
        {"address": _address(row.address), "at_pc": row.at_pc,
         "text": disassembly_line(result, row)}
        for row in result.rows
    ]}


@_json.register
def _(result: RegisterTable) -> tuple[str, Fields]:
    return "registers", {"registers": [
        {"name": row.name, "value": _address(row.value) if row.value is not None else None,
         "natural": register_natural(row) if row.value is not None else None}
        for row in result.rows
    ]}
