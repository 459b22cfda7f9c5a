"""Opening a target ELF file, with a clear one-line refusal for anything that is not one."""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

from deet.debuginfo.elfheaders import ElfHeaders
from deet.debuginfo.errors import PARSE_ERRORS, DebugInfoError


def open_elf(path: str) -> tuple[ELFFile, BinaryIO, ElfHeaders]:
    """The parsed ELF header of ``path``, the open file behind it (kept for lazy reads) and
    its program and section headers."""
    if os.path.isdir(path):
        raise DebugInfoError(f"{path}: is a directory")
    try:
        # Non-blocking, so that a FIFO or a device is refused instead of waited on.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise DebugInfoError(f"{path}: {exc.strerror}") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DebugInfoError(f"{path}: not a regular file")
    stream = os.fdopen(fd, "rb")  # kept open: pyelftools reads lazily from it
    try:
        elf = ELFFile(stream)
    except (ELFError, ValueError, EOFError) as exc:
        stream.close()
        raise DebugInfoError(f"{path}: not an ELF executable") from exc
    machine = elf.get_machine_arch()
    if machine != "x64" or elf.elfclass != 64 or not elf.little_endian:
        stream.close()
        raise DebugInfoError(f"{path}: not an x86-64 program "
                             f"({machine if machine != 'x64' else '32-bit'})")
    try:
        headers = ElfHeaders(stream)
    except PARSE_ERRORS as exc:
        stream.close()
        raise DebugInfoError(f"{path}: corrupt ELF file ({exc})") from exc
    return elf, stream, headers


def has_dwarf(headers: ElfHeaders) -> bool:
    return headers.section(".debug_info") is not None and headers.section(".debug_line") is not None


def has_symtab(headers: ElfHeaders) -> bool:
    return headers.section(".symtab") is not None
