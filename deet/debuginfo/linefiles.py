"""The directory and file tables of a line program's header, read by deet itself.

``break FILE:LINE`` first needs every CU's file table (which CUs can hold the file's
lines). pyelftools parses each whole header through construct, 1.6 ms a CU (0.3 s on
CPython's 180 CUs, in a cold session); this reads only the two tables, DWARF 2 to 5.
A form or layout it does not know raises ``LineFilesError`` and the caller asks
pyelftools.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from elftools.dwarf.dwarfinfo import DWARFInfo

from deet.debuginfo.leb128 import uleb


class LineFilesError(Exception):
    pass


@dataclass(frozen=True)
class FileEntry:
    name: bytes
    dir_index: int


@dataclass(frozen=True)
class LineFiles:
    version: int
    directories: list[bytes]
    files: list[FileEntry]


DW_LNCT_PATH, DW_LNCT_DIRECTORY_INDEX = 1, 2
_FORM_STRING, _FORM_STRP, _FORM_LINE_STRP, _FORM_UDATA = 0x08, 0x0E, 0x1F, 0x0F
_FIXED_FORMS = {0x0B: 1, 0x05: 2, 0x06: 4, 0x07: 8, 0x1E: 16}  # data1, 2, 4, 8, 16
_FORM_BLOCK = 0x09


class _Reader:
    def __init__(self, data: bytes, position: int) -> None:
        self.data, self.at = data, position

    def fixed(self, size: int) -> int:
        value = int.from_bytes(self.data[self.at:self.at + size], "little")
        if self.at + size > len(self.data):
            raise LineFilesError("header runs past its section")
        self.at += size
        return value

    def uleb(self) -> int:
        value, self.at = uleb(self.data, self.at)
        return value

    def cstring(self) -> bytes:
        end = self.data.index(b"\0", self.at)
        value, self.at = self.data[self.at:end], end + 1
        return value


def read_line_files(dwarf: DWARFInfo, offset: int) -> LineFiles:
    """The tables of the line program at ``offset`` in ``.debug_line``."""
    section = dwarf.debug_line_sec
    if section is None:
        raise LineFilesError("no .debug_line")
    stream = section.stream
    stream.seek(offset)
    head = stream.read(12)
    if len(head) < 4:
        raise LineFilesError("header runs past its section")
    (length,) = struct.unpack_from("<I", head)
    offset_size = 8 if length == 0xFFFFFFFF else 4
    if offset_size == 8:
        (length,) = struct.unpack_from("<Q", head, 4)
    start = offset + (12 if offset_size == 8 else 4)
    stream.seek(start)
    reader = _Reader(stream.read(length), 0)
    try:
        version = reader.fixed(2)
        if not 2 <= version <= 5:
            raise LineFilesError(f"line table version {version}")
        if version >= 5:
            reader.fixed(2)  # address and segment selector sizes
        reader.fixed(offset_size)  # header_length
        reader.fixed(2 if version >= 4 else 1)  # instruction lengths
        reader.fixed(3)  # default_is_stmt, line_base, line_range
        opcode_base = reader.fixed(1)
        reader.at += opcode_base - 1  # the standard opcodes' lengths
        if version < 5:
            return _before_5(reader, version)
        return _version_5(dwarf, reader, offset_size)
    except (IndexError, ValueError) as exc:
        raise LineFilesError(str(exc)) from exc


def _before_5(reader: _Reader, version: int) -> LineFiles:
    directories = []
    while name := reader.cstring():
        directories.append(name)
    files = []
    while name := reader.cstring():
        directory = reader.uleb()
        reader.uleb()  # modification time
        reader.uleb()  # length
        files.append(FileEntry(name, directory))
    return LineFiles(version, directories, files)


def _version_5(dwarf: DWARFInfo, reader: _Reader, offset_size: int) -> LineFiles:
    directories = [entry.get(DW_LNCT_PATH, b"")
                   for entry in _entries(dwarf, reader, offset_size)]
    files = [FileEntry(entry.get(DW_LNCT_PATH, b""), entry.get(DW_LNCT_DIRECTORY_INDEX, 0))
             for entry in _entries(dwarf, reader, offset_size)]
    return LineFiles(5, directories, files)


def _entries(dwarf: DWARFInfo, reader: _Reader, offset_size: int) -> list[dict]:
    """One table of a DWARF 5 header: its format, then its entries by content type."""
    formats = [(reader.uleb(), reader.uleb()) for _ in range(reader.fixed(1))]
    entries = []
    for _ in range(reader.uleb()):
        entry: dict[int, bytes | int] = {}
        for content, form in formats:
            entry[content] = _value(dwarf, reader, form, offset_size)
        entries.append(entry)
    return entries


def _value(dwarf: DWARFInfo, reader: _Reader, form: int, offset_size: int) -> bytes | int:
    if form == _FORM_STRING:
        return reader.cstring()
    if form in (_FORM_LINE_STRP, _FORM_STRP):
        at = reader.fixed(offset_size)
        value = (dwarf.get_string_from_linetable(at) if form == _FORM_LINE_STRP
                 else dwarf.get_string_from_table(at))
        if value is None:
            raise LineFilesError("a string past its section")
        return value
    if form == _FORM_UDATA:
        return reader.uleb()
    if form in _FIXED_FORMS:
        return reader.fixed(_FIXED_FORMS[form])
    if form == _FORM_BLOCK:
        length = reader.uleb()
        reader.at += length
        return b""
    raise LineFilesError(f"form {form:#x} in a line table header")
