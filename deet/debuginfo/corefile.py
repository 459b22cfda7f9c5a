"""An ELF core file as the kernel (or gdb's ``gcore``) writes it: the threads' registers
from its notes, the memory of the crash from its segments, and the files that were mapped.

The kernel leaves out what it can read back later: a segment of a file mapped read-only
(code, most of a library) has no bytes in the core (``p_filesz`` 0, or one page for an
ELF header), and ``NT_FILE`` says which file, at which offset, was mapped there; those
bytes are read from the file itself, as gdb reads them. gdb's ``gcore`` leaves such a
mapping out altogether (no segment), and it is read from its file the same way. Notes
are read with ``struct``: ``prstatus``, ``prpsinfo`` and ``NT_FILE`` are fixed layouts on
x86-64.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field, replace

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

from deet.debuginfo.errors import DebugInfoError

NT_PRSTATUS = 1
NT_FPREGSET = 2
NT_X86_XSTATE = 0x202
NT_PRPSINFO = 3
NT_AUXV = 6
NT_FILE = 0x46494C45
AT_PHDR = 3
# struct elf_prstatus on x86-64: pr_cursig at 12, pr_pid at 32, pr_reg (user_regs_struct)
# at 112; struct elf_prpsinfo: pr_pid at 24, pr_fname at 40, pr_psargs at 56.
PR_CURSIG, PR_PID, PR_REG = 12, 32, 112
PS_PID, PS_FNAME, PS_PSARGS = 24, 40, 56
# user_regs_struct, in its order.
REGISTER_NAMES = ("r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax",
                  "rcx", "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss",
                  "fs_base", "gs_base", "ds", "es", "fs", "gs")


@dataclass(frozen=True)
class CoreThread:
    """One thread at the moment of the dump: its id, the signal it had, its registers, its
    FXSAVE area (x87 and SSE registers) and its whole XSAVE area (AVX-512's opmask
    registers among the rest); each empty when the core has none."""

    tid: int
    signal: int
    registers: dict[str, int]
    fp_area: bytes = b""
    xsave_area: bytes = b""


@dataclass(frozen=True)
class Mapping:
    """A file mapped at ``start``..``end`` from byte ``offset`` of ``path``."""

    start: int
    end: int
    offset: int
    path: str


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    file_offset: int
    file_size: int


@dataclass
class CoreFile:
    """What a core holds. ``threads``: the one that took the signal first, as the kernel
    writes it. ``command``: the process's arguments (``prpsinfo``'s, at most 80 bytes)."""

    path: str
    pid: int
    program_name: str
    command: str
    threads: list[CoreThread]
    auxv: dict[int, int]
    mappings: list[Mapping]
    segments: list[Segment] = field(default_factory=list)

    @classmethod
    def open(cls, path: str) -> CoreFile:
        """Raises ``DebugInfoError`` (one line) for a file that is not an x86-64 core."""
        try:
            with open(path, "rb") as stream:
                elf = ELFFile(stream)
                if elf["e_type"] != "ET_CORE":
                    raise DebugInfoError(f'"{path}" is not a core dump: file format not recognized')
                if elf["e_machine"] != "EM_X86_64":
                    raise DebugInfoError(f"{path}: not an x86-64 core file")
                notes = b"".join(s.data() for s in elf.iter_segments() if s["p_type"] == "PT_NOTE")
                segments = [Segment(s["p_vaddr"], s["p_vaddr"] + s["p_memsz"], s["p_offset"],
                                    s["p_filesz"])
                            for s in elf.iter_segments() if s["p_type"] == "PT_LOAD"]
        except OSError as exc:
            raise DebugInfoError(f"{path}: {exc.strerror}") from None
        except (ELFError, struct.error) as exc:
            raise DebugInfoError(f'"{path}": not a core file ({exc})') from None
        core = _from_notes(path, notes)
        core.segments = segments
        if not core.threads:
            raise DebugInfoError(f"{path}: a core file without threads")
        return core

    def read(self, address: int, size: int) -> bytes:
        """The process's memory at ``address``, as many bytes as can be read (fewer at the
        first address neither the core nor a mapped file holds)."""
        data = b""
        with open(self.path, "rb") as stream:
            while len(data) < size:
                piece = self._piece(stream, address + len(data), size - len(data))
                if not piece:
                    break
                data += piece
        return data

    def _piece(self, stream, address: int, size: int) -> bytes:
        for segment in self.segments:
            if not segment.start <= address < segment.end:
                continue
            inside = address - segment.start
            if inside < segment.file_size:
                stream.seek(segment.file_offset + inside)
                return stream.read(min(size, segment.file_size - inside))
            return self._mapped(address, min(size, segment.end - address))
        # No segment at all: gdb's gcore leaves out a file's read-only mappings (a
        # program's .rodata) entirely, where the kernel writes an empty segment; NT_FILE
        # still names the file, as gdb reads them from it.
        return self._mapped(address, size)

    def _mapped(self, address: int, size: int) -> bytes:
        for mapping in self.mappings:
            if mapping.start <= address < mapping.end:
                try:
                    with open(mapping.path, "rb") as file:
                        file.seek(mapping.offset + address - mapping.start)
                        return file.read(min(size, mapping.end - address))
                except OSError:
                    return b""
        return b""

    @property
    def executable(self) -> str | None:
        """The program the process ran: the file mapped where its program headers were
        (AT_PHDR), as gdb finds it when given a core alone."""
        phdr = self.auxv.get(AT_PHDR)
        return self.mapped_file(phdr) if phdr is not None else None

    def mapped_file(self, address: int) -> str | None:
        for mapping in self.mappings:
            if mapping.start <= address < mapping.end:
                return mapping.path
        return None


def _notes(data: bytes):
    """(type, description) of each note in a PT_NOTE segment's bytes."""
    offset = 0
    while offset + 12 <= len(data):
        name_size, desc_size, kind = struct.unpack_from("<III", data, offset)
        offset += 12 + _aligned(name_size)
        yield kind, data[offset : offset + desc_size]
        offset += _aligned(desc_size)


