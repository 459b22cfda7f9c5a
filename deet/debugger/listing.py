"""``list``: ten source lines around a place, and the ten after them on the next ``list``.

gdb's rules: a place (the stop, a function, FILE:LINE) centres the listing (lines
CENTRE-5 to CENTRE+4, moved to start at 1 if that is before the file); ``list`` with no
argument goes on where the last listing ended, until the selected frame moves; ``list -``
shows the ten lines before the last listing; ``list A,B`` lines A to B (``A,``: ten from
A; ``,B``: ten ending at B), A and B any LINE, FILE:LINE or FUNC.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from deet.debugger.core import Debugger
from deet.debugger.errors import DebuggerError
from deet.debugger.linespec import FunctionSpec, LineSpec, parse_location
from deet.debuginfo import SourceLocation
from deet.results import Listing, SourceLine

LINES = 10


@dataclass
class _Position:
    file: str
    first_line: int
    next_line: int
    anchor: tuple[int, int] | None


class Lister:
    def __init__(self) -> None:
        self._position: _Position | None = None

    def list(self, debugger: Debugger, args: str) -> Listing:
        text = args.strip()
        anchor = self._anchor(debugger)
        if text == "-":
            return self._before(debugger, anchor)
        if "," in text:
            return self._range(debugger, text, anchor)
        if text:
            file, centre = self._place(debugger, text)
            return self._show(debugger, file, max(1, centre - 5), anchor)
        position = self._position
        if position is not None and position.anchor == anchor:
            return self._show(debugger, position.file, position.next_line, anchor)
        location = self._stop_location(debugger)
        return self._show(debugger, location.file, max(1, location.line - 5), anchor)

    def _before(self, debugger: Debugger, anchor: tuple[int, int] | None) -> Listing:
        position = self._position
        if position is None or position.anchor != anchor:
            # The first listing since the program stopped is around the stop, as ``list``.
            location = self._stop_location(debugger)
            return self._show(debugger, location.file, max(1, location.line - 5), anchor)
        if position.first_line <= 1:
            name = debugger.target.file_name(position.file) or position.file
            raise DebuggerError(f"Already at the start of {name}.")
        first = max(1, position.first_line - LINES)
        return self._show(debugger, position.file, first, anchor, position.first_line - 1)

    def _range(self, debugger: Debugger, text: str, anchor: tuple[int, int] | None) -> Listing:
        start, _, end = (part.strip() for part in text.partition(","))
        if start:
            file, first = self._place(debugger, start)
            if not end:
                return self._show(debugger, file, first, anchor)
            last = self._place(debugger, end if ":" in end else f"{file}:{end}"
                               if end.isdigit() else end)[1]
            return self._show(debugger, file, first, anchor, last)
        if not end:
            raise DebuggerError("Junk at end of line specification.")
        file, last = self._place(debugger, end)
        return self._show(debugger, file, max(1, last - LINES + 1), anchor, last)

    def _show(self, debugger: Debugger, file: str, first: int,
              anchor: tuple[int, int] | None, last: int | None = None) -> Listing:
        debugger.sources.visit(file)
        lines = debugger.sources.lines(file)
        name = debugger.target.file_name(file) or file
        if lines is None:
            raise DebuggerError(f"{name}: No such file or directory.")
        if first > len(lines):
            raise DebuggerError(f"Line number {first} out of range; {name} has {len(lines)} lines.")
        # Only a listing shown counts as gdb's reading of the file, so that its warning
        # of a stale file is not lost with an error.
        _, stale = debugger.sources.shown(file)
        last = min(len(lines), first + LINES - 1 if last is None else last)
        self._position = _Position(file, first, last + 1, anchor)
        return Listing(tuple(SourceLine(n, lines[n - 1]) for n in range(first, last + 1)),
                       stale)

    def _anchor(self, debugger: Debugger) -> tuple[int, int] | None:
        process = debugger.current
        if process is None:
            return None
        return process.inferior.pc, process.stack.selected

    def _stop_location(self, debugger: Debugger) -> SourceLocation:
        if debugger.alive:
            location = debugger.target.location_for(debugger.stack.program_pc())
            if location is not None:
                return location
        for code in debugger.target.function_breakpoints("main"):
            if code.location is not None:
                # gdb's default line without a program: nine lines above main's body, so
                # that the first listing ends near main (select_source_symtab).
                return replace(code.location, line=max(code.location.line - (LINES - 1), 1))
        raise DebuggerError("No symbol table is loaded.  Use the \"file\" command.")

    def _place(self, debugger: Debugger, text: str) -> tuple[str, int]:
        spec = parse_location(text)
        if isinstance(spec, FunctionSpec):
            symbols = debugger.target.symbols.named(spec.name)
            location = debugger.target.location_for(symbols[0].address) if symbols else None
            if location is None:
                raise DebuggerError(f'Function "{spec.name}" not defined.')
            return location.file, location.line
        if isinstance(spec, LineSpec):
            file = self._file(debugger, spec.file)
            return file, spec.line
        raise DebuggerError("list *ADDR is not supported; use list FUNC or list FILE:LINE.")

    def _file(self, debugger: Debugger, name: str | None) -> str:
        if name is None:
            if self._position is not None:
                return self._position.file
            return self._stop_location(debugger).file
        matches = debugger.target.source_files(name)
        if not matches:
            raise DebuggerError(f"No source file named {name}.")
        return sorted(matches)[0]
