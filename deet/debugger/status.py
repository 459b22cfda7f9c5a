"""Status questions about the program's code: ``info line`` (where a line's code is),
``info source`` (the current file and its compile unit)."""

from __future__ import annotations

import os

from deet.debugger.core import Debugger
from deet.debugger.errors import DebuggerError
from deet.debugger.linespec import AddressSpec, FunctionSpec, LineSpec, parse_location
from deet.debugger.process import LiveRow
from deet.results import LineInfo, SourceInfo


def line_info(debugger: Debugger, args: str) -> LineInfo:
    """gdb's ``info line [LOCATION]``: the selected frame's line without one. A function's
    line is the one its entry is on; a line without code is reported at the next code."""
    process = debugger.require_stopped()
    if not args.strip():
        row = process.line_at(debugger.stack.program_pc())
        if row is None:
            raise DebuggerError("No line number information available.")
        return _info(debugger, row)
    spec = parse_location(args)
    if isinstance(spec, AddressSpec):
        row = process.line_at(spec.address)
        if row is None:
            raise _no_line(debugger, spec.address)
        return _info(debugger, row)
    address = _first_address(debugger, spec)
    row = process.line_at(address)
    function = process.function_at(address)
    entry = process.line_at(function[1]) if function is not None else None
    if isinstance(spec, FunctionSpec):
        # A function without line information (``_start``): gdb names its address.
        if entry is None:
            raise _no_line(debugger, address)
        return _info(debugger, entry)
    if row is not None and row.line == spec.line:
        return _info(debugger, row)
    if entry is not None and entry.line == spec.line:
        return _info(debugger, entry)
    # ``break`` moved to the next line with code (and past its prologue): gdb names the
    # start of that code.
    known = entry or row
    start = known.start if known is not None else address
    file = known.file if known is not None else ""
    return LineInfo(file, spec.line, start, debugger.frame_context().symbolic(start))


def _no_line(debugger: Debugger, address: int) -> DebuggerError:
    symbol = debugger.frame_context().symbolic(address)
    named = f" <{symbol}>" if symbol else ""
    return DebuggerError(f"No line number information available for address {address:#x}"
                         f"{named}")


def source_info(debugger: Debugger) -> SourceInfo:
    """gdb's ``info source``: the selected frame's source file and its compile unit."""
    process = debugger.current
    location = debugger.frame_line().location if process is not None else None
    if process is None or location is None:
        raise DebuggerError("No current source file.")
    found = process.lookup(debugger.stack.program_pc())
    facts = found[0].info.unit_facts(found[1]) if found is not None else None
    if facts is None:
        raise DebuggerError("No current source file.")
    lines = debugger.sources.lines(location.file)
    path = os.path.abspath(location.file) if lines is not None else None
    return SourceInfo(location.file, facts.comp_dir, path,
                      len(lines) if lines is not None else None, facts.language,
                      facts.producer, facts.version, facts.macros)


def _first_address(debugger: Debugger, spec: LineSpec | FunctionSpec) -> int:
    code = debugger.resolve(spec)
    process = debugger.require_stopped()
    for path, locations in code.items():
        bias = process.space.bias_of(path)
        if bias is not None and locations:
            return locations[0].address + bias
    raise DebuggerError(f"No code for {spec}.")


def _info(debugger: Debugger, row: LiveRow) -> LineInfo:
    context = debugger.frame_context()
    return LineInfo(row.file, row.line, row.start, context.symbolic(row.start), row.end,
                    context.symbolic(row.end))
