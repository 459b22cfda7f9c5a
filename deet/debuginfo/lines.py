"""One compilation unit's line table, decoded once and kept in arrays for bisecting.

DWARF 5 numbers files from 0 (entry 0 is the primary file) and directories from 0 (the
compile dir); DWARF 4 numbers files from 1 and uses directory 0 for the compile dir.
"""

from __future__ import annotations

import bisect
import os
from dataclasses import dataclass, field

from elftools.dwarf.compileunit import CompileUnit
from elftools.dwarf.die import DIE
from elftools.dwarf.dwarfinfo import DWARFInfo

from deet.debuginfo.linefiles import FileEntry, LineFiles, LineFilesError, read_line_files
from deet.debuginfo.lineprogram import run_line_program


@dataclass(frozen=True)
class LineRow:
    address: int
    file: str
    line: int
    is_stmt: bool
    end_sequence: bool


@dataclass(frozen=True)
class SourceLocation:
    """``file`` is the absolute path where the compile dir is absolute (what DEET prints,
    and where the source is read from); ``name`` the file as gdb names it in frame lines,
    the name it was compiled under (``sub/m.c``, ``../inc/h.h``); None: same as ``file``."""

    file: str
    line: int
    name: str | None = field(default=None, repr=False)

    @property
    def shown(self) -> str:
        return self.name or self.file


