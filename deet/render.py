"""The only place results become text (and JSON), so every front end says the same thing."""

from __future__ import annotations

from functools import singledispatch

from deet.results import (
    Backtrace,
    BreakpointSet,
    Error,
    Exited,
    Frame,
    InferiorKilled,
    Message,
    Quit,
    Result,
    SettingValue,
    SettingValues,
    SharedLibraries,
    Signaled,
    SourceLocation,
    Stopped,
    TimedOut,
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
    if not result.addresses:
        return f"Set breakpoint {result.number} at {result.spec} (pending)"
    addresses = ", ".join(f"{address:#x}" for address in result.addresses)
    text_ = f"Set breakpoint {result.number} at {addresses}"
    if len(result.addresses) > 1:
        text_ += f" ({len(result.addresses)} locations)"
    return text_


@text.register
def _(result: Backtrace) -> str:
    return "\n".join(frame_text(frame) for frame in result.frames)


def frame_text(frame: Frame) -> str:
    if frame.signal_handler:
        return "<signal handler called>"
    name = frame.function or "??"
    if frame.location is not None:
        return f"{name} ({_where(frame.location)})"
    if frame.library is not None:
        return f"{name} ({frame.library})"
    return f"{name} ({frame.pc:#x})"


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
    return result.message


@text.register
def _(_result: Quit) -> str:
    return ""


def _where(location: SourceLocation) -> str:
    return f"{location.file}:{location.line}"
