"""The program's loaded image as the ELF file describes it: its segments, the bytes they
put at each link-time address before the program runs, the loader it asks for.

Read from the file itself, never from a separate debug file (which carries no code),
and only when asked: start-up reads nothing here.
"""

from __future__ import annotations

import functools
from typing import BinaryIO

from elftools.elf.elffile import ELFFile


class Image:
    """The loadable segments of one ELF file, read through its open ``stream``."""

    def __init__(self, elf: ELFFile, stream: BinaryIO) -> None:
        self._elf = elf
        self._stream = stream

    @property
    def interpreter(self) -> str | None:
        """The dynamic loader the program asks for (PT_INTERP), or None if static."""
        for segment in self._elf.iter_segments():
            if segment["p_type"] == "PT_INTERP":
                return segment.get_interp_name()
        return None

    @functools.cached_property
    def load_span(self) -> tuple[int, int] | None:
        """The link-time address range the file's loadable segments cover."""
        spans = [
            (segment["p_vaddr"], segment["p_vaddr"] + segment["p_memsz"])
            for segment in self._elf.iter_segments()
            if segment["p_type"] == "PT_LOAD"
        ]
        if not spans:
            return None
        return min(low for low, _ in spans), max(high for _, high in spans)

    @property
    def text_range(self) -> tuple[int, int] | None:
        section = self._elf.get_section_by_name(".text")
        if section is None:
            return None
        return section["sh_addr"], section["sh_addr"] + section["sh_size"]

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
