"""The only place results become text (and JSON), so every front end says the same thing."""

from __future__ import annotations

from functools import singledispatch

from deet.render_values import char_literal, is_aggregate, string_text, value_text
from deet.results import (
    Backtrace,
    BreakpointSet,
    BreakpointTable,
    CodeRow,
    Disassembly,
    Error,
    Examined,
    Exited,
    Finished,
    Frame,
    FrameLine,
    FrameReport,
    InferiorKilled,
    Listing,
    Message,
    Printed,
    Quit,
    RegisterTable,
    Result,
    RunTillExit,
    Signaled,
    SourceLocation,
    Stepped,
    Stopped,
    TimedOut,
    Variables,
)


@singledispatch
def text(result: Result) -> str:
    """The lines a person sees for ``result``, without a final newline ('' for none)."""
    raise TypeError(f"no text rendering for {type(result).__name__}")


@text.register
def _(result: Stopped) -> str:
    lines = [f"Child stopped (signal {result.signal})"]
    if result.location is not None:
        lines.append(f"Stopped at {_where(result.location)}")
    if result.source is not None:
        lines.append(f"{result.source.line}\t{result.source.text}")
    return "\n".join(lines)


@text.register
def _(result: Exited) -> str:
    return f"Child exited (status {result.status})"


@text.register
def _(result: Signaled) -> str:
    return f"Child exited (signal {result.signal})"


@text.register
def _(result: TimedOut) -> str:
    return f"Child ran longer than {result.seconds:g} s: killed it (pid {result.pid})"


@text.register
def _(result: InferiorKilled) -> str:
    return f"Killing running inferior (pid {result.pid})"


@text.register
def _(result: BreakpointSet) -> str:
    addresses = ", ".join(f"{address:#x}" for address in result.addresses)
    text_ = f"Set breakpoint {result.number} at {addresses}"
    if len(result.addresses) > 1:
        text_ += f" ({len(result.addresses)} locations)"
    return text_


@text.register
def _(result: Backtrace) -> str:
    return "\n".join(frame_text(frame) for frame in result.frames)


def frame_text(frame: Frame) -> str:
    name = frame.function or "??"
    if frame.location is not None:
        return f"{name} ({_where(frame.location)})"
    return f"{name} ({frame.pc:#x})"


@text.register
def _(result: Message) -> str:
    return result.text


@text.register
def _(result: Error) -> str:
    return result.message


@text.register
def _(_result: Quit) -> str:
    return ""


@text.register
def _(result: Printed) -> str:
    return f"${result.number} = {value_text(result.value, fmt=result.format)}"


@text.register
def _(result: Variables) -> str:
    if not result.items:
        return result.empty
    return "\n".join(f"{name} = {value_text(value, top=False)}" for name, value in result.items)


@text.register
def _(result: FrameReport) -> str:
    lines = [f"#{result.frame.level:<3d}{frame_description(result.frame)}"]
    if result.source is not None:
        lines.append(f"{result.source.line}\t{result.source.text}")
    return "\n".join(lines)


@text.register
def _(result: Stepped) -> str:
    location = result.frame.location
    show_frame = result.new_place or location is None
    lines = [frame_description(result.frame)] if show_frame else []
    prefix = f"0x{result.frame.pc:016x}\t" if result.frame.show_address and not lines else ""
    if result.source is not None:
        lines.append(f"{prefix}{result.source.line}\t{result.source.text}")
    elif location is not None:
        lines.append(f"{prefix}{location.line}\tin {location.file}")
    return "\n".join(lines)


@text.register
def _(result: BreakpointTable) -> str:
    if not result.rows:
        return "No breakpoints or watchpoints."
    lines = ["Num     Type           Disp Enb Address            What"]
    for row in result.rows:
        head = f"{row.number:<7} {'breakpoint':<14} {'del' if row.temporary else 'keep':<4} "
        enabled = "y" if row.enabled else "n"
        if len(row.places) == 1:
            lines.append(f"{head}{enabled:<3} {_breakpoint_place(row.places[0])}")
        else:
            lines.append(f"{head}{enabled:<3} {'<MULTIPLE>':<18} ")
        if row.condition is not None:
            lines.append(f"\tstop only if {row.condition}")
        if row.hits:
            lines.append(f"\tbreakpoint already hit {row.hits} time{'s' if row.hits > 1 else ''}")
        if len(row.places) > 1:
            for index, place in enumerate(row.places, start=1):
                number = f"{row.number}.{index}"
                lines.append(f"{number:<27}  {enabled:<3} {_breakpoint_place(place)}")
    return "\n".join(lines)


