"""The only place results become text (and JSON), so every front end says the same thing.

The JSON shapes are documented in docs/json.md (the tests hold the two together): one object
a line, ``{"deet": SCHEMA_VERSION, "event": NAME, ...}``, addresses as ``"0x..."`` strings
as in gdb/MI, and every documented field always present (``null`` when unknown), so a
consumer never needs to test for a key.
"""

from __future__ import annotations

import json
from functools import singledispatch

from deet.results import (
    Backtrace,
    BreakpointSet,
    CommandEcho,
    Error,
    Exited,
    Frame,
    InferiorKilled,
    Message,
    ProgramOutput,
    Quit,
    Result,
    SettingValue,
    SettingValues,
    SharedLibraries,
    SharedLibrary,
    Signaled,
    SourceLocation,
    Stopped,
    TimedOut,
)

PROMPT = "(deet) "


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


def _where(location: SourceLocation) -> str:
    return f"{location.file}:{location.line}"


# -- JSON ------------------------------------------------------------------------------------

SCHEMA_VERSION = 1

Fields = dict[str, object]


def json_object(result: Result) -> Fields | None:
    """The JSON object for ``result``; None for a result that says nothing (``quit``)."""
    shaped = _json(result)
    if shaped is None:
        return None
    event, fields = shaped
    return {"deet": SCHEMA_VERSION, "event": event, **fields}


def json_line(result: Result) -> str:
    """``result`` as one line of JSON ('' for none). ASCII only, so no locale can mangle it."""
    shaped = json_object(result)
    return "" if shaped is None else json.dumps(shaped)


@singledispatch
def _json(result: Result) -> tuple[str, Fields] | None:
    raise TypeError(f"no JSON rendering for {type(result).__name__}")


@_json.register
def _(result: Stopped) -> tuple[str, Fields]:
    return "stopped", {
        "reason": result.reason.value,
        "signal": result.signal,
        "pc": _address(result.pc),
        "function": result.function,
        **_location_fields(result.location),
        "breakpoint": result.breakpoint,
        "source": result.source.text if result.source is not None else None,
    }


@_json.register
def _(result: Exited) -> tuple[str, Fields]:
    return "exited", {"status": result.status, "signal": None}


@_json.register
def _(result: Signaled) -> tuple[str, Fields]:
    return "exited", {"status": None, "signal": result.signal}


@_json.register
def _(result: TimedOut) -> tuple[str, Fields]:
    return "timeout", {"seconds": result.seconds, "pid": result.pid}


@_json.register
def _(result: InferiorKilled) -> tuple[str, Fields]:
    return "killed", {"pid": result.pid}


@_json.register
def _(result: BreakpointSet) -> tuple[str, Fields]:
    return "breakpoint", {
        "number": result.number,
        "spec": result.spec,
        "addresses": [_address(address) for address in result.addresses],
        **_location_fields(result.location),
    }


@_json.register
def _(result: Backtrace) -> tuple[str, Fields]:
    frames = [
        {"pc": _address(frame.pc), "function": frame.function,
         **_location_fields(frame.location), "library": frame.library,
         "signal_handler": frame.signal_handler}
        for frame in result.frames
    ]
    return "backtrace", {"frames": frames}


@_json.register
def _(result: SharedLibraries) -> tuple[str, Fields]:
    return "libraries", {"libraries": [_library(library) for library in result.libraries]}


def _library(library: SharedLibrary) -> Fields:
    return {
        "path": library.path,
        "low": _address(library.low) if library.low is not None else None,
        "high": _address(library.high) if library.high is not None else None,
        "debug_info": library.debug_info,
    }


@_json.register
def _(result: SettingValue) -> tuple[str, Fields]:
    return "setting", _setting(result)


@_json.register
def _(result: SettingValues) -> tuple[str, Fields]:
    return "settings", {"settings": [_setting(value) for value in result.values]}


def _setting(result: SettingValue) -> Fields:
    return {"name": result.name, "value": result.value, "changed": result.changed}


@_json.register
def _(result: Message) -> tuple[str, Fields]:
    return "message", {"text": result.text}


@_json.register
def _(result: Error) -> tuple[str, Fields]:
    return "error", {
        "message": result.message, "script": result.script, "script_line": result.script_line,
    }


@_json.register
def _(_result: Quit) -> None:
    return None


@_json.register
def _(result: CommandEcho) -> tuple[str, Fields]:
    return "command", {"command": result.command}


@_json.register
def _(result: ProgramOutput) -> tuple[str, Fields]:
    return "output", {"stream": result.stream, "text": result.text}


def _address(address: int) -> str:
    return f"{address:#x}"


def _location_fields(location: SourceLocation | None) -> Fields:
    if location is None:
        return {"file": None, "line": None}
    return {"file": location.file, "line": location.line}
