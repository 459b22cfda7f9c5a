"""Results as JSON, for programs: one ``singledispatch`` shape a result type.

The shapes are documented in docs/json.md (the tests hold the two together): one object a
line, ``{"deet": SCHEMA_VERSION, "event": NAME, ...}``, addresses as ``"0x..."`` strings as
in gdb/MI, and every documented field always present (``null`` when unknown), so a consumer
never needs to test for a key. (``import json`` below is the standard library's: imports are
absolute, so this module never imports itself.)
"""

from __future__ import annotations

import json
from functools import singledispatch

from deet.render.text import text
from deet.render.values import value_text
from deet.results import (
    Backtrace,
    BreakpointDropped,
    BreakpointRow,
    BreakpointSet,
    BreakpointTable,
    CommandEcho,
    ConditionChanged,
    ConditionError,
    CurrentInferior,
    CurrentThread,
    Error,
    ExecStarted,
    ExecWithoutDebugInfo,
    Exited,
    Finished,
    ForkDetached,
    ForkFollowed,
    FrameInfo,
    FrameLine,
    FrameReport,
    InferiorDetached,
    InferiorKilled,
    InferiorList,
    InferiorRow,
    InferiorSwitched,
    InsertFailed,
    InternalError,
    Listing,
    Message,
    NewInferior,
    Printed,
    ProgramOutput,
    Quit,
    Result,
    RunTillExit,
    SettingValue,
    SettingValues,
    SharedLibraries,
    SharedLibrary,
    Signaled,
    SignalReceived,
    SignalTable,
    SourceLine,
    SourceLocation,
    Stepped,
    Stopped,
    ThreadList,
    ThreadSwitched,
    ThreadTag,
    TimedOut,
    TypeShown,
    Variables,
    WatchpointRow,
)

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


# Results of other render modules' subjects register their shapes here too (targets.py,
# processes.py).
register = _json.register


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
        "thread": thread_fields(result.thread),
    }


def thread_fields(thread: ThreadTag | None) -> Fields | None:
    return None if thread is None else {"id": thread.number, "lwp": thread.tid}


@_json.register
def _(result: ThreadList) -> tuple[str, Fields]:
    return "threads", {"threads": [
        {**(thread_fields(row.thread) or {}), "name": row.name, "current": row.current,
         "frame": frame_fields(row.frame) if row.frame is not None else None}
        for row in result.rows
    ]}


@_json.register
def _(result: ThreadSwitched) -> tuple[str, Fields]:
    return "thread", {"thread": thread_fields(result.thread),
                      "frame": frame_fields(result.frame),
                      "source": source_field(result.source)}


def _inferior_fields(row: InferiorRow) -> Fields:
    return {"id": row.number, "pid": row.pid, "executable": row.executable,
            "current": row.current}


@_json.register
def _(result: InferiorList) -> tuple[str, Fields]:
    return "inferiors", {"inferiors": [_inferior_fields(row) for row in result.rows]}


@_json.register
def _(result: InferiorSwitched) -> tuple[str, Fields]:
    return "inferior", {"inferior": _inferior_fields(result.inferior),
                        "thread": thread_fields(result.thread),
                        "frame": frame_fields(result.frame),
                        "source": source_field(result.source)}


@_json.register
def _(result: SignalTable) -> tuple[str, Fields]:
    return "signals", {"signals": [
        {"name": row.name, "stop": row.stop, "print": row.print, "pass": row.pass_,
         "description": row.description}
        for row in result.rows
    ]}


@_json.register
def _(result: Exited) -> tuple[str, Fields]:
    return "exited", {"status": result.status, "signal": None}


@_json.register
def _(result: Signaled) -> tuple[str, Fields]:
    return "exited", {"status": None, "signal": result.signal}


