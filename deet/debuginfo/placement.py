"""Where breakpoints go, by gdb's rules: on a function (past its prologue, or on its
first instruction where gdb trusts the variable locations there, and at each inlined
copy) and on a source line (the first line at or after it that has code, once per block).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from deet.debuginfo.lines import LineRow, SourceLocation
from deet.debuginfo.prologue import after_prologue
from deet.debuginfo.scopeindex import ScopeIndex
from deet.debuginfo.symbols import FileSymbols, FunctionSymbol
from deet.debuginfo.units import UnitIndex


@dataclass(frozen=True)
class CodeLocation:
    """A place a breakpoint can go: a link-time address and what is there."""

    address: int
    function: str | None
    location: SourceLocation | None


class Placement:
    """Breakpoint addresses from the symbols, the line tables and the scopes of one file;
    ``read_code`` gives the bytes of a function's prologue."""

    def __init__(self, symbols: FileSymbols, units: UnitIndex, scopes: ScopeIndex,
                 read_code: Callable[[int, int], bytes]) -> None:
        self._symbols = symbols
        self._units = units
        self._scopes = scopes
        self._read_code = read_code

    def function_breakpoints(self, name: str, search_every_unit: bool) -> list[CodeLocation]:
        """Every definition of ``name`` (two files may each have a static one), each at the
        address gdb would break at, and every place it was inlined, at the inlined body's
        entry. Inlined copies are looked for in the units that define ``name`` out of line,
        or, for a function that only exists inlined, in every unit (unless
        ``search_every_unit`` is false: a library's thousands of units are not scanned for
        a name it does not define)."""
        symbols = self._symbols.functions.named(name)
        found = {location.address: location for location in map(self._after_prologue, symbols)}
        offsets = [self._units.offset_at(symbol.address) for symbol in symbols]
        if not offsets and search_every_unit:
            offsets = [cu.cu_offset for cu in self._units.all_units()]
        seen: set[int] = set()
        for offset in offsets:
            if offset is None or offset in seen:
                continue
            seen.add(offset)
            for call in self._scopes.inlined_calls(offset, name):
                found.setdefault(
                    call.entry, CodeLocation(call.entry, name, self._units.location_for(call.entry))
                )
        return [found[address] for address in sorted(found)]

    def after_prologue_of(self, entry: int) -> int:
        """Where ``step`` into the function starting at ``entry`` stops (``break FUNC``'s
        address); ``entry`` itself when no function starts there."""
        function = self._symbols.functions.containing(entry)
        if function is None or function.address != entry:
            return entry
        return self._after_prologue(function).address

    def _after_prologue(self, function: FunctionSymbol) -> CodeLocation:
        """gdb trusts the variable locations of optimised gcc code (a CU with location
        lists) from the first instruction on, and so breaks there; otherwise it skips the
        prologue."""
        table = self._units.table_at(function.address)
        address = function.address
        if table is not None and not self._scopes.locations_valid(function.address):
            address = after_prologue(function.address, function.end, table, self._read_code)
        return CodeLocation(address, function.name, self._units.location_for(address))

    def line_breakpoints(self, file: str | None, line: int) -> list[CodeLocation]:
        """Addresses for ``file:line`` by gdb's rules: the exact line if it has code, else
        the next line that does; one address per block (the lowest: a function, a lexical
        block, each inlined copy of a function); a line that is a function's first
        instruction moves past the prologue."""
        files = self.source_files(file)
        rows = [
            row
            for table in self._units.tables_of_files(files)
            for row in table.statement_rows()
            if row.file in files and row.line >= line
        ]
        if not rows:
            return []
        best = min(row.line for row in rows)
        chosen: dict[tuple, LineRow] = {}
        for row in rows:
            if row.line != best:
                continue
            key = self._block_key(row.address)
            if key not in chosen or row.address < chosen[key].address:
                chosen[key] = row
        return [self._breakpoint_at_line(row)
                for row in sorted(chosen.values(), key=lambda r: r.address)]

    def _block_key(self, address: int) -> tuple:
        """What gdb's innermost block at ``address`` is, as far as deet tracks blocks: the
        function, the innermost inlined copy and the innermost lexical block."""
        scope = self._scopes.scope_at(address)
        if scope is None:
            symbol = self._symbols.functions.containing(address)
            return (symbol.address if symbol else None,)
        inline = scope.function.inline_chain(address)
        innermost = (inline[-1].entry, inline[-1].call_line) if inline else None
        return (scope.function.entry, innermost, id(scope.blocks[0]))

    def _breakpoint_at_line(self, row: LineRow) -> CodeLocation:
        """A line's breakpoint, named as gdb names it: the line asked for (not whatever
        row an address lookup would find there) in the innermost function, inlined or not."""
        name, inline = self._scopes.frame_function(row.address)
        if inline:
            name = inline[-1].name
        location = SourceLocation(row.file, row.line, self._units.name_of(row.file))
        function = self._symbols.functions.containing(row.address)
        if function is not None and function.address == row.address:
            # The line where a function begins: past its prologue, as ``break FUNC``,
            # but named, as gdb names it, by the innermost function at the line.
            moved = self._after_prologue(function)
            if moved.address != row.address:
                return CodeLocation(moved.address, name, moved.location)
        return CodeLocation(row.address, name, location)

    def source_files(self, file: str | None) -> set[str]:
        """Source files a user's FILE names: a full path, or a tail of one at a '/'; no
        FILE names the default file."""
        if file is None:
            default = self.default_file()
            return {default} if default else set()
        return self._units.files_named(file)

    def default_file(self) -> str | None:
        """The file gdb lists first: the one holding ``main``."""
        for function in self._symbols.functions.named("main"):
            location = self._units.location_for(function.address)
            if location is not None:
                return location.file
        return None
