"""Results as the text a person sees: gdb's words and layout, one ``singledispatch``
rendering a result type.

The JSON (``deet.render.json``) embeds a few of these lines as they are (``x``, ``disassemble``,
``info registers``), so the two renderings always agree.
"""

from __future__ import annotations

from functools import singledispatch

from deet.render.values import is_aggregate, value_text
from deet.results import (
    Backtrace,
    BreakpointRow,
    BreakpointSet,
    BreakpointTable,
    CommandEcho,
    Error,
    Exited,
    Finished,
    Frame,
    FrameArg,
    FrameInfo,
    FrameLine,
    FrameReport,
    InferiorKilled,
    InferiorList,
    InferiorSwitched,
    InternalError,
    Listing,
    Message,
    Printed,
    ProgramOutput,
    Quit,
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
    TypeBody,
    TypeShown,
    Variables,
    WatchpointRow,
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
        lines.append(source_text(result.source))
    return "\n".join(lines)


# gdb's warning the first time it reads a source file newer than its executable.
STALE_SOURCE = "warning: Source file is more recent than executable."


def source_text(source: SourceLine) -> str:
    """A source line as gdb prints it under a frame; an unreadable file is named, with
    why, the first time in a row, and then as ``LINE\tin FILE``."""
    if source.text is not None:
        shown = f"{source.line}\t{source.text}"
        return f"{STALE_SOURCE}\n{shown}" if source.stale else shown
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
def _(result: InternalError) -> str:
    line = f"deet: internal error in {result.command}: {result.exception}: {result.message}"
    if result.script is not None:
        line = f"{result.script}:{result.script_line}: {line}"
    return line if result.traceback is None else f"{line}\n{result.traceback.rstrip()}"


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
def _(result: TypeShown) -> str:
    if result.body is None:
        return f"type = {result.name}"
    return f"type = {type_body_text(result.body, 0)}{result.suffix}"


def type_body_text(body: TypeBody, indent: int) -> str:
    """A struct, union or enum written out as gdb's ``ptype`` does."""
    if body.enumerators is not None:
        items = ", ".join(name if value is None else f"{name} = {value}"
                          for name, value in body.enumerators)
        return f"{body.head} {{{items}}}"
    pad = " " * (indent + 4)
    lines = [f"{body.head} {{"]
    for member in body.members:
        bits = f" : {member.bits}" if member.bits is not None else ""
        if member.body is not None:
            inner = type_body_text(member.body, indent + 4)
            lines.append(f"{pad}{inner}{member.declaration}{bits};")
        else:
            lines.append(f"{pad}{member.declaration}{bits};")
    lines.append(" " * indent + "}")
    return "\n".join(lines)


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
def _(result: FrameInfo) -> str:
    """gdb's ``info frame`` (amd64), line for line."""
    frame_at = result.cfa if result.cfa is not None else 0
    head = f"Stack level {result.level}, frame at" if result.selected else "Stack frame at"
    lines = [f"{head} {frame_at:#x}:"]
    rip = f" rip = {result.pc:#x}"
    if result.function:
        rip += f" in {result.function}"
    if result.location is not None:
        rip += f" ({_gdb_where(result.location)})"
    saved = f"{result.saved_pc:#x}" if result.saved_pc is not None else "<not saved>"
    lines.append(f"{rip}; saved rip = {saved}")
    around = []
    if result.outermost:
        lines.append(" Outermost frame: outermost")
    elif result.inlined_into is not None:
        around.append(f" inlined into frame {result.inlined_into}")
    elif result.caller_cfa is not None:
        around.append(f" called by frame at {result.caller_cfa:#x}")
    if result.callee_cfa is not None:
        around.append(f" caller of frame at {result.callee_cfa:#x}")
    if around:
        lines.append(",".join(around))
    if result.language is not None:
        lines.append(f" source language {result.language}.")
    if result.base is None:
        lines += [" Arglist at unknown address.", " Locals at unknown address,"]
    else:
        args = ", ".join(_argument(arg) for arg in result.args)
        lines += [f" Arglist at {result.base:#x}, args: {args}", f" Locals at {result.base:#x},"]
    if result.previous_sp_at is not None:
        lines[-1] += f" Previous frame's sp at {result.previous_sp_at:#x}"
    elif result.previous_sp is None:
        lines[-1] += " Previous frame's sp in rsp"
    else:
        lines[-1] += f" Previous frame's sp is {result.previous_sp:#x}"
    if result.saved:
        lines.append(" Saved registers:")
        lines.append("  " + ", ".join(f"{name} at {address:#x}" for name, address in result.saved))
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
        return "No watchpoints." if result.watchpoints_only else "No breakpoints or watchpoints."
    types = [_row_type(row) for row in result.rows]
    # gdb's column is as wide as its longest entry, at least 14, and one space after.
    width = max(14, *map(len, types)) + 1
    lines = [f"Num     {'Type':<{width}}Disp Enb Address            What"]
    for row, type_ in zip(result.rows, types, strict=True):
        disposition = "del" if isinstance(row, BreakpointRow) and row.temporary else "keep"
        head = f"{row.number:<7} {type_:<{width}}{disposition:<4} "
        enabled = "y" if row.enabled else "n"
        if isinstance(row, WatchpointRow):
            lines.append(f"{head}{enabled:<3} {'':<18} {row.expression}")
        elif len(row.places) == 1:
            lines.append(f"{head}{enabled:<3} {_breakpoint_place(row.places[0])}")
        else:
            lines.append(f"{head}{enabled:<3} {'<MULTIPLE>':<18} ")
        if row.condition is not None:
            lines.append(f"\tstop only if {row.condition}")
        if row.hits:
            lines.append(f"\tbreakpoint already hit {row.hits} time{'s' if row.hits > 1 else ''}")
        if isinstance(row, BreakpointRow) and row.ignore:
            lines.append(f"\tignore next {row.ignore} hits")
        if isinstance(row, BreakpointRow) and len(row.places) > 1:
            for index, place in enumerate(row.places, start=1):
                number = f"{row.number}.{index}"
                lines.append(f"{number:<27}  {enabled:<3} {_breakpoint_place(place)}")
    return "\n".join(lines)


# ``info breakpoints``'s Type column for each kind of watchpoint, as gdb writes it.
WATCH_TYPES = {"watch": "hw watchpoint", "rwatch": "read watchpoint",
               "awatch": "acc watchpoint"}


def _row_type(row: BreakpointRow | WatchpointRow) -> str:
    if isinstance(row, BreakpointRow):
        return "breakpoint"
    return WATCH_TYPES[row.kind] if row.hardware else "watchpoint"


def _breakpoint_place(place: tuple[int, str | None, SourceLocation | None]) -> str:
    address, function, location = place
    text_ = f"0x{address:016x} "
    if function is not None and location is not None:
        return text_ + f"in {function} at {_gdb_where(location)}"
    return text_ + (f"<{function}>" if function else "")


@text.register
def _(result: Listing) -> str:
    lines = [f"{line.line}\t{line.text}" for line in result.lines]
    return "\n".join([STALE_SOURCE, *lines] if result.stale else lines)


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
