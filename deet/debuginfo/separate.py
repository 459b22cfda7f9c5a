"""Finding a program's debug info when it ships apart from the program (Debian's -dbg
packages): by build-id under /usr/lib/debug/.build-id, else by .gnu_debuglink, in the
places gdb looks."""

from __future__ import annotations

import os
import struct

from deet.debuginfo.elfheaders import ElfHeaders

DEBUG_ROOT = "/usr/lib/debug"
NT_GNU_BUILD_ID = 3
_NOTE = struct.Struct("<III")


def build_id(headers: ElfHeaders) -> str | None:
    """The GNU build-id note's bytes in hex, as gdb names debug files by them."""
    section = headers.section(".note.gnu.build-id")
    if section is None:
        return None
    data, position = headers.data(section), 0
    while position + _NOTE.size <= len(data):
        name_size, desc_size, kind = _NOTE.unpack_from(data, position)
        name_at = position + _NOTE.size
        desc_at = name_at + (name_size + 3) // 4 * 4
        if kind == NT_GNU_BUILD_ID and data[name_at:name_at + name_size] == b"GNU\0":
            return data[desc_at:desc_at + desc_size].hex()
        position = desc_at + (desc_size + 3) // 4 * 4
    return None


def separate_debug_file(headers: ElfHeaders, path: str, root: str = DEBUG_ROOT) -> str | None:
    """The file holding ``path``'s debug info, under ``root`` (gdb's
    debug-file-directory) or beside the file; None when there is none."""
    candidates = []
    identity = build_id(headers)
    if identity and len(identity) > 2:
        candidates.append(f"{root}/.build-id/{identity[:2]}/{identity[2:]}.debug")
    link = headers.section(".gnu_debuglink")
    if link is not None:
        name = headers.data(link).split(b"\0", 1)[0].decode(errors="replace")
        directory = os.path.dirname(os.path.realpath(path))
        candidates += [
            os.path.join(directory, name),
            os.path.join(directory, ".debug", name),
            root + os.path.join(directory, name),
        ]
    for candidate in candidates:
        if candidate != path and os.path.isfile(candidate):
            return candidate
    return None
