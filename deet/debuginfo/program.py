"""The narrow facade over one program's ELF and DWARF (the CS110L DwarfData, grown up).

All addresses here are link-time addresses, as the file states them; the debugger layer
adds a PIE's load bias. Start-up reads the ELF header and the symbol table only; a
compilation unit's line table is decoded the first time something needs it and kept.
pyelftools is imported in this package only, and its exceptions stop at this facade.
"""

from __future__ import annotations

import bisect
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from elftools.common.exceptions import DWARFError, ELFError
from elftools.construct.core import ConstructError
from elftools.dwarf.compileunit import CompileUnit

from deet.debuginfo.elf import open_elf
from deet.debuginfo.errors import DebugInfoError
from deet.debuginfo.lines import LineRow, LineTable, SourceLocation, file_paths
from deet.debuginfo.prologue import after_prologue
from deet.debuginfo.scopes import Scope, UnitScopes, Variable
from deet.debuginfo.symbols import FunctionSymbol, SymbolTable
from deet.debuginfo.types import FunctionType

P = ParamSpec("P")
R = TypeVar("R")

_PARSE_ERRORS = (
    ELFError, DWARFError, ConstructError, KeyError, IndexError, ValueError, TypeError,
    AttributeError, AssertionError, EOFError, UnicodeDecodeError,
)


def _guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Turn whatever pyelftools raises on a damaged file into one DebugInfoError line."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except DebugInfoError:
            raise
        except _PARSE_ERRORS as exc:
            self = args[0]
            raise DebugInfoError(f"{self.path}: corrupt debug info ({exc})") from exc

    return wrapper


@dataclass(frozen=True)
class CodeLocation:
    """A place a breakpoint can go: a link-time address and what is there."""

    address: int
    function: str | None
    location: SourceLocation | None


@dataclass(frozen=True)
class _UnitRange:
    start: int
    end: int
    offset: int


