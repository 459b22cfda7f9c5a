"""A program's compilation units: which one holds an address, and each one's line table
and source files, decoded the first time they are needed and kept.

The address index comes from ``.debug_aranges`` (else from every CU's top DIE: clang
writes no aranges), so that finding the CU of a pc decodes no line table and no DIE
tree; the index and every line table decoded so far go into deet's cache.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable
from dataclasses import dataclass

from elftools.dwarf.compileunit import CompileUnit
from elftools.dwarf.dwarfinfo import DWARFInfo
from elftools.elf.elffile import ELFFile

from deet.debuginfo.abbrevs import decode_abbrevs_ourselves
from deet.debuginfo.cache import DebugCache
from deet.debuginfo.dies import UnitReader
from deet.debuginfo.dwarfsections import dwarf_info
from deet.debuginfo.elfheaders import ElfHeaders
from deet.debuginfo.lines import LineTable, SourceLocation, file_table


@dataclass(frozen=True)
class _UnitRange:
    start: int
    end: int
    offset: int


class UnitIndex:
    """The compilation units of the file that holds the DWARF (``has_debug_info`` false:
    there are none)."""

    def __init__(self, elf: ELFFile, headers: ElfHeaders, has_debug_info: bool,
                 cache: DebugCache) -> None:
        self._elf = elf
        self._headers = headers
        self._has_debug_info = has_debug_info
        self._cache = cache
        self.reader: DWARFInfo | None = None
        self._ranges: list[_UnitRange] | None = None
        self._range_starts: list[int] = []
        self.tables: dict[int, LineTable] = {}
        self._files: dict[int, dict[int, str]] = {}
        self._names: dict[str, str] = {}
        self._indexed = False

    @property
    def dwarf(self) -> DWARFInfo | None:
        """pyelftools' DWARF reader, made when a CU is first needed (its sections are read
        when first used: ``dwarfsections.py``)."""
        if self.reader is None and self._has_debug_info:
            self.reader = dwarf_info(self._elf, self._headers)
            decode_abbrevs_ourselves(self.reader)
        return self.reader

    def _unit_ranges(self) -> list[_UnitRange]:
        if not self._has_debug_info:
            return []
        if self._ranges is None:
            ranges = self._cache.restore(
                "unit-ranges", lambda rows: [_UnitRange(int(a), int(b), int(c)) for a, b, c in rows]
            )
            if ranges is None:
                ranges = sorted(self._read_unit_ranges(), key=lambda r: r.start)
                self._cache.put("unit-ranges", [(r.start, r.end, r.offset) for r in ranges])
            self._ranges = ranges
            self._range_starts = [r.start for r in ranges]
        return self._ranges

    def _read_unit_ranges(self) -> list[_UnitRange]:
        aranges = self.dwarf.get_aranges()
        if aranges is not None:
            return [
                _UnitRange(e.begin_addr, e.begin_addr + e.length, e.info_offset)
                for e in aranges.entries
                if e.length
            ]
        ranges = []
        for cu in self.all_units():
            top = cu.get_top_DIE()
            for start, end in UnitReader(self.dwarf, cu).ranges(top):
                ranges.append(_UnitRange(start, end, cu.cu_offset))
        return ranges

    def offset_at(self, address: int) -> int | None:
        """The offset in .debug_info of the CU whose code holds ``address``."""
        ranges = self._unit_ranges()
        index = bisect.bisect_right(self._range_starts, address) - 1
        while index >= 0 and ranges[index].start <= address:
            if address < ranges[index].end:
                return ranges[index].offset
            index -= 1
        return None

    def unit(self, offset: int) -> CompileUnit:
        return self.dwarf.get_CU_at(offset)

    def unit_at(self, address: int) -> CompileUnit | None:
        offset = self.offset_at(address)
        return self.unit(offset) if offset is not None else None

    def all_units(self) -> list[CompileUnit]:
        return list(self.dwarf.iter_CUs()) if self.dwarf is not None else []

    def _table(self, cu: CompileUnit) -> LineTable:
        return self._table_of(cu.cu_offset, lambda: cu)

    def _table_of(self, offset: int, unit: Callable[[], CompileUnit]) -> LineTable:
        """The CU's line table: decoded already, cached by an earlier session, or decoded
        now (and cached)."""
        table = self.tables.get(offset)
        if table is None:
            part = f"lines-{offset}"
            table = self._cache.restore(part, LineTable.from_columns)
            if table is None:
                table = LineTable.from_cu(self.dwarf, unit())
                self._cache.put(part, table.columns())
            self.tables[offset] = table
        return table

    def table_at(self, address: int) -> LineTable | None:
        offset = self.offset_at(address)
        if offset is None:
            return None
        return self._table_of(offset, lambda: self.unit(offset))

    def tables_of_files(self, paths: set[str]) -> list[LineTable]:
        """The line tables of the CUs whose file tables name one of ``paths``: only
        their rows can be at those files' lines."""
        return [self._table_of(offset, lambda offset=offset: self.unit(offset))
                for offset, files in self._file_index().items()
                if not paths.isdisjoint(files.values())]

    def location_for(self, address: int) -> SourceLocation | None:
        table = self.table_at(address)
        row = table.row_for(address) if table is not None else None
        return table.location(row) if table is not None and row is not None else None

    def files(self, cu: CompileUnit) -> dict[int, str]:
        """The CU's file table: file index -> full path."""
        paths = self._files.get(cu.cu_offset)
        if paths is None:
            files = file_table(self.dwarf, cu)
            paths = self._files[cu.cu_offset] = files.paths
            for path, name in files.names.items():
                self._names.setdefault(path, name)
        return paths

    def name_of(self, path: str) -> str | None:
        """A file's name as gdb shows it, when a table that names it has been read."""
        name = self._names.get(path)
        if name is None:
            for table in self.tables.values():
                name = table.names.get(path)
                if name is not None:
                    self._names[path] = name
                    break
        return name

    def _file_index(self) -> dict[int, dict[int, str]]:
        """Every CU's file table by CU offset, from the cache when an earlier session
        built it: ``break FILE:LINE`` then reads no CU's DIEs or line program header."""
        if self._indexed:
            return self._files
        cached = self._cache.restore("unit-files", _files_from_rows)
        if cached is None:
            for cu in self.all_units():
                self.files(cu)
            self._cache.put("unit-files", [
                (offset, list(paths.items()),
                 [(path, self._names[path]) for path in paths.values() if path in self._names])
                for offset, paths in self._files.items()])
        else:
            files, names = cached
            self._files.update(files)
            for path, name in names.items():
                self._names.setdefault(path, name)
        self._indexed = True
        return self._files

    def unit_naming(self, path: str) -> CompileUnit | None:
        """The CU a source file belongs to when no address says which: the first whose
        line table names it, one whose own file it is before one that includes it."""
        index = self._file_index()
        naming = [offset for offset, paths in index.items() if path in paths.values()]
        own = [offset for offset in naming if path in (index[offset].get(0),
                                                        index[offset].get(1))]
        chosen = (own or naming or [None])[0]
        return self.unit(chosen) if chosen is not None else None

    def all_files(self) -> set[str]:
        """Every source file the line tables name."""
        return self._all_files()

    def _all_files(self) -> set[str]:
        return {path for paths in self._file_index().values() for path in paths.values()}

    def files_named(self, file: str) -> set[str]:
        """Source files a user's FILE names: a full path, or a tail of one at a '/'."""
        wanted = os.path.normpath(file)
        return {
            path
            for path in self._all_files()
            if path == wanted or path.endswith("/" + wanted.lstrip("/"))
        }


def _files_from_rows(rows: list) -> tuple[dict[int, dict[int, str]], dict[str, str]]:
    files: dict[int, dict[int, str]] = {}
    names: dict[str, str] = {}
    for offset, paths, named in rows:
        files[int(offset)] = {int(index): str(path) for index, path in paths}
        names.update((str(path), str(name)) for path, name in named)
    return files, names
