"""The narrow facade over one program's ELF and DWARF (the CS110L DwarfData, grown up).

All addresses here are link-time addresses, as the file states them; the debugger layer
adds a PIE's load bias. ``DebugInfo`` opens the file (and its separate debug file), keeps
the cache for the session, and passes each question to the module whose job it is:
``image.py`` (the loaded image), ``symbols.py`` (the symbol tables), ``units.py`` (which
CU holds an address, line tables, source files), ``scopeindex.py`` (functions, blocks
and variables, with the cached function summaries in front), ``placement.py`` (where
breakpoints go), ``cfi.py`` and ``tailcalls.py`` (unwinding). Each reads what it needs
when first asked and keeps it. pyelftools is imported in this package only, and its
exceptions stop at this facade.
"""

from __future__ import annotations

import os
import re

from elftools.elf.elffile import ELFFile

from deet.debuginfo.cache import DebugCache, cache_key
from deet.debuginfo.catalog import Declared, PlainSymbol, declarations, plain_symbols, unit_covers
from deet.debuginfo.cfi import FrameTable, UnwindRow
from deet.debuginfo.elf import has_dwarf, has_symtab, open_elf
from deet.debuginfo.elfheaders import ET_DYN, SHF_EXECINSTR, ElfHeaders
from deet.debuginfo.errors import PARSE_ERRORS, DebugInfoError, guarded
from deet.debuginfo.image import Image
from deet.debuginfo.lines import LineRow, LineTable, SourceLocation
from deet.debuginfo.placement import CodeLocation, Placement
from deet.debuginfo.scopeindex import ScopeIndex
from deet.debuginfo.scopes import CallSite, Function, InlinedCall, Scope, UnitScopes, Variable
from deet.debuginfo.separate import DEBUG_ROOT, build_id, separate_debug_file
from deet.debuginfo.symbols import FileSymbols, FunctionSymbol, SymbolTable
from deet.debuginfo.tailcalls import tail_call_chain
from deet.debuginfo.types import FunctionType, Type
from deet.debuginfo.unitfacts import UnitFacts, unit_facts
from deet.debuginfo.units import UnitIndex