@_json.register
def _(result: TimedOut) -> tuple[str, Fields]:
    return "timeout", {
        "seconds": result.seconds,
        "pid": result.pid,
        "pc": _address(result.pc),
        "function": result.function,
        **_location_fields(result.location),
        "source": result.source.text if result.source is not None else None,
        "thread": thread_fields(result.thread),
    }


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
    for index, fields in enumerate(frames):
        shown = result.locals[index] if result.locals is not None else None
        fields["locals"] = None if shown is None else _json(shown)[1]["variables"]
    return "backtrace", {"frames": frames, "more": result.more}


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
def _(result: InternalError) -> tuple[str, Fields]:
    return "internal_error", {
        "command": result.command, "exception": result.exception, "message": result.message,
        "traceback": result.traceback, "script": result.script,
        "script_line": result.script_line,
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


@_json.register
def _(result: Printed) -> tuple[str, Fields]:
    return "printed", _printed(result)


def _printed(result: Printed) -> Fields:
    return {"number": result.number, "format": result.format,
            "value": value_text(result.value, fmt=result.format)}


@_json.register
def _(result: TypeShown) -> tuple[str, Fields]:
    return "type", {"type": text(result).removeprefix("type = ")}


@_json.register
def _(result: Variables) -> tuple[str, Fields]:
    return "variables", {"variables": [
        {"name": name, "value": value_text(value, top=False)} for name, value in result.items
    ]}


def frame_fields(frame: FrameLine) -> Fields:
    return {
        "level": frame.level,
        "pc": _address(frame.pc),
        "function": frame.function,
        "args": [{"name": arg.name, "value": value_text(arg.value, top=False),
                  "entry": value_text(arg.entry, top=False) if arg.entry is not None else None}
                 for arg in frame.args],
        **_location_fields(frame.location),
        "library": frame.library,
    }


def source_field(source: SourceLine | None) -> str | None:
    return source.text if source is not None else None


@_json.register
def _(result: FrameReport) -> tuple[str, Fields]:
    return "frame", {"frame": frame_fields(result.frame), "source": source_field(result.source)}


@_json.register
def _(result: FrameInfo) -> tuple[str, Fields]:
    return "frame_info", {
        "level": result.level,
        "frame_at": _address(result.cfa) if result.cfa is not None else None,
        "pc": _address(result.pc),
        "function": result.function,
        **_location_fields(result.location),
        "saved_pc": _address(result.saved_pc) if result.saved_pc is not None else None,
        "outermost": result.outermost,
        "called_by": _address(result.caller_cfa) if result.caller_cfa is not None else None,
        "caller_of": _address(result.callee_cfa) if result.callee_cfa is not None else None,
        "language": result.language,
        "inlined_into": result.inlined_into,
        "args_at": _address(result.base) if result.base is not None else None,
        "args": [{"name": arg.name, "value": value_text(arg.value, top=False)}
                 for arg in result.args],
        "previous_sp": (_address(result.previous_sp) if result.previous_sp is not None
                        else None),
        "previous_sp_at": (_address(result.previous_sp_at)
                           if result.previous_sp_at is not None else None),
        "saved_registers": [{"register": name, "address": _address(address)}
                            for name, address in result.saved],
    }


@_json.register
def _(result: Stepped) -> tuple[str, Fields]:
    return "stepped", {"frame": frame_fields(result.frame), "source": source_field(result.source),
                       "new_place": result.new_place}


@_json.register
def _(result: RunTillExit) -> tuple[str, Fields]:
    return "run_till_exit", {"frame": frame_fields(result.frame)}


@_json.register
def _(result: Finished) -> tuple[str, Fields]:
    return "finished", {
        "frame": frame_fields(result.frame),
        "source": source_field(result.source),
        "value": _printed(result.value) if result.value is not None else None,
    }


@_json.register
def _(result: Listing) -> tuple[str, Fields]:
    return "listing", {"lines": [{"line": line.line, "text": line.text} for line in result.lines]}


@_json.register
def _(result: BreakpointTable) -> tuple[str, Fields]:
    breakpoints = [row for row in result.rows if isinstance(row, BreakpointRow)]
    watchpoints = [row for row in result.rows if isinstance(row, WatchpointRow)]
    return "breakpoints", {"breakpoints": [
        {
            "number": row.number,
            "temporary": row.temporary,
            "enabled": row.enabled,
            "condition": row.condition,
            "hits": row.hits,
            "ignore": row.ignore,
            "locations": [
                {"address": _address(address), "function": function,
                 **_location_fields(location)}
                for address, function, location in row.places
            ],
        }
        for row in breakpoints
    ], "watchpoints": [
        {"number": row.number, "kind": row.kind, "hardware": row.hardware,
         "enabled": row.enabled, "expression": row.expression, "condition": row.condition,
         "hits": row.hits}
        for row in watchpoints
    ]}


def _address(address: int) -> str:
    return f"{address:#x}"


def _location_fields(location: SourceLocation | None) -> Fields:
    if location is None:
        return {"file": None, "line": None}
    return {"file": location.file, "line": location.line}


@_json.register
def _(result: SignalReceived) -> tuple[str, Fields]:
    return "signal_received", {"signal": result.signal, "description": result.description}


@_json.register
def _(result: ConditionError) -> tuple[str, Fields]:
    return "condition_error", {"breakpoint": result.breakpoint, "message": result.message}


@_json.register
def _(result: InsertFailed) -> tuple[str, Fields]:
    return "insert_failed", {"breakpoint": result.breakpoint, "message": result.message}


@_json.register
def _(result: BreakpointDropped) -> tuple[str, Fields]:
    return "breakpoint_deleted", {"breakpoint": result.breakpoint, "spec": result.spec,
                                  "reason": result.reason}


@_json.register
def _(result: NewInferior) -> tuple[str, Fields]:
    return "new_inferior", {"inferior": result.number, "pid": result.pid}


@_json.register
def _(result: ForkFollowed) -> tuple[str, Fields]:
    return "fork_followed", {"parent": result.parent, "child": result.child}


@_json.register
def _(result: ForkDetached) -> tuple[str, Fields]:
    return "detached", {"pid": result.pid, "side": result.side, "vfork": result.vfork}


@_json.register
def _(result: InferiorDetached) -> tuple[str, Fields]:
    return "inferior_detached", {"inferior": result.number, "pid": result.pid}


@_json.register
def _(result: ExecStarted) -> tuple[str, Fields]:
    return "exec", {"pid": result.pid, "path": result.path}


@_json.register
def _(result: ExecWithoutDebugInfo) -> tuple[str, Fields]:
    return "exec_without_debug_info", {"path": result.path, "reason": result.reason}


@_json.register
def _(result: CurrentThread) -> tuple[str, Fields]:
    return "current_thread", {"thread": thread_fields(result.thread)}


@_json.register
def _(result: CurrentInferior) -> tuple[str, Fields]:
    return "current_inferior", {"inferior": _inferior_fields(result.inferior)}


@_json.register
def _(result: ConditionChanged) -> tuple[str, Fields]:
    return "condition", {"breakpoint": result.breakpoint, "condition": result.condition}
