"""The functions, blocks and variables of every compilation unit, read one CU at a time.

A CU's DIEs are read (``scopes.py``) the first time a pc, a function or a global in it
is asked about, and kept; its function summary is written to the cache then. Until they
are read in this session, a summary an earlier session cached answers what it can:
which function holds a pc, whether ``break FUNC`` goes on the first instruction, which
names the CU inlined.
"""

from __future__ import annotations

from elftools.dwarf.compileunit import CompileUnit

from deet.debuginfo.cache import DebugCache
from deet.debuginfo.errors import PARSE_ERRORS, DebugInfoError
from deet.debuginfo.scopes import (
    CallSite,
    Function,
    InlinedCall,
    Scope,
    UnitScopes,
    Variable,
)
from deet.debuginfo.summary import FunctionSummary
from deet.debuginfo.symbols import FileSymbols, print_name
from deet.debuginfo.types import FunctionType, Type
from deet.debuginfo.units import UnitIndex


class ScopeIndex:
    """Each CU's ``UnitScopes`` by CU offset, with the cached summaries in front."""

    def __init__(self, units: UnitIndex, symbols: FileSymbols, cache: DebugCache) -> None:
        self._units = units
        self._symbols = symbols
        self._cache = cache
        self.scopes: dict[int, UnitScopes] = {}
        self._summaries: dict[int, FunctionSummary] = {}

    def _unit_scopes(self, cu: CompileUnit) -> UnitScopes:
        scopes = self.scopes.get(cu.cu_offset)
        if scopes is None:
            summary = self._summary(cu.cu_offset)
            scopes = UnitScopes(self._units.dwarf, cu, self._units.files(cu))
            self.scopes[cu.cu_offset] = scopes
            if summary is None:
                self._cache.put(f"functions-{cu.cu_offset}", FunctionSummary.of(scopes).parts())
            elif len(summary.has_inlined) == len(scopes.functions):
                # An earlier session scanned the CU: no need to scan it again.
                scopes.facts = summary.facts
        return scopes

    def _summary_at(self, address: int) -> FunctionSummary | None:
        """The cached summary of the CU holding ``address``, when its DIEs have not been
        read this session (once they have, they answer everything)."""
        offset = self._units.offset_at(address)
        return self._summary(offset) if offset is not None else None

    def _summary(self, offset: int) -> FunctionSummary | None:
        if offset in self.scopes:
            return None
        summary = self._summaries.get(offset)
        if summary is None:
            summary = self._cache.restore(f"functions-{offset}", FunctionSummary.from_parts)
            if summary is not None:
                self._summaries[offset] = summary
        return summary

    def locations_valid(self, address: int) -> bool:
        """gdb's "locations valid" for the CU holding ``address``: whether its variables
        can be read from a function's first instruction on."""
        summary = self._summary_at(address)
        if summary is not None:
            return summary.locations_valid
        cu = self._units.unit_at(address)
        return cu is not None and self._unit_scopes(cu).locations_valid

    def inlined_calls(self, offset: int, name: str) -> list[InlinedCall]:
        """The places the CU at ``offset`` inlined ``name``; its summary rules out,
        without its DIEs, a CU that inlined no function of that name."""
        summary = self._summary(offset)
        if summary is not None and name not in summary.inlined:
            return []
        return self._unit_scopes(self._units.unit(offset)).inlined_named(name)

    def function_at(self, address: int) -> Function | None:
        """The out-of-line function whose code holds ``address``, from the DWARF."""
        cu = self._units.unit_at(address)
        return self._unit_scopes(cu).function_at(address) if cu is not None else None

    def call_site(self, return_pc: int) -> tuple[CallSite, Function] | None:
        """The call that returns to ``return_pc``, as the compiler described it, and the
        function it is in."""
        function = self.function_at(return_pc - 1)
        if function is None:
            return None
        for site in function.call_sites:
            if site.return_pc == return_pc:
                return site, function
        return None

    def frame_function(self, address: int) -> tuple[str | None, list[InlinedCall]]:
        """The name gdb gives the function at ``address`` and the inlined calls active
        there (outermost first); the symbol table names what the DWARF does not cover."""
        summary = self._summary_at(address)
        answered, name = summary.lookup(address) if summary is not None else (False, None)
        if name is not None:
            return name, []
        function = None
        if not answered:
            try:
                function = self.function_at(address)
            except (DebugInfoError, *PARSE_ERRORS):
                function = None  # damaged DIEs: the symbol table still names the frame
        if function is not None:
            return function.frame_name, function.inline_chain(address)
        symbol = self._symbols.functions.containing(address)
        return (print_name(symbol.name) if symbol else None), []

    def scope_at(self, address: int) -> Scope | None:
        """The innermost frame's function and nested blocks holding ``address``, with
        its CU's globals."""
        cu = self._units.unit_at(address)
        return self._unit_scopes(cu).scope_at(address) if cu is not None else None

    def scopes_at(self, address: int) -> list[Scope]:
        """One scope per frame at ``address``: each inlined call, innermost first, then
        the out-of-line function."""
        cu = self._units.unit_at(address)
        return self._unit_scopes(cu).scopes_at(address) if cu is not None else []

    def global_variable(self, name: str, near: int | None = None) -> Variable | None:
        """A global or file-static variable: the one of the CU holding ``near`` first (C's
        scoping), else the definition in whichever CU defines it, found by way of the
        symbol table so that only a CU that may hold it is read."""
        home = self._units.unit_at(near) if near is not None else None
        if home is not None:
            found = self._unit_scopes(home).globals.get(name)
            if found is not None:
                return found
        for symbol in self._symbols.data.named(name):
            cu = self._unit_defining(symbol.address)
            if cu is not None:
                found = self._unit_scopes(cu).globals.get(name)
                if found is not None:
                    return found
        return None

    def _unit_defining(self, data_address: int) -> CompileUnit | None:
        for cu in self._units.all_units():
            scopes = self._unit_scopes(cu)
            for variable in scopes.globals.values():
                if variable.location == (("DW_OP_addr", (data_address,)),):
                    return cu
        return None

    def function_type(self, name: str) -> FunctionType | None:
        """The C type of the function ``name`` (for ``print FUNC``)."""
        for symbol in self._symbols.functions.named(name):
            cu = self._units.unit_at(symbol.address)
            if cu is None:
                continue
            function = self._unit_scopes(cu).function_at(symbol.address)
            if function is not None and function.type is not None:
                return function.type
        return None

    def named_type(self, kind: str, name: str, near: int | None = None) -> Type | None:
        """A file-scope type by name: with a pc (``near``), the one its CU declares, as C
        sees types (a search of every CU, for each name an expression uses, reads all of
        libc's thousands); without one, the first CU that declares it."""
        home = self._units.unit_at(near) if near is not None else None
        units = [home] if home is not None else self._units.all_units()
        for cu in units:
            found = self._unit_scopes(cu).named_type(kind, name)
            if found is not None:
                return found
        return None

    def enumerator(self, name: str, near: int | None = None) -> tuple[Type, int] | None:
        """An enumerator by name, looked for as ``named_type`` looks for types."""
        home = self._units.unit_at(near) if near is not None else None
        units = [home] if home is not None else self._units.all_units()
        for cu in units:
            found = self._unit_scopes(cu).enumerator(name)
            if found is not None:
                return found
        return None

    def function_scope(self, name: str) -> Scope | None:
        """The outermost scope of the function ``name`` (for ``FUNC::var``)."""
        for symbol in self._symbols.functions.named(name):
            cu = self._units.unit_at(symbol.address)
            if cu is None:
                continue
            function = self._unit_scopes(cu).function_at(symbol.address)
            if function is not None:
                return Scope(function, function, (function,), self._unit_scopes(cu))
        return None

    def file_global(self, file: str, name: str) -> Variable | None:
        """The global or file-static ``name`` of the CU whose source is ``file``."""
        for cu in self._units.all_units():
            source = cu.get_top_DIE().get_full_path()
            if source == file or source.endswith("/" + file):
                found = self._unit_scopes(cu).globals.get(name)
                if found is not None:
                    return found
        return None
