"""Questions about the stopped program: values of expressions, locals, arguments, frames.

Each works in the selected frame (``Debugger.selected_frame``), as gdb's do, and returns a
result value; nothing here prints.
"""

from __future__ import annotations

import os

from deet.debugger.cexpr import EvalError, evaluate
from deet.debugger.core import Debugger, DebuggerError
from deet.debugger.frames import FrameContext
from deet.debugger.unwind import FrameState
from deet.debugger.values import Value, show
from deet.results import FrameLine, FrameReport, Printed, SourceLine, Variables
from deet.shown import Failed


def frame_context(debugger: Debugger, level: int | None = None) -> FrameContext:
    """The selected frame's view; before the program runs, the executable file's."""
    if not debugger.alive:
        return debugger.static_context()
    return debugger.frame_context(debugger.selected_frame if level is None else level)


def print_expression(debugger: Debugger, expression: str, fmt: str | None = None) -> Printed:
    """``print[/FMT] EXPR``: evaluate, record in the value history, show."""
    context = frame_context(debugger)
    try:
        value = evaluate(expression, context) if expression.strip() else _last(debugger)
    except EvalError as exc:
        raise DebuggerError(str(exc)) from exc
    return record(debugger, value, context, fmt)


def record(debugger: Debugger, value: Value, context: FrameContext,
           fmt: str | None = None) -> Printed:
    debugger.history.append(value)
    return Printed(len(debugger.history), show(value, context.memory), fmt)


def _last(debugger: Debugger) -> Value:
    if not debugger.history:
        raise DebuggerError("History is empty.")
    return debugger.history[-1]


def variables(debugger: Debugger, parameters: bool) -> Variables:
    """``info args`` / ``info locals`` in the selected frame."""
    context = debugger.frame_context(debugger.selected_frame)
    if context.scope is None:
        raise DebuggerError("No symbol table info available.")
    chosen = context.scope.function.parameters if parameters else context.scope.locals()
    items = []
    for variable in chosen:
        try:
            items.append((variable.name, show(context.value_of(variable), context.memory)))
        except EvalError as exc:
            items.append((variable.name, Failed(str(exc))))
    return Variables(tuple(items), "No arguments." if parameters else "No locals.")


def frame_line(debugger: Debugger, states: list[FrameState], level: int) -> FrameLine:
    """One frame as gdb describes it: pc, function, arguments, file and line."""
    state = states[level]
    context = debugger.frame_context(level)
    lookup = context.lookup_pc
    symbol = debugger.target.function_at(lookup)
    location = debugger.target.location_for(lookup)
    args = tuple(
        (name, context.shown(value)) for name, value in context.arguments()
    ) if context.scope is not None else ()
    show_address = level > 0 or location is None or not _at_line_start(debugger, state.pc)
    library = None if symbol is not None else _mapped_file(debugger, state.pc)
    name = context.scope.function.name if context.scope is not None else None
    return FrameLine(level, state.pc, name or (symbol.name if symbol else None), args,
                     location, show_address, library)


def frame_report(debugger: Debugger, level: int) -> FrameReport:
    states = debugger.frames()
    line = frame_line(debugger, states, level)
    return FrameReport(line, source_line(debugger, line))


def source_line(debugger: Debugger, line: FrameLine) -> SourceLine | None:
    if line.location is None:
        return None
    text = debugger.sources.line(line.location.file, line.location.line)
    return SourceLine(line.location.line, text) if text is not None else None


def _at_line_start(debugger: Debugger, pc: int) -> bool:
    row = debugger.target.line_row(pc - debugger.load_bias)
    return row is not None and row.address == pc - debugger.load_bias


def _mapped_file(debugger: Debugger, pc: int) -> str | None:
    """The file mapped at ``pc`` (a shared library), for gdb's ``from LIB``."""
    inferior = debugger.inferior
    if inferior is None:
        return None
    try:
        with open(f"/proc/{inferior.pid}/maps") as maps:
            for entry in maps:
                fields = entry.split()
                low, high = (int(part, 16) for part in fields[0].split("-"))
                if low <= pc < high and len(fields) > 5:
                    path = fields[5]
                    return path if os.path.isabs(path) else None
    except OSError:
        return None
    return None
