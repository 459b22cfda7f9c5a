"""Results as the text a person sees: gdb's words and layout, one ``singledispatch``
rendering a result type.

The JSON (``deet.render.json``) embeds a few of these lines as they are (``x``, ``disassemble``,
``info registers``), so the two renderings always agree.
"""

from __future__ import annotations

from functools import singledispatch

from deet.render.formats import formatted
from deet.render.values import is_aggregate, string_text, value_text
from deet.results import (
    Backtrace,
    BreakpointSet,
    BreakpointTable,
    CodeRow,
    CommandEcho,
    Disassembly,
    Error,
    Examined,
    Exited,
    Finished,
    Frame,
    FrameArg,
    FrameLine,
    FrameReport,
    InferiorKilled,
    InferiorList,
    InferiorSwitched,
    Listing,
    MemoryRow,
    Message,
    Printed,
    ProgramOutput,
    Quit,
    RegisterRow,
    RegisterTable,
    Result,
    RunTillExit,
    SettingValue,
    SettingValues,
    SharedLibraries,
    Signaled,
    SignalTable,
    SourceLine,
    SourceLocation,
    Stepped,
    Stopped,
    ThreadList,
    ThreadSwitched,
    ThreadTag,
    TimedOut,
    Variables,
)
from deet.results.shown import Shown

PROMPT = "(deet) "


@singledispatch
def text(result: Result) -> str:
    """The lines a person sees for ``result``, without a final newline ('' for none)."""
    raise TypeError(f"no text rendering for {type(result).__name__}")


@text.register
def _(result: Stopped) -> str:
    return _stop_text(f"Child stopped (signal {result.signal})", result)


def _stop_text(headline: str, result: Stopped | TimedOut) -> str:
    """A stop: the thread (when there are several), the headline, where and its line."""
    lines = []
    if result.thread is not None:
        lines.append(f"[Switching to {_thread(result.thread)}]" if result.switched
                     else f"[Thread {result.thread.number} (LWP {result.thread.tid})]")
    lines.append(headline)
    if result.location is not None:
        lines.append(f"Stopped at {_where(result.location)}")
    if result.source is not None and result.source.text is not None:
        lines.append(f"{result.source.line}\t{result.source.text}")
    return "\n".join(lines)


def source_text(source: SourceLine) -> str:
    """A source line as gdb prints it under a frame; an unreadable file is named, with
    why, the first time in a row, and then as ``LINE\tin FILE``."""
    if source.text is not None:
        return f"{source.line}\t{source.text}"
    if source.again:
        return f"{source.line}\tin {source.missing}"
    return f"{source.line}\t{source.missing}: {source.error}."


@text.register
def _(result: Exited) -> str:
    return f"Child exited (status {result.status})"


@text.register
def _(result: Signaled) -> str:
    return f"Child exited (signal {result.signal})"


@text.register
def _(result: TimedOut) -> str:
    return _stop_text(f"Program timed out after {result.seconds:g} s", result)


@text.register
def _(result: InferiorKilled) -> str:
    return f"Killing running inferior (pid {result.pid})"


@text.register
def _(result: BreakpointSet) -> str:
    if not result.addresses:
        return f"Set breakpoint {result.number} at {result.spec} (pending)"
    addresses = ", ".join(f"{address:#x}" for address in result.addresses)
    text_ = f"Set breakpoint {result.number} at {addresses}"
    if len(result.addresses) > 1:
        text_ += f" ({len(result.addresses)} locations)"
    return text_


@text.register
def _(result: Backtrace) -> str:
    lines = []
    for index, frame in enumerate(result.frames):
        lines.append(frame_text(frame))
        shown = result.locals[index] if result.locals is not None else None
        if shown is not None:
            # gdb's ``bt full`` indents each frame's locals by eight spaces.
            lines += [f"        {line}" for line in text(shown).split("\n")]
    if result.more:
        lines.append("(More stack frames follow...)")
    return "\n".join(lines)


def frame_text(frame: Frame) -> str:
    if frame.signal_handler:
        return "<signal handler called>"
    name = frame.function or "??"
    if frame.location is not None:
        return f"{name} ({_where(frame.location)})"
    if frame.library is not None:
        return f"{name} ({frame.library})"
    return f"{name} ({frame.pc:#x})"


def _thread(thread: ThreadTag) -> str:
    return f"thread {thread.number} (LWP {thread.tid})"


@text.register
def _(result: ThreadList) -> str:
    targets = [f'LWP {row.thread.tid} "{row.name}"' for row in result.rows]
    width = max([len("Target Id"), *map(len, targets)]) + 1
    lines = [f"  {'Id':<5}{'Target Id':<{width}}Frame"]
    for row, target in zip(result.rows, targets, strict=True):
        frame = frame_description(row.frame) if row.frame is not None else "(no frame)"
        lines.append(f"{'*' if row.current else ' '} {row.thread.number:<5}{target:<{width}}"
                     f"{frame}")
    return "\n".join(lines)


@text.register
def _(result: ThreadSwitched) -> str:
    return _switched([], result.thread, result.frame, result.source)


def _switched(lines: list[str], thread: ThreadTag, frame: FrameLine,
              source: SourceLine | None) -> str:
    """gdb's answer to a switch of thread (or inferior): the thread, then frame 0."""
    lines = [*lines, f"[Switching to {_thread(thread)}]", f"#0  {frame_description(frame)}"]
    if source is not None:
        lines.append(source_text(source))
    return "\n".join(lines)