class DebugInfo:
    def __init__(self, path: str) -> None:
        self.path = path
        self._elf, self._stream = open_elf(path)
        try:
            self._check_debug_sections()
            self._dwarf = self._elf.get_dwarf_info(relocate_dwarf_sections=False)
            self.symbols = SymbolTable.from_elf(self._elf)
            self.data_symbols = SymbolTable.from_elf(self._elf, "STT_OBJECT")
        except _PARSE_ERRORS as exc:
            self._stream.close()
            raise DebugInfoError(f"{path}: corrupt ELF file ({exc})") from exc
        except DebugInfoError:
            self._stream.close()
            raise
        self.entry: int = self._elf.header["e_entry"]
        self.is_pie = self._elf.header["e_type"] == "ET_DYN"
        self._ranges: list[_UnitRange] | None = None
        self._tables: dict[int, LineTable] = {}
        self._files: dict[int, dict[int, str]] = {}
        self._scopes: dict[int, UnitScopes] = {}

    def _check_debug_sections(self) -> None:
        names = {section.name for section in self._elf.iter_sections()}
        if ".debug_info" not in names or ".debug_line" not in names:
            what = "no symbols and no debug info" if ".symtab" not in names else "no debug info"
            raise DebugInfoError(f"{self.path}: {what} (compile it with -g)")

    def close(self) -> None:
        self._stream.close()

    # -- compilation units -----------------------------------------------------------------

    def _unit_ranges(self) -> list[_UnitRange]:
        if self._ranges is None:
            self._ranges = sorted(self._read_unit_ranges(), key=lambda r: r.start)
        return self._ranges

    def _read_unit_ranges(self) -> list[_UnitRange]:
        aranges = self._dwarf.get_aranges()
        if aranges is not None:
            return [
                _UnitRange(e.begin_addr, e.begin_addr + e.length, e.info_offset)
                for e in aranges.entries
                if e.length
            ]
        ranges = []
        for cu in self._dwarf.iter_CUs():
            top = cu.get_top_DIE()
            low = top.attributes.get("DW_AT_low_pc")
            high = top.attributes.get("DW_AT_high_pc")
            if low is None or high is None:
                continue
            end = high.value if high.form == "DW_FORM_addr" else low.value + high.value
            ranges.append(_UnitRange(low.value, end, cu.cu_offset))
        return ranges

    def _unit_at(self, address: int) -> CompileUnit | None:
        ranges = self._unit_ranges()
        index = bisect.bisect_right([r.start for r in ranges], address) - 1
        while index >= 0 and ranges[index].start <= address:
            if address < ranges[index].end:
                return self._dwarf.get_CU_at(ranges[index].offset)
            index -= 1
        return None

    def _line_table(self, cu: CompileUnit) -> LineTable:
        table = self._tables.get(cu.cu_offset)
        if table is None:
            table = LineTable.from_cu(self._dwarf, cu)
            self._tables[cu.cu_offset] = table
        return table

    def _table_at(self, address: int) -> LineTable | None:
        cu = self._unit_at(address)
        return self._line_table(cu) if cu is not None else None

    # -- address -> source -----------------------------------------------------------------

    @_guarded
    def location_for(self, address: int) -> SourceLocation | None:
        table = self._table_at(address)
        row = table.row_for(address) if table is not None else None
        return SourceLocation(row.file, row.line) if row is not None else None

    @_guarded
    def line_row(self, address: int) -> LineRow | None:
        """The line-table row holding ``address`` (its ``address`` is where the row starts)."""
        table = self._table_at(address)
        return table.row_for(address) if table is not None else None

    @_guarded
    def line_row_end(self, address: int) -> int | None:
        """Where the row holding ``address`` ends (gdb's ``sal.end``)."""
        table = self._table_at(address)
        return table.next_address(address) if table is not None else None

    @_guarded
    def after_prologue_of(self, entry: int) -> int:
        """Where ``step`` into the function starting at ``entry`` stops (``break FUNC``'s
        address); ``entry`` itself when no function starts there."""
        function = self.function_at(entry)
        if function is None or function.address != entry:
            return entry
        return self._after_prologue(function).address

    def function_at(self, address: int) -> FunctionSymbol | None:
        return self.symbols.containing(address)

    # -- source -> addresses ---------------------------------------------------------------

    @_guarded
    def function_breakpoints(self, name: str) -> list[CodeLocation]:
        """Every definition of ``name`` (two files may each have a static one), each at
        the address gdb would break at."""
        return [self._after_prologue(function) for function in self.symbols.named(name)]

    def _after_prologue(self, function: FunctionSymbol) -> CodeLocation:
        """gdb trusts the variable locations of optimised gcc code (a CU with location
        lists) from the first instruction on, and so breaks there; otherwise it skips the
        prologue."""
        table = self._table_at(function.address)
        address = function.address
        if table is not None and not self._locations_valid(function.address):
            address = after_prologue(function.address, function.end, table, self.read_code)
        return CodeLocation(address, function.name, self.location_for(address))

    def _locations_valid(self, address: int) -> bool:
        cu = self._unit_at(address)
        return cu is not None and self._unit_scopes(cu).locations_valid

    @_guarded
    def line_breakpoints(self, file: str | None, line: int) -> list[CodeLocation]:
        """Addresses for ``file:line`` by gdb's rules: the exact line if it has code, else
        the next line that does; one address per function (the lowest); a line that is a
        function's first instruction moves past the prologue."""
        files = self._matching_files(file)
        rows = [
            row
            for table in self._all_tables()
            for row in table.statement_rows()
            if row.file in files and row.line >= line
        ]
        if not rows:
            return []
        best = min(row.line for row in rows)
        chosen: dict[int | None, int] = {}
        for row in rows:
            if row.line != best:
                continue
            function = self.function_at(row.address)
            key = function.address if function is not None else None
            if key not in chosen or row.address < chosen[key]:
                chosen[key] = row.address
        return [self._breakpoint_at_line_address(address) for address in sorted(chosen.values())]

    def _breakpoint_at_line_address(self, address: int) -> CodeLocation:
        function = self.function_at(address)
        if function is not None and function.address == address:
            return self._after_prologue(function)
        name = function.name if function else None
        return CodeLocation(address, name, self.location_for(address))

    def _all_tables(self) -> list[LineTable]:
        return [self._line_table(cu) for cu in self._dwarf.iter_CUs()]

    def _all_files(self) -> set[str]:
        files: set[str] = set()
        for cu in self._dwarf.iter_CUs():
            paths = self._files.get(cu.cu_offset)
            if paths is None:
                paths, _ = file_paths(self._dwarf, cu)
                self._files[cu.cu_offset] = paths
            files.update(paths.values())
        return files

    def _matching_files(self, file: str | None) -> set[str]:
        """Source files a user's FILE names: a full path, or a tail of one at a '/'."""
        if file is None:
            default = self.default_file()
            return {default} if default else set()
        wanted = os.path.normpath(file)
        return {
            path
            for path in self._all_files()
            if path == wanted or path.endswith("/" + wanted.lstrip("/"))
        }

    @_guarded
    def has_source_file(self, file: str) -> bool:
        return bool(self._matching_files(file))

    @_guarded
    def source_files(self, file: str) -> set[str]:
        """The program's source files a user's FILE names (full path or a tail of one)."""
        return self._matching_files(file)

    @_guarded
    def default_file(self) -> str | None:
        """The file gdb lists first: the one holding ``main``."""
        for function in self.symbols.named("main"):
            location = self.location_for(function.address)
            if location is not None:
                return location.file
        return None

    # -- functions, blocks and variables ---------------------------------------------------

    def _unit_scopes(self, cu: CompileUnit) -> UnitScopes:
        scopes = self._scopes.get(cu.cu_offset)
        if scopes is None:
            scopes = UnitScopes(self._dwarf, cu)
            self._scopes[cu.cu_offset] = scopes
        return scopes

    @_guarded
    def scope_at(self, address: int) -> Scope | None:
        """The function and nested blocks holding ``address``, with its CU's globals."""
        cu = self._unit_at(address)
        return self._unit_scopes(cu).scope_at(address) if cu is not None else None

    @_guarded
    def global_variable(self, name: str, near: int | None = None) -> Variable | None:
        """A global or file-static variable: the one of the CU holding ``near`` first (C's
        scoping), else the definition in whichever CU defines it, found by way of the
        symbol table so that only a CU that may hold it is read."""
        home = self._unit_at(near) if near is not None else None
        if home is not None:
            found = self._unit_scopes(home).globals.get(name)
            if found is not None:
                return found
        for symbol in self.data_symbols.named(name):
            cu = self._unit_defining(symbol.address)
            if cu is not None:
                found = self._unit_scopes(cu).globals.get(name)
                if found is not None:
                    return found
        return None

    def _unit_defining(self, data_address: int) -> CompileUnit | None:
        for cu in self._dwarf.iter_CUs():
            scopes = self._unit_scopes(cu)
            for variable in scopes.globals.values():
                if variable.location == (("DW_OP_addr", (data_address,)),):
                    return cu
        return None

    @_guarded
    def function_type(self, name: str) -> FunctionType | None:
        """The C type of the function ``name`` (for ``print FUNC``)."""
        for symbol in self.symbols.named(name):
            cu = self._unit_at(symbol.address)
            if cu is None:
                continue
            function = self._unit_scopes(cu).function_at(symbol.address)
            if function is not None and function.type is not None:
                return function.type
        return None

    # -- raw bytes -------------------------------------------------------------------------

    def read_image(self, address: int, size: int) -> bytes:
        """Bytes of the loaded image before it runs: file contents, then zeros up to each
        segment's memory size (``.bss``); as many as are mapped from ``address`` on."""
        data = b""
        for segment in self._elf.iter_segments():
            if segment["p_type"] != "PT_LOAD":
                continue
            start, file_size = segment["p_vaddr"], segment["p_filesz"]
            if start <= address < start + segment["p_memsz"]:
                end = min(address + size, start + segment["p_memsz"])
                if address < start + file_size:
                    self._stream.seek(segment["p_offset"] + address - start)
                    data = self._stream.read(min(end, start + file_size) - address)
                return data.ljust(end - address, b"\0")
        return data

    def read_code(self, address: int, size: int) -> bytes:
        """Bytes of the file's loaded image at a link-time address (b'' where none)."""
        for segment in self._elf.iter_segments():
            if segment["p_type"] != "PT_LOAD":
                continue
            start = segment["p_vaddr"]
            if start <= address < start + segment["p_filesz"]:
                offset = segment["p_offset"] + address - start
                length = min(size, start + segment["p_filesz"] - address)
                self._stream.seek(offset)
                return self._stream.read(length)
        return b""
