"""Breakpoint conditions, checked when they are set as gdb checks them.

gdb parses a condition in the scope of the breakpoint's location at ``break ... if COND``
and ``condition N COND``: a syntax error, or a name that location cannot see, is refused
then (in gdb's words), not found at the first hit. ``Debugger`` evaluates the condition
at each hit.
"""

from __future__ import annotations

from deet.debugger.cexpr import EvalError, parse
from deet.debugger.cexpr.parser import TrailingJunkError
from deet.debugger.errors import DebuggerError
from deet.debugger.frames import FrameContext
from deet.debugger.resolve import Code
from deet.debugger.unwind import FrameAccess
from deet.debuginfo import DebugInfo
from deet.engine import MemoryAccessError


def check_condition(target: DebugInfo, condition: str, code: Code, at_break: bool) -> None:
    """Parses ``condition`` where the breakpoint ``code`` is in the program (the first of
    its locations); raises ``DebuggerError`` with gdb's message when it cannot stand
    (``at_break``: given to ``break``, which words trailing junk its own way)."""
    locations = code.get(str(target.path)) or []
    address = locations[0].address if locations else None
    try:
        parse(condition, *_scope_checks(target, address))
    except TrailingJunkError as exc:
        raise DebuggerError(f"Garbage '{exc.rest}' at end of command" if at_break
                            else "Junk at end of expression") from exc
    except EvalError as exc:
        raise DebuggerError(str(exc)) from exc


def _scope_checks(target: DebugInfo, address: int | None):
    def unreadable(address: int, _size: int) -> bytes:
        raise MemoryAccessError(f"Cannot access memory at address {address:#x}")

    if address is None:
        # A location only in a library: its names are checked when it is hit.
        return (lambda kind, name: target.named_type(kind, name)), None
    context = FrameContext(target, FrameAccess({}, None, unreadable), address, 0, [],
                           scope=target.scope_at(address))
    return context.named_type, context.knows