def _breakpoint_place(place: tuple[int, str | None, SourceLocation | None]) -> str:
    address, function, location = place
    text_ = f"0x{address:016x} "
    if function is not None and location is not None:
        return text_ + f"in {function} at {_where(location)}"
    return text_ + (f"<{function}>" if function else "")


@text.register
def _(result: Examined) -> str:
    lines = []
    for row in result.rows:
        if isinstance(row, CodeRow):
            lines.append(_code_line(row, f"0x{row.address:x}", row.symbol))
            continue
        label = f"0x{row.address:x}" + (f" <{row.symbol}>" if row.symbol else "") + ":"
        if row.string is not None:
            shown = string_text(list(row.string.data), force_ellipsis=row.string.truncated)
            if row.string.error is not None:
                shown = f"<error: {row.string.error}>"
            lines.append(f"{label}\t{shown}")
            continue
        items = [
            _unit(item, result.format, result.size, row.symbols[i] if row.symbols else None)
            for i, item in enumerate(row.items)
        ]
        if row.error is not None:
            items.append(row.error)
        lines.append("\t".join([label, *items]))
    return "\n".join(lines)


def _unit(value: int, fmt: str, size: int, symbol: str | None) -> str:
    bits = size * 8
    signed = value - (1 << bits) if value >> (bits - 1) else value
    if fmt == "x":
        return f"0x{value:0{size * 2}x}"
    if fmt == "d":
        return str(signed)
    if fmt == "u":
        return str(value)
    if fmt == "o":
        return f"0{value:o}" if value else "0"
    if fmt == "t":
        return f"{value:0{bits}b}"
    if fmt == "c":
        return f"{signed} {char_literal(value)}"
    return f"0x{value:x}" + (f" <{symbol}>" if symbol else "")


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
    for row in result.rows:
        lines.append(_code_line(row, f"0x{row.address:016x}", f"+{row.address - result.start}"))
    lines.append("End of assembler dump.")
    return "\n".join(lines)


_EFLAGS = ((0, "CF"), (2, "PF"), (4, "AF"), (6, "ZF"), (7, "SF"), (8, "TF"), (9, "IF"),
           (10, "DF"), (11, "OF"), (14, "NT"), (16, "RF"), (17, "VM"), (18, "AC"),
           (19, "VIF"), (20, "VIP"), (21, "ID"))


@text.register
def _(result: RegisterTable) -> str:
    lines = []
    for row in result.rows:
        if row.value is None:
            lines.append(f"{row.name:<15}<not saved>")
            continue
        raw = f"{row.value:#x}"
        if row.kind == "int":
            natural = str(row.value - (1 << 64) if row.value >> 63 else row.value)
        elif row.kind == "segment":
            natural = str(row.value)
        elif row.kind == "flags":
            natural = "[ " + "".join(f"{n} " for bit, n in _EFLAGS if row.value >> bit & 1) + "]"
        else:
            natural = raw + (f" <{row.symbol}>" if row.symbol else "")
        lines.append(f"{row.name:<15}{raw:<20}{natural}")
    return "\n".join(lines)


@text.register
def _(result: Listing) -> str:
    return "\n".join(f"{line.line}\t{line.text}" for line in result.lines)


@text.register
def _(result: RunTillExit) -> str:
    return f"Run till exit from #{result.frame.level:<3d}{frame_description(result.frame)}"


@text.register
def _(result: Finished) -> str:
    lines = [frame_description(result.frame)]
    if result.source is not None:
        lines.append(f"{result.source.line}\t{result.source.text}")
    if result.value is not None:
        lines.append(f"Value returned is {text(result.value)}")
    return "\n".join(lines)


def frame_description(frame: FrameLine) -> str:
    """gdb's frame line without its ``#N``: ``0x... in func (a=1) at FILE:LINE``."""
    text = f"0x{frame.pc:016x} in " if frame.show_address else ""
    args = ", ".join(
        f"{name}={'...' if is_aggregate(value) else value_text(value, top=False)}"
        for name, value in frame.args
    )
    text += f"{frame.function or '??'} ({args})"
    if frame.location is not None:
        text += f" at {_where(frame.location)}"
    elif frame.library is not None:
        text += f" from {frame.library}"
    return text


def _where(location: SourceLocation) -> str:
    return f"{location.file}:{location.line}"