@text.register
def _(result: InferiorList) -> str:
    lines = [f"  {'Num':<5}{'Description':<18}Executable"]
    for row in result.rows:
        description = f"process {row.pid}" if row.pid is not None else "<null>"
        lines.append(f"{'*' if row.current else ' '} {row.number:<5}{description:<18}"
                     f"{row.executable}")
    return "\n".join(lines)


@text.register
def _(result: InferiorSwitched) -> str:
    row = result.inferior
    switch = f"[Switching to inferior {row.number} [process {row.pid}] ({row.executable})]"
    return _switched([switch], result.thread, result.frame, result.source)


@text.register
def _(result: SignalTable) -> str:
    lines = ["Signal        Stop\tPrint\tPass to program\tDescription"]
    if result.listing:
        lines.append("")
    for row in result.rows:
        lines.append(f"{row.name:<14}{_yes(row.stop)}\t{_yes(row.print)}\t{_yes(row.pass_)}"
                     f"\t\t{row.description}")
    if result.listing:
        lines.extend(["", 'Use the "handle" command to change these tables.'])
    return "\n".join(lines)


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


@text.register
def _(result: SharedLibraries) -> str:
    if not result.libraries:
        return "No shared libraries loaded at this time."
    lines = [f"{'From':<20}{'To':<20}{'Syms Read':<12}Shared Object Library"]
    for library in result.libraries:
        low = f"{library.low:#018x}" if library.low is not None else ""
        high = f"{library.high:#018x}" if library.high is not None else ""
        symbols = "Yes" if library.debug_info else "Yes (*)"
        lines.append(f"{low:<20}{high:<20}{symbols:<12}{library.path}")
    if not all(library.debug_info for library in result.libraries):
        lines.append("(*): Shared library is missing debugging information.")
    return "\n".join(lines)


@text.register
def _(result: SettingValue) -> str:
    return "" if result.changed else f"{result.name}: {result.value}"


@text.register
def _(result: SettingValues) -> str:
    return "\n".join(text(value) for value in result.values)


@text.register
def _(result: Message) -> str:
    return result.text


@text.register
def _(result: Error) -> str:
    if result.script is not None:
        return f"{result.script}:{result.script_line}: {result.message}"
    return result.message


@text.register
def _(result: CommandEcho) -> str:
    return PROMPT + result.command


@text.register
def _(result: ProgramOutput) -> str:
    return result.text.removesuffix("\n")


@text.register
def _(_result: Quit) -> str:
    return ""


@text.register
def _(result: Printed) -> str:
    depth = 0 if result.pretty else None
    return f"${result.number} = {value_text(result.value, fmt=result.format, depth=depth)}"


@text.register
def _(result: Variables) -> str:
    if not result.items:
        return result.empty
    return "\n".join(f"{name} = {value_text(value, top=False)}" for name, value in result.items)


@text.register
def _(result: FrameReport) -> str:
    lines = [f"#{result.frame.level:<3d}{frame_description(result.frame)}"]
    if result.source is not None:
        lines.append(source_text(result.source))
    return "\n".join(lines)


@text.register
def _(result: Stepped) -> str:
    location = result.frame.location
    show_frame = result.new_place or location is None
    lines = [frame_description(result.frame)] if show_frame else []
    prefix = f"0x{result.frame.pc:016x}\t" if result.frame.show_address and not lines else ""
    if result.source is not None:
        lines.append(prefix + source_text(result.source))
    elif location is not None:
        lines.append(f"{prefix}{location.line}\tin {location.shown}")
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
        if row.ignore:
            lines.append(f"\tignore next {row.ignore} hits")
        if len(row.places) > 1:
            for index, place in enumerate(row.places, start=1):
                number = f"{row.number}.{index}"
                lines.append(f"{number:<27}  {enabled:<3} {_breakpoint_place(place)}")
    return "\n".join(lines)


def _breakpoint_place(place: tuple[int, str | None, SourceLocation | None]) -> str:
    address, function, location = place
    text_ = f"0x{address:016x} "
    if function is not None and location is not None:
        return text_ + f"in {function} at {_gdb_where(location)}"
    return text_ + (f"<{function}>" if function else "")


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
        lines.append(source_text(result.source))
    if result.value is not None:
        lines.append(f"Value returned is {text(result.value)}")
    return "\n".join(lines)


def _argument(arg: FrameArg) -> str:
    """gdb's ``print entry-values default``: ``x=5``, ``x=x@entry=5`` when the value is
    the one the function was entered with, ``x=6, x@entry=5`` when it is not."""
    value = _frame_value(arg.value)
    if arg.entry is None:
        return f"{arg.name}={value}"
    if arg.same:
        return f"{arg.name}={arg.name}@entry={value}"
    return f"{arg.name}={value}, {arg.name}@entry={_frame_value(arg.entry)}"


def _frame_value(value: Shown) -> str:
    return "..." if is_aggregate(value) else value_text(value, top=False)


def frame_description(frame: FrameLine) -> str:
    """gdb's frame line without its ``#N``: ``0x... in func (a=1) at FILE:LINE``."""
    text = f"0x{frame.pc:016x} in " if frame.show_address else ""
    args = ", ".join(_argument(arg) for arg in frame.args)
    text += f"{frame.function or '??'} ({args})"
    if frame.location is not None:
        text += f" at {_gdb_where(frame.location)}"
    elif frame.library is not None:
        text += f" from {frame.library}"
    return text


def _where(location: SourceLocation) -> str:
    """DEET's form (``Stopped at``, ``backtrace``): the absolute path."""
    return f"{location.file}:{location.line}"


def _gdb_where(location: SourceLocation) -> str:
    """gdb's form (frame lines, ``info breakpoints``): the file as it was compiled."""
    return f"{location.shown}:{location.line}"
