"""Auto-display: ``display[/FMT] EXPR``, shown after every stop (gdb's ``do_displays``).

A display is print-style (``1: x = 3``, ``2: /x y = 0x10``) unless its format has a unit
size or is ``i`` or ``s``: then it is ``x``-style (``3: x/i $pc`` and ``x``'s lines), as in
gdb. One whose expression uses a function's locals belongs to that function: at a stop in
any other it is skipped, silently, as gdb skips a display outside its block; one that fails
to evaluate where it belongs shows the error in its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from deet.debugger.cexpr import EvalError, decay, evaluate
from deet.debugger.core import Debugger
from deet.debugger.errors import DebuggerError
from deet.debugger.examine import Examiner
from deet.debugger.recorder import Recorder
from deet.debugger.values import to_int
from deet.engine import MemoryAccessError
from deet.results import DisplayItem, DisplayRow, Displays, DisplayTable

_FORMAT = re.compile(r"(\d*)([a-z]*)")
_SIZES = "bhwg"
_LETTERS = "xduotacsfiz"


@dataclass
class Display:
    """``format``: as gdb writes it in ``info display`` (``/x``, ``/1bi``, ``/2wx``);
    ``typed``: as the user typed it (the ``x/...`` header of an ``x``-style display);
    ``function``: the entry of the function whose locals it uses (None: anywhere)."""

    number: int
    expression: str
    format: str | None
    typed: str | None
    examine: bool
    function: int | None
    enabled: bool = True


def parse_format(fmt: str) -> tuple[str, bool]:
    """gdb's canonical form of a display format, and whether it is ``x``-style."""
    match = _FORMAT.fullmatch(fmt)
    if match is None:
        raise DebuggerError(f'Invalid number "{fmt}".')
    count, letters = match[1], match[2]
    size = letter = ""
    for character in letters:
        if character in _SIZES:
            size = character
        elif character in _LETTERS:
            letter = character
        else:
            raise DebuggerError(f'Undefined output format "{character}".')
    if letter in ("i", "s"):
        size = "b"
    if size:
        return f"{count or 1}{size}{letter or 'x'}", True
    # gdb ignores a count without a size (``display/3x table`` is ``/x``).
    return letter, False


class DisplayList:
    def __init__(self) -> None:
        self.table: dict[int, Display] = {}
        self._next = 1

    def add(self, debugger: Debugger, expression: str, fmt: str | None) -> Display:
        """A new display; its expression is checked (and its frame found) now."""
        canonical, examine = parse_format(fmt) if fmt else (None, False)
        function = None
        if debugger.alive:
            context = debugger.frame_context()
            recorder = Recorder(context)
            try:
                evaluate(expression, recorder)
            except EvalError:
                # Memory it cannot read now may be readable at the next stop (gdb only
                # parses the expression here).
                if not recorder.memory_error:
                    raise
            if recorder.local and context.scope is not None:
                function = context.scope.function.entry
        display = Display(self._next, expression, canonical, fmt, examine, function)
        self.table[display.number] = display
        self._next += 1
        return display

    def get(self, number: int) -> Display:
        display = self.table.get(number)
        if display is None:
            raise DebuggerError(f"No display number {number}.")
        return display

    def delete(self, number: int) -> None:
        self.get(number)
        del self.table[number]

    def rows(self, debugger: Debugger) -> DisplayTable:
        return DisplayTable(tuple(
            DisplayRow(d.number, d.enabled, d.format, d.expression,
                       debugger.alive and not _belongs(debugger, d))
            for d in self.table.values()))

    def shown(self, debugger: Debugger, only: list[Display] | None = None) -> Displays:
        """The enabled displays (or ``only`` these) that belong where the program stopped."""
        if not debugger.alive:
            return Displays(())
        items = []
        for display in only if only is not None else list(self.table.values()):
            if not display.enabled:
                continue
            item = _item(debugger, display)
            if item is not None:
                items.append(item)
        return Displays(tuple(items))


def _belongs(debugger: Debugger, display: Display) -> bool:
    """Whether the selected frame is in the function whose locals the display uses."""
    if display.function is None:
        return True
    try:
        scope = debugger.frame_context().scope
    except DebuggerError:
        return False
    return scope is not None and scope.function.entry == display.function


def _item(debugger: Debugger, display: Display) -> DisplayItem | None:
    if not _belongs(debugger, display):
        return None
    try:
        context = debugger.frame_context()
    except DebuggerError:
        return None
    letter = display.format if not display.examine else None
    try:
        if display.examine:
            examined = Examiner().examine(debugger, f"/{display.format} {display.expression}")
            return DisplayItem(display.number, display.expression, display.typed,
                               examine=examined)
        value = evaluate(display.expression, context)
        return DisplayItem(display.number, display.expression, letter,
                           value=context.shown(value))
    except (EvalError, DebuggerError, MemoryAccessError) as exc:
        if not display.examine:
            return DisplayItem(display.number, display.expression, letter, error=str(exc))
        return DisplayItem(display.number, display.expression, display.typed, error=str(exc),
                           examine_style=True,
                           error_address=_address(display.expression, debugger))


def _address(expression: str, debugger: Debugger) -> int | None:
    """Where an ``x`` display that failed was to start, for gdb's ``0x0:\t<error: ...>``."""
    try:
        return to_int(decay(evaluate(expression, debugger.frame_context()))) & (2**64 - 1)
    except (EvalError, DebuggerError, MemoryAccessError):
        return None


_LISTS: WeakKeyDictionary[Debugger, DisplayList] = WeakKeyDictionary()


def displays_of(debugger: Debugger) -> DisplayList:
    """The session's displays, made when first asked for."""
    return _LISTS.setdefault(debugger, DisplayList())