def _aligned(size: int) -> int:
    return (size + 3) & ~3


def _from_notes(path: str, data: bytes) -> CoreFile:
    threads: list[CoreThread] = []
    pid, name, command = 0, "", ""
    auxv: dict[int, int] = {}
    mappings: list[Mapping] = []
    for kind, desc in _notes(data):
        if kind == NT_PRSTATUS and len(desc) >= PR_REG + 8 * len(REGISTER_NAMES):
            values = struct.unpack_from(f"<{len(REGISTER_NAMES)}Q", desc, PR_REG)
            threads.append(CoreThread(struct.unpack_from("<I", desc, PR_PID)[0],
                                      struct.unpack_from("<H", desc, PR_CURSIG)[0],
                                      dict(zip(REGISTER_NAMES, values, strict=True))))
        elif kind == NT_FPREGSET and threads and len(desc) >= 512:
            threads[-1] = replace(threads[-1], fp_area=bytes(desc))
        elif kind == NT_X86_XSTATE and threads:
            threads[-1] = replace(threads[-1], xsave_area=bytes(desc))
        elif kind == NT_PRPSINFO and len(desc) >= PS_PSARGS + 80:
            pid = struct.unpack_from("<I", desc, PS_PID)[0]
            name = _c_string(desc[PS_FNAME : PS_FNAME + 16])
            command = _c_string(desc[PS_PSARGS : PS_PSARGS + 80]).rstrip()
        elif kind == NT_AUXV:
            for offset in range(0, len(desc) - 15, 16):
                key, value = struct.unpack_from("<QQ", desc, offset)
                if key == 0:
                    break
                auxv[key] = value
        elif kind == NT_FILE:
            mappings = _mapped_files(desc)
    return CoreFile(path, pid or (threads[0].tid if threads else 0), name, command, threads,
                    auxv, mappings)


def _mapped_files(desc: bytes) -> list[Mapping]:
    count, page_size = struct.unpack_from("<QQ", desc, 0)
    names = desc[16 + 24 * count :].split(b"\0")
    mappings = []
    for index in range(count):
        start, end, page = struct.unpack_from("<QQQ", desc, 16 + 24 * index)
        path = names[index].decode(errors="replace") if index < len(names) else ""
        mappings.append(Mapping(start, end, page * page_size, path))
    return mappings


def _c_string(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode(errors="replace")
