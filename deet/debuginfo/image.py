"""The program's loaded image as the ELF file describes it: its segments, the bytes they
put at each link-time address before the program runs, the loader it asks for.

Read from the file itself, never from a separate debug file (which carries no code),
and only when asked: start-up reads nothing here.
"""

from __future__ import annotations

import functools

from deet.debuginfo.elfheaders import PT_INTERP, PT_LOAD, ElfHeaders, Segment


class Image:
    """The loadable segments of one ELF file."""

    def __init__(self, headers: ElfHeaders) -> None:
        self._headers = headers

    def _loads(self) -> list[Segment]:
        return [segment for segment in self._headers.segments if segment.kind == PT_LOAD]

    @property
    def interpreter(self) -> str | None:
        """The dynamic loader the program asks for (PT_INTERP), or None if static."""
        for segment in self._headers.segments:
            if segment.kind == PT_INTERP:
                name = self._headers.read(segment.offset, segment.file_size)
                return name.split(b"\0", 1)[0].decode(errors="replace")
        return None

    @functools.cached_property
    def load_span(self) -> tuple[int, int] | None:
        """The link-time address range the file's loadable segments cover."""
        spans = [(s.address, s.address + s.memory_size) for s in self._loads()]
        if not spans:
            return None
        return min(low for low, _ in spans), max(high for _, high in spans)

    @property
    def text_range(self) -> tuple[int, int] | None:
        section = self._headers.section(".text")
        if section is None:
            return None
        return section.address, section.address + section.size

    def read_image(self, address: int, size: int) -> bytes:
        """Bytes of the loaded image before it runs: file contents, then zeros up to each
        segment's memory size (``.bss``); as many as are mapped from ``address`` on."""
        for segment in self._loads():
            start, file_size = segment.address, segment.file_size
            if start <= address < start + segment.memory_size:
                end = min(address + size, start + segment.memory_size)
                data = b""
                if address < start + file_size:
                    data = self._headers.read(segment.offset + address - start,
                                              min(end, start + file_size) - address)
                return data.ljust(end - address, b"\0")
        return b""

    def read_code(self, address: int, size: int) -> bytes:
        """Bytes of the file's loaded image at a link-time address (b'' where none)."""
        for segment in self._loads():
            start = segment.address
            if start <= address < start + segment.file_size:
                length = min(size, start + segment.file_size - address)
                return self._headers.read(segment.offset + address - start, length)
        return b""