class DebugInfo:
    """One ELF file (the program, or a shared library) and whatever debug info it has.

    The debug info may sit in a separate file (a -dbg package's build-id file): then DWARF
    and the full symbol table come from there, and code bytes and CFI from the file itself.
    """

    def __init__(self, path: str, *, require_debug_info: bool = True,
                 debug_root: str = DEBUG_ROOT) -> None:
        self.path = path
        self._debug_root = debug_root
        self._debug_path: str | None = None
        self._elf, self._stream, self._headers = open_elf(path)
        self._debug_stream = None
        self._cache: DebugCache | None = None
        try:
            self._dwarf_elf, self._dwarf_headers = (self._separate_debug_elf()
                                                    or (self._elf, self._headers))
            self.has_debug_info = has_dwarf(self._dwarf_headers)
            if require_debug_info and not self.has_debug_info:
                what = ("no debug info" if has_symtab(self._headers)
                        else "no symbols and no debug info")
                raise DebugInfoError(f"{path}: {what} (compile it with -g)")
        except PARSE_ERRORS as exc:
            self.close()
            raise DebugInfoError(f"{path}: corrupt ELF file ({exc})") from exc
        except DebugInfoError:
            self.close()
            raise
        self.entry: int = self._headers.entry
        self.is_pie = self._headers.type == ET_DYN
        self._cache = DebugCache(self._cache_key())
        self._image = Image(self._headers)
        self._symbol_elf = self._dwarf_elf if has_symtab(self._dwarf_headers) else self._elf
        self._symbols = FileSymbols(path, self._elf, self._dwarf_elf, self._symbol_elf,
                                    self._cache)
        self._units = UnitIndex(self._dwarf_elf, self._dwarf_headers, self.has_debug_info,
                                self._cache)
        self._scope_index = ScopeIndex(self._units, self._symbols, self._cache)
        self._placement = Placement(self._symbols, self._units, self._scope_index,
                                    self._image.read_code)
        self._frame_table: FrameTable | None = None
        self._declarations: list[Declared] | None = None

    def _cache_key(self) -> str:
        try:
            identity = build_id(self._headers)
        except PARSE_ERRORS:
            identity = None
        # What is read from a separate debug file is not what the file alone gives.
        if identity is not None and self._debug_path is not None:
            identity += "+" + self._debug_path
        return cache_key(self.path, identity)

    def _separate_debug_elf(self) -> tuple[ELFFile, ElfHeaders] | None:
        if has_dwarf(self._headers):
            return None
        debug_path = separate_debug_file(self._headers, self.path, self._debug_root)
        if debug_path is None:
            return None
        try:
            elf, self._debug_stream, headers = open_elf(debug_path)
        except DebugInfoError:
            return None  # one that cannot be read is passed over, as a missing one
        self._debug_path = debug_path
        return elf, headers

    def close(self) -> None:
        """Close the files, and keep what this session decoded for the next one."""
        if self._cache is not None:
            self._cache.save()
        self._stream.close()
        if self._debug_stream is not None:
            self._debug_stream.close()

    # What has been read so far, for the tests that hold deet to reading lazily.

    @property
    def _dwarf_info(self):
        """pyelftools' DWARF reader once a CU has been read, else None: a session served
        from the cache never makes it."""
        return self._units.reader

    @property
    def _tables(self) -> dict[int, LineTable]:
        """The line tables decoded or taken from the cache so far, by CU offset."""
        return self._units.tables

    @property
    def _scopes(self) -> dict[int, UnitScopes]:
        """The CUs whose DIEs have been read, by offset."""
        return self._scope_index.scopes

    # -- symbols ---------------------------------------------------------------------------

    @property
    def symbols(self) -> SymbolTable:
        return self._symbols.functions

    @property
    def data_symbols(self) -> SymbolTable:
        return self._symbols.data

    @guarded
    def all_source_files(self) -> set[str]:
        """Every source file the program's line tables name (for Tab completion)."""
        return self._units.all_files()

    # -- address -> source -----------------------------------------------------------------

    @guarded
    def search_symbols(self, functions: bool, pattern: re.Pattern[str] | None
                       ) -> tuple[list[Declared], list[PlainSymbol]]:
        """gdb's ``info functions``/``info variables`` over this file: the functions (or
        variables) its DWARF defines whose names ``pattern`` finds (all without one), and
        its other symbols of that kind that match: gdb's non-debugging symbols are those
        no debug symbol has the name of, and, for code, that no CU holds."""
        if self._declarations is None:
            self._declarations = declarations(self._units) if self.has_debug_info else []
        described = {declared.name for declared in self._declarations}
        debug = [d for d in self._declarations
                 if d.function == functions and (pattern is None or pattern.search(d.name))]
        plain = {(s.address, s.name): s for s in plain_symbols(self._symbol_elf)
                 if s.code == functions and (pattern is None or pattern.search(s.name))
                 and s.linkage not in described
                 and not (functions and unit_covers(self._units, s.address))}
        return debug, [plain[key] for key in sorted(plain)]

    @guarded
    def location_for(self, address: int) -> SourceLocation | None:
        return self._units.location_for(address)

    @guarded
    def file_name(self, path: str) -> str | None:
        """A source file's name as gdb shows it in frame lines (``location_for`` gives it
        with each location; this is for paths that come from DIEs, as inlined calls')."""
        return self._units.name_of(path)

    @guarded
    def unit_facts(self, address: int) -> UnitFacts | None:
        """What the compile unit holding ``address`` says about itself (``info source``)."""
        cu = self._units.unit_at(address)
        return unit_facts(cu) if cu is not None else None

    @guarded
    def file_unit_facts(self, path: str) -> UnitFacts | None:
        """What the compile unit a source file belongs to says about itself (``info
        source`` after a listing of a file no frame is in)."""
        cu = self._units.unit_naming(path)
        return unit_facts(cu) if cu is not None else None

    @guarded
    def line_row(self, address: int) -> LineRow | None:
        """The line-table row holding ``address`` (its ``address`` is where the row starts)."""
        table = self._units.table_at(address)
        return table.row_for(address) if table is not None else None

    @guarded
    def line_row_end(self, address: int) -> int | None:
        """Where the row holding ``address`` ends (gdb's ``sal.end``)."""
        table = self._units.table_at(address)
        return table.next_address(address) if table is not None else None

    @guarded
    def after_prologue_of(self, entry: int) -> int:
        """Where ``step`` into the function starting at ``entry`` stops (``break FUNC``'s
        address); ``entry`` itself when no function starts there."""
        return self._placement.after_prologue_of(entry)

    def function_at(self, address: int) -> FunctionSymbol | None:
        return self.symbols.containing(address)

    @guarded
    def function_die_at(self, address: int) -> Function | None:
        """The out-of-line function whose code holds ``address``, from the DWARF."""
        return self._scope_index.function_at(address)

    @guarded
    def tail_calls(self, return_pc: int, callee_entry: int) -> list[int]:
        """Return addresses of tail calls between a call and the function it reached
        (see ``tailcalls.py``), innermost first."""
        return tail_call_chain(self, return_pc, callee_entry)

    @guarded
    def frame_function(self, address: int) -> tuple[str | None, list[InlinedCall]]:
        """The name gdb gives the function at ``address`` and the inlined calls active
        there (outermost first); the symbol table names what the DWARF does not cover."""
        return self._scope_index.frame_function(address)

    @guarded
    def unwind_row(self, address: int) -> UnwindRow | None:
        """The call-frame rule in force at ``address`` (``.eh_frame`` or ``.debug_frame``)."""
        if self._frame_table is None:
            self._frame_table = FrameTable(self._headers)
        return self._frame_table.row_for(address)

    # -- source -> addresses ---------------------------------------------------------------

    @guarded
    def function_breakpoints(
        self, name: str, *, search_every_unit: bool = True
    ) -> list[CodeLocation]:
        """Where ``break NAME`` goes: every definition, past its prologue, and every inlined
        copy (gdb's rules, and what ``search_every_unit`` spares, in ``placement.py``)."""
        return self._placement.function_breakpoints(name, search_every_unit)

    @guarded
    def line_breakpoints(self, file: str | None, line: int) -> list[CodeLocation]:
        """Where ``break FILE:LINE`` goes, once per block, by gdb's rules (``placement.py``);
        no ``file`` is the default file."""
        return self._placement.line_breakpoints(file, line)

    @guarded
    def has_source_file(self, file: str) -> bool:
        return bool(self._placement.source_files(file))

    @guarded
    def source_files(self, file: str) -> set[str]:
        """The program's source files a user's FILE names (full path or a tail of one)."""
        return self._placement.source_files(file)

    @guarded
    def default_file(self) -> str | None:
        """The file gdb lists first: the one holding ``main``."""
        return self._placement.default_file()

    # -- the file as a whole ---------------------------------------------------------------

    @property
    def has_separate_debug_file(self) -> bool:
        return self._debug_path is not None

    def section_at(self, address: int) -> tuple[str, bool] | None:
        """The section loaded at ``address`` (``.text``, ``.bss``), if any: its name, and
        whether it holds code."""
        section = self._headers.allocated_at(address)
        return (section.name, bool(section.flags & SHF_EXECINSTR)) if section else None

    @property
    def built_at(self) -> int:
        """When the file the DWARF was read from (a separate debug file, if any) was last
        written, in whole seconds: gdb warns of a source file newer than that (its
        objfile's mtime), the mark of a program not rebuilt since its source changed."""
        stream = self._debug_stream or self._stream
        return int(os.fstat(stream.fileno()).st_mtime)

    @property
    def interpreter(self) -> str | None:
        """The dynamic loader the program asks for (PT_INTERP), or None if static."""
        return self._image.interpreter

    def symbol_address(self, name: str) -> int | None:
        """Any defined symbol's link-time address (data symbols included)."""
        return self._symbols.address_of(name)

    def imports(self, name: str) -> bool:
        """Whether the program calls ``name`` from a shared library (an undefined dynamic
        symbol): such a name can be given a breakpoint before the library is loaded."""
        return self._symbols.imports(name)

    @property
    def load_span(self) -> tuple[int, int] | None:
        """The link-time address range the file's loadable segments cover."""
        return self._image.load_span

    @property
    def text_range(self) -> tuple[int, int] | None:
        return self._image.text_range

    # -- functions, blocks and variables ---------------------------------------------------

    @guarded
    def scope_at(self, address: int) -> Scope | None:
        """The innermost frame's function and nested blocks holding ``address``, with its
        CU's globals."""
        return self._scope_index.scope_at(address)

    @guarded
    def call_site(self, return_pc: int) -> tuple[CallSite, Function] | None:
        """The described call that returns to ``return_pc`` and the function making it:
        what the caller passed (for DW_OP_entry_value)."""
        return self._scope_index.call_site(return_pc)

    @guarded
    def scopes_at(self, address: int) -> list[Scope]:
        """One scope per frame at ``address`` (inlined calls innermost first, then the
        function), as a backtrace counts frames."""
        return self._scope_index.scopes_at(address)

    @guarded
    def global_variable(self, name: str, near: int | None = None) -> Variable | None:
        """A global or file-static variable, the one of the CU holding ``near`` first (C's
        scoping)."""
        return self._scope_index.global_variable(name, near)

    @guarded
    def function_type(self, name: str) -> FunctionType | None:
        """The C type of the function ``name`` (for ``print FUNC``)."""
        return self._scope_index.function_type(name)

    @guarded
    def named_type(self, kind: str, name: str, near: int | None = None) -> Type | None:
        """The program's ``struct``/``union``/``enum``/``typedef`` named ``name``."""
        return self._scope_index.named_type(kind, name, near)

    @guarded
    def enumerator(self, name: str, near: int | None = None) -> tuple[Type, int] | None:
        """An enum constant by name: its enum type and value."""
        return self._scope_index.enumerator(name, near)

    @guarded
    def function_scope(self, name: str) -> Scope | None:
        """The function ``name``'s own scope (gdb's ``FUNC::var``)."""
        return self._scope_index.function_scope(name)

    @guarded
    def file_global(self, file: str, name: str) -> Variable | None:
        """The global ``name`` of source file ``file`` (gdb's ``'file.c'::var``)."""
        return self._scope_index.file_global(file, name)

    # -- raw bytes -------------------------------------------------------------------------

    @guarded
    def read_image(self, address: int, size: int) -> bytes:
        """Bytes of the loaded image before it runs: file contents, then zeros up to each
        segment's memory size (``.bss``); as many as are mapped from ``address`` on."""
        return self._image.read_image(address, size)

    @guarded
    def read_code(self, address: int, size: int) -> bytes:
        """Bytes of the file's loaded image at a link-time address (b'' where none)."""
        return self._image.read_code(address, size)
