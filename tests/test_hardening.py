"""Inputs that once ended a session with an internal error (issue 14): each is one line, or
gdb's answer, and the session goes on."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import struct
import subprocess
import time
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile
from support import (
    ROOT,
    deet,
    deet_command,
    deet_frames,
    gdb_batch,
    gdb_frames,
    have_gdb,
    sample,
)


def test_x_with_a_count_of_zero_shows_nothing_as_gdb():
    commands = ("break main", "run", "x/0s $sp", "x/0x $sp", "print 1")
    lines = deet("--batch", *[f"-ex={c}" for c in commands], sample("function_calls")).lines
    assert lines[-3:] == ["Stopped at " + str(ROOT / "samples/function_calls.c") + ":23",
                          "23\t    int value = compute(10);", "$1 = 1"]
    if have_gdb():
        assert gdb_batch(sample("function_calls"), *commands).splitlines()[-1] == "$1 = 1"


def _with_symbol_size(original: Path, copy: Path, name: str, size: int) -> Path:
    """``original`` with ``name``'s ``.symtab`` size replaced by ``size``."""
    shutil.copy(original, copy)
    with open(original, "rb") as f:
        symtab = ELFFile(f).get_section_by_name(".symtab")
        index = next(i for i, symbol in enumerate(symtab.iter_symbols()) if symbol.name == name)
        offset = symtab["sh_offset"] + index * symtab["sh_entsize"] + 16  # st_size
    with open(copy, "r+b") as f:
        f.seek(offset)
        f.write(struct.pack("<Q", size))
    return copy