def _decode(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value


@dataclass(frozen=True)
class FileTable:
    """A CU's line-program files: index -> path, and each path's name as gdb shows it."""

    paths: dict[int, str]
    names: dict[str, str]


def file_table(dwarf: DWARFInfo, cu: CompileUnit) -> FileTable:
    """Every file index of the CU's line program: its path (absolute when the compile dir
    is), and its name as gdb shows it (see ``_gdb_name``)."""
    top = cu.get_top_DIE()
    comp_dir_attr = top.attributes.get("DW_AT_comp_dir")
    comp_dir = _decode(comp_dir_attr.value) if comp_dir_attr else ""
    primary_attr = top.attributes.get("DW_AT_name")
    primary = _decode(primary_attr.value) if primary_attr else ""
    listed = _line_files(dwarf, cu, top)
    if listed is None:
        return FileTable({}, {})
    version = listed.version
    tables = [_decode(d) for d in listed.directories]
    directories = tables if version >= 5 else [comp_dir, *tables]
    paths: dict[int, str] = {}
    names: dict[str, str] = {}
    first = 0 if version >= 5 else 1
    for index, entry in enumerate(listed.files, start=first):
        directory = directories[entry.dir_index] if entry.dir_index < len(directories) else ""
        name = _decode(entry.name)
        path = _file_path(comp_dir, directory, name)
        paths[index] = path
        # DWARF 4's directory 0 is "the compile dir", which gdb does not spell out.
        listed = tables[entry.dir_index - 1] if version < 5 and 0 < entry.dir_index <= len(
            tables) else (directory if version >= 5 else None)
        names.setdefault(path, _gdb_name(name, listed, primary, comp_dir))
    return FileTable(paths, names)


def _line_files(dwarf: DWARFInfo, cu: CompileUnit, top: DIE) -> LineFiles | None:
    """The CU's line-program directories and files: read by deet, or by pyelftools
    where deet's reader does not know the header."""
    stmt_list = top.attributes.get("DW_AT_stmt_list")
    if stmt_list is None:
        return None
    try:
        return read_line_files(dwarf, stmt_list.value)
    except LineFilesError:
        program = dwarf.line_program_for_CU(cu)
    if program is None:
        return None
    header = program.header
    return LineFiles(header["version"], list(header["include_directory"]),
                     [FileEntry(entry.name, entry.dir_index) for entry in header["file_entry"]])


def _gdb_name(name: str, directory: str | None, primary: str, comp_dir: str) -> str:
    """A file as gdb names it in frame lines: its directory entry and name joined as
    they are written (``./stdlib/exit.c``, ``../inc/h.h``), except that the CU's own file
    keeps the name it was compiled under (``m.c``, not the compile dir joined to it)."""
    shown = name if os.path.isabs(name) or not directory else f"{directory}/{name}"
    if shown == primary or (
            os.path.isabs(shown) and not os.path.isabs(primary) and comp_dir
            and shown == f"{comp_dir.rstrip('/')}/{primary}"):
        return primary
    return shown


def _file_path(comp_dir: str, directory: str, name: str) -> str:
    """Absolute when the compile dir is (compile dir + dir + name, normalised); otherwise,
    as gdb shows it, the file's directory and name, relative as the DWARF gives them
    (glibc's debug info, built with a relative compile dir, names ../sysdeps/...)."""
    if os.path.isabs(comp_dir) or os.path.isabs(directory):
        return os.path.normpath(os.path.join(comp_dir, directory, name))
    return os.path.join(directory, name)


class LineTable:
    """Rows sorted by address. Where several rows share an address, the last is_stmt one
    stands for it (gdb's choice); the ``is_stmt`` rows are the places breakpoints go."""

    def __init__(self, rows: list[LineRow], names: dict[str, str] | None = None) -> None:
        self.all_rows = rows
        self.rows = _one_row_per_address(rows)
        self._addresses = [row.address for row in self.rows]
        # Each file's name as gdb shows it (see ``file_table``).
        self.names = names or {}

    def location(self, row: LineRow) -> SourceLocation:
        return SourceLocation(row.file, row.line, self.names.get(row.file))

    @classmethod
    def from_cu(cls, dwarf: DWARFInfo, cu: CompileUnit) -> LineTable:
        files = file_table(dwarf, cu)
        program = dwarf.line_program_for_CU(cu)
        if program is None:
            return cls([])
        recorder = _Recorder(files.paths)
        run_line_program(program, recorder.add)
        rows = recorder.rows
        rows.sort(key=lambda r: (r.address, not r.end_sequence))
        return cls(rows, files.names)

    def columns(self) -> tuple:
        """The rows as plain columns, for deet's cache (``from_columns`` reads them)."""
        files = sorted({row.file for row in self.all_rows})
        number = {file: index for index, file in enumerate(files)}
        rows = self.all_rows
        return (
            files,
            [self.names.get(file, file) for file in files],
            [row.address for row in rows],
            [number[row.file] for row in rows],
            [row.line for row in rows],
            [row.is_stmt for row in rows],
            [row.end_sequence for row in rows],
        )

    @classmethod
    def from_columns(cls, columns: tuple) -> LineTable:
        """A table from what ``columns`` returned; ValueError if the columns disagree."""
        files, names, addresses, file_numbers, lines, is_stmt, end_sequence = columns
        if not len(addresses) == len(file_numbers) == len(lines) == len(is_stmt) == len(
            end_sequence
        ) or len(files) != len(names):
            raise ValueError("inconsistent line table columns")
        return cls([
            LineRow(address, files[number], line, bool(stmt), bool(end))
            for address, number, line, stmt, end in zip(
                addresses, file_numbers, lines, is_stmt, end_sequence, strict=True
            )
        ], dict(zip(files, names, strict=True)))

    def row_for(self, address: int) -> LineRow | None:
        """The row whose range holds ``address``, or None outside every sequence."""
        index = bisect.bisect_right(self._addresses, address) - 1
        if index < 0:
            return None
        row = self.rows[index]
        if row.end_sequence or row.line == 0:
            return None
        return row

    def next_address(self, address: int) -> int | None:
        """Start of the row after the one holding ``address`` (gdb's ``sal.end``)."""
        index = bisect.bisect_right(self._addresses, address)
        return self.rows[index].address if index < len(self.rows) else None

    def statement_rows(self) -> list[LineRow]:
        """Every is_stmt row, same-address duplicates included: where lines begin."""
        return [row for row in self.all_rows if row.is_stmt and not row.end_sequence]


class _Recorder:
    """Which rows of a line program gdb keeps (its ``lnp_state_machine::record_line``):
    a row of the same file and line as the last one kept is dropped when the line has had a
    non-zero discriminator since it began (PR 17276); a row that only switches files at an
    address where a statement row was already seen is dropped unless it is one; a switch
    of files (and a sequence's end) drops the old file's rows at that address. Lookups by
    address and line then agree with gdb's in optimised code, where such rows are common."""

    def __init__(self, paths: dict[int, str]) -> None:
        self._paths = paths
        self.rows: list[LineRow] = []
        self._new_sequence()

    def _new_sequence(self) -> None:
        self._last_file: str | None = None
        self._last_line: int | None = None
        self._last_address: int | None = None
        # Whether a statement row has been seen at the last address (gdb's
        # m_stmt_at_address).
        self._stmt_at_address = False
        self._state_line: int | None = None
        self._discriminated = False

    def _end_file(self, file: str | None, address: int) -> None:
        """gdb ends a file's run of rows with a marker that deletes that file's last rows at
        the marker's address: code switching files there belongs to the new file."""
        while self.rows and self.rows[-1].file == file and self.rows[-1].address == address:
            self.rows.pop()

    def add(self, state) -> None:
        file = self._paths.get(state.file, "??")
        if state.end_sequence:
            self._end_file(self._last_file, state.address)
            self.rows.append(LineRow(state.address, file, state.line, bool(state.is_stmt), True))
            self._new_sequence()
            return
        nonzero = bool(state.discriminator)
        self._discriminated = nonzero or (state.line == self._state_line and self._discriminated)
        self._state_line = state.line
        file_changed = self._last_file is not None and file != self._last_file
        ignored = state.line == 0 or (
            file_changed and state.address == self._last_address and not state.is_stmt
            and self._stmt_at_address
        )
        if file_changed and not ignored:
            self._end_file(self._last_file, state.address)
        if not ignored:
            if file != self._last_file or state.line != self._last_line or not self._discriminated:
                self.rows.append(
                    LineRow(state.address, file, state.line, bool(state.is_stmt), False)
                )
            self._last_file, self._last_line = file, state.line
        if state.address != self._last_address:
            self._stmt_at_address = False
            self._last_address = state.address
        self._stmt_at_address |= bool(state.is_stmt)


def _one_row_per_address(rows: list[LineRow]) -> list[LineRow]:
    """Collapse rows sharing an address: the last is_stmt row wins, else the last row.
    An end_sequence row only survives where no other row starts at its address."""
    kept: list[LineRow] = []
    for row in rows:
        if kept and kept[-1].address == row.address:
            previous = kept[-1]
            if row.end_sequence:
                continue
            if previous.end_sequence or row.is_stmt or not previous.is_stmt:
                kept[-1] = row
            continue
        kept.append(row)
    return kept
