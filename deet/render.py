"""The only place results become text (and JSON), so every front end says the same thing."""

from __future__ import annotations

from functools import singledispatch

from deet.render_values import is_aggregate, value_text
from deet.results import (
    Backtrace,
    BreakpointSet,
    BreakpointTable,
    Error,
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
    return f"${result.number} = {value_text(result.value)}"


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
    show_frame = result.new_place or result.source is None
    lines = [frame_description(result.frame)] if show_frame else []
    if result.source is not None:
        prefix = f"0x{result.frame.pc:016x}\t" if result.frame.show_address and not lines else ""
        lines.append(f"{prefix}{result.source.line}\t{result.source.text}")
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
