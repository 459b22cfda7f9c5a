"""Questions about the stopped program: values of expressions, locals, arguments, frames.

Each works in the selected frame (the current stack's selection), as gdb's do, and
returns a result value; nothing here prints. Before the program runs, expressions see
the executable file's globals.
"""

from __future__ import annotations

from deet.debugger.cexpr import EvalError, evaluate
from deet.debugger.core import Debugger
from deet.debugger.errors import DebuggerError
from deet.debugger.frames import FrameContext
from deet.debugger.store import Store
from deet.debugger.unwind import FrameAccess
from deet.debugger.values import Value, show
from deet.debuginfo.types import VoidType, strip
from deet.engine import MemoryAccessError
from deet.results import FrameReport, Printed, SharedLibraries, SharedLibrary, Variables
from deet.results.shown import Failed


def frame_context(debugger: Debugger) -> FrameContext:
    """The selected frame's view; before the program runs, the executable file's."""
    if not debugger.alive:
        return static_context(debugger)
    return debugger.frame_context()


def static_context(debugger: Debugger) -> FrameContext:
    """Before the program runs: globals as the executable file holds them (gdb reads them
    from the file too), seen from ``main``'s file; no registers, no frames."""
    target = debugger.target

    def read_file(address: int, size: int) -> bytes:
        data = target.read_image(address, size)
        if len(data) < size:
            raise MemoryAccessError(f"Cannot access memory at address {address + len(data):#x}")
        return data

    mains = target.symbols.named("main")
    near = mains[0].address if mains else target.entry
    context = FrameContext(target, FrameAccess({}, None, read_file), near, 0, debugger.history)
    context.store = Store(debugger.convenience)
    return context


def print_expression(debugger: Debugger, expression: str, fmt: str | None = None) -> Printed:
    """``print[/FMT] EXPR``: evaluate, record in the value history, show."""
    context = frame_context(debugger)
    try:
        value = evaluate(expression, context) if expression.strip() else _last(debugger)
    except EvalError as exc:
        raise DebuggerError(str(exc)) from exc
    return record(debugger, value, context, fmt)


def call_expression(debugger: Debugger, expression: str) -> Printed | None:
    """``call EXPR``: ``print``, except that a void result shows nothing (``call f()``)."""
    if not expression.strip():
        raise DebuggerError("The history is empty.")
    context = frame_context(debugger)
    try:
        value = evaluate(expression, context)
    except EvalError as exc:
        raise DebuggerError(str(exc)) from exc
    if isinstance(strip(value.type), VoidType):
        return None
    return record(debugger, value, context)


def assign_expression(debugger: Debugger, expression: str) -> None:
    """``set var EXPR``: evaluated for what it changes (``x = 3``); nothing is shown, nor
    put in the value history."""
    if not expression.strip():
        raise DebuggerError("Argument required (expression to compute).")
    try:
        evaluate(expression, frame_context(debugger))
    except EvalError as exc:
        raise DebuggerError(str(exc)) from exc


def record(debugger: Debugger, value: Value, context: FrameContext,
           fmt: str | None = None) -> Printed:
    debugger.history.append(value)
    return Printed(len(debugger.history), show(value, context.memory), fmt)


def _last(debugger: Debugger) -> Value:
    if not debugger.history:
        raise DebuggerError("History is empty.")
    return debugger.history[-1]


def variables(debugger: Debugger, parameters: bool, level: int | None = None) -> Variables:
    """``info args`` / ``info locals`` in the selected frame (or frame ``level``)."""
    context = debugger.frame_context(level)
    if context.scope is None:
        raise DebuggerError("No symbol table info available.")
    chosen = context.scope.parameters if parameters else context.scope.locals()
    items = []
    for variable in chosen:
        try:
            items.append((variable.name, show(context.value_of(variable), context.memory)))
        except EvalError as exc:
            items.append((variable.name, Failed(str(exc))))
    return Variables(tuple(items), "No arguments." if parameters else "No locals.")


def frame_report(debugger: Debugger) -> FrameReport:
    """The selected frame and its source line (``frame``, ``up``, ``down``)."""
    line = debugger.frame_line()
    return FrameReport(line, debugger.sources.source_line(line.location))


def shared_libraries(debugger: Debugger) -> SharedLibraries:
    current = debugger.current
    if current is None:
        return SharedLibraries(())
    libraries = []
    for obj in current.space.libraries():
        text = obj.info.text_range
        low, high = (text[0] + obj.bias, text[1] + obj.bias) if text else (None, None)
        libraries.append(SharedLibrary(obj.path, low, high, obj.info.has_debug_info))
    return SharedLibraries(tuple(libraries))