def _limited_memory() -> None:
    limit = 4 << 30
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_a_huge_symbol_size_does_not_make_disassemble_read_it(tmp_path):
    """gdb disassembles the DWARF bounds of the function; so does deet, under a 4 GB limit
    that reading 0x1000000000 bytes would break."""
    damaged = _with_symbol_size(sample("function_calls"), tmp_path / "function_calls", "main",
                                0x10_0000_0000)
    commands = ["-ex", "break main", "-ex", "run", "-ex", "disassemble"]
    # A cache of its own: the damaged copy has the original's build-id.
    env = dict(os.environ, DEET_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run([*deet_command(), "--batch", *commands, str(damaged)], text=True,
                          capture_output=True, timeout=120, env=env, cwd=ROOT,
                          preexec_fn=_limited_memory)
    original = deet("--batch", *commands, sample("function_calls"))

    def instructions(lines: list[str]) -> list[str]:
        # The damaged symbol also names every data address after main: not the point here.
        return [line.split("#")[0] for line in lines[2:]]

    assert instructions(done.stdout.splitlines()) == instructions(original.lines)
    assert done.stdout.splitlines()[-1] == "End of assembler dump."


def _dtors_frameless_pc(binary: Path) -> int:
    """The instruction after ``push %rbp`` in __do_global_dtors_aux: no CFI covers it, and
    the word on top of the stack is the saved %rbp, not a return address."""
    dump = subprocess.run(["objdump", "-d", str(binary)], capture_output=True, text=True,
                          check=True).stdout
    body = dump.split("<__do_global_dtors_aux>:", 1)[1].split("\n\n", 1)[0]
    lines = [line for line in body.splitlines() if "\t" in line]
    push = next(i for i, line in enumerate(lines) if line.rstrip().endswith("push   %rbp"))
    return int(lines[push + 1].split(":")[0], 16)


def test_backtrace_where_no_cfi_covers_the_pc():
    binary = sample("function_calls")
    pc = _dtors_frameless_pc(binary)
    lines = deet("--batch", "-ex", f"break *{pc:#x}", "-ex", "run", "-ex", "bt",
                 "-ex", "print 1", binary).lines
    assert not [line for line in lines if "internal error" in line]
    assert f"?? ({pc:#x})" in lines or any(line.startswith("__do_global_dtors_aux")
                                          for line in lines)
    assert lines[-1] == "$1 = 1"


@pytest.mark.parametrize("pie", [False, True])
def test_backtrace_of_a_program_built_without_unwind_tables_is_gdb_s(pie):
    """``-fno-asynchronous-unwind-tables``: no ``.eh_frame`` for the program's own code, so
    every frame of it is unwound by frame pointers, as gdb does."""
    flags = ("-O0", "-g", "-fno-asynchronous-unwind-tables", "-fno-omit-frame-pointer",
             "-pie" if pie else "-no-pie")
    binary = sample("segfault", flags)
    lines = deet("--batch", "-ex", "run", "-ex", "bt", "-ex", "print 1", binary).lines
    assert not [line for line in lines if "internal error" in line]
    gdb = gdb_frames(gdb_batch(binary, "run", "bt"))
    mine = deet_frames(lines)
    assert [frame.function for frame in gdb] == ["func2", "func1", "main"]
    assert [frame.function for frame in mine] == [frame.function for frame in gdb]
    assert [frame.line for frame in mine] == [frame.line for frame in gdb]
    assert lines[-1] == "$1 = 1"


@pytest.mark.parametrize("fill", [b"\xff", b"\x7f"], ids=["ff", "7f"])
def test_a_damaged_eh_frame_is_no_internal_error(tmp_path, fill):
    """Call-frame information past its first entry overwritten (once, pyelftools'
    OverflowError came through): the frame-pointer walk still gives the stack."""
    binary = sample("segfault")
    with open(binary, "rb") as file:
        section = ELFFile(file).get_section_by_name(".eh_frame")
        start, size = section["sh_offset"], section["sh_size"]
    data = bytearray(binary.read_bytes())
    data[start + 0x20 : start + size] = fill * (size - 0x20)
    damaged = tmp_path / "segfault"
    damaged.write_bytes(bytes(data))
    damaged.chmod(0o755)
    env = dict(os.environ, DEET_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run([*deet_command(), "--batch", "-ex", "run", "-ex", "bt", "-ex",
                           "print 1", str(damaged)], capture_output=True, text=True,
                          timeout=60, env=env, cwd=ROOT)
    lines = done.stdout.splitlines()
    assert "internal error" not in done.stdout + done.stderr
    assert [frame.function for frame in deet_frames(lines)] == ["func2", "func1", "main"]
    assert lines[-1] == "$1 = 1"


class _Piped:
    """deet reading commands from a pipe, one at a time: each command is followed by a
    ``print`` of a marker, and its output is what comes before the marker's value."""

    def __init__(self, target: Path) -> None:
        self.process = subprocess.Popen([*deet_command(), str(target)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, bufsize=1, cwd=ROOT)
        self.marker = 7000

    def send(self, command: str) -> list[str]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.marker += 1
        self.process.stdin.write(f"{command}\nprint {self.marker}\n")
        self.process.stdin.flush()
        lines = []
        while (line := self.process.stdout.readline()) and \
                not line.rstrip().endswith(f"= {self.marker}"):
            lines.append(line.rstrip("\n"))
        return lines

    def close(self) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.stdout.read()
        return self.process.wait(timeout=60)


def test_a_threaded_program_killed_from_outside_while_stopped():
    """gdb: "Couldn't get registers: No such process." in ``info threads``; the next resume
    tells how the program ended."""
    deet_session = _Piped(sample("threads"))
    try:
        deet_session.send("break tick")
        assert "Stopped at" in "\n".join(deet_session.send("run"))
        program = int(Path(f"/proc/{deet_session.process.pid}/task/{deet_session.process.pid}"
                           "/children").read_text().split()[0])
        os.kill(program, signal.SIGKILL)
        time.sleep(0.5)
        assert deet_session.send("info threads") == ["Couldn't get registers: No such process."]
        assert deet_session.send("continue") == ["Child exited (signal SIGKILL)"]
        assert deet_session.send("info threads") == ["No threads."]
    finally:
        assert deet_session.close() == 0
