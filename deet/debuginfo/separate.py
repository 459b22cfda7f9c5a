"""Finding a program's debug info when it ships apart from the program (Debian's -dbg
packages): by build-id under /usr/lib/debug/.build-id, else by .gnu_debuglink, in the
places gdb looks."""

from __future__ import annotations

import os

from elftools.elf.elffile import ELFFile

DEBUG_ROOT = "/usr/lib/debug"


def build_id(elf: ELFFile) -> str | None:
    section = elf.get_section_by_name(".note.gnu.build-id")
    if section is None:
        return None
    for note in section.iter_notes():
        if note["n_type"] == "NT_GNU_BUILD_ID":
            return note["n_desc"]
    return None


def separate_debug_file(elf: ELFFile, path: str, root: str = DEBUG_ROOT) -> str | None:
    """The file holding ``path``'s debug info, under ``root`` (gdb's
    debug-file-directory) or beside the file; None when there is none."""
    candidates = []
    identity = build_id(elf)
    if identity and len(identity) > 2:
        candidates.append(f"{root}/.build-id/{identity[:2]}/{identity[2:]}.debug")
    link = elf.get_section_by_name(".gnu_debuglink")
    if link is not None:
        name = link.data().split(b"\0", 1)[0].decode(errors="replace")
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
