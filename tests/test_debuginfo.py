"""The DWARF facade on DWARF 4 and DWARF 5 builds, checked against gdb's own answers."""

from __future__ import annotations

import re

import pytest
from support import COURSE_FLAGS, PROGRAMS, gdb_batch, program, sample

from deet.debuginfo import DebugInfo

VERSIONS = {"dwarf4": ("-gdwarf-4",), "dwarf5": ("-gdwarf-5",)}


def _gdb_break(binary, location: str) -> tuple[int, str, int]:
    out = gdb_batch(binary, f"break {location}")
    match = re.search(r"Breakpoint 1 at (0x[0-9a-f]+): file (\S+), line (\d+)\.", out)
    assert match, out
    return int(match[1], 16), match[2], int(match[3])


@pytest.mark.parametrize("version", VERSIONS)
def test_code_in_a_header_names_the_header(version):
    binary = program("header_code", COURSE_FLAGS + VERSIONS[version])
    info = DebugInfo(str(binary))
    (square,) = info.function_breakpoints("square")
    address, file, line = _gdb_break(binary, "square")
    assert square.address == address
    assert square.location.file == str(PROGRAMS / "header_code" / "square.h")
    assert file.endswith("square.h")
    assert square.location.line == line


@pytest.mark.parametrize("version", VERSIONS)
def test_every_line_of_a_sample_maps_like_gdb(version):
    binary = sample("function_calls", COURSE_FLAGS + VERSIONS[version])
    info = DebugInfo(str(binary))
    for line in range(1, 28):
        code = info.line_breakpoints("function_calls.c", line)
        out = gdb_batch(binary, f"break function_calls.c:{line}")
        match = re.search(r"Breakpoint 1 at (0x[0-9a-f]+): file \S+, line (\d+)\.", out)
        if match is None:
            assert code == [], line
            continue
        assert [(c.address, c.location.line) for c in code] == [(int(match[1], 16), int(match[2]))]


@pytest.mark.parametrize("version", VERSIONS)
def test_address_to_line_and_function(version):
    binary = sample("segfault", COURSE_FLAGS + VERSIONS[version])
    info = DebugInfo(str(binary))
    for function in ("main", "func1", "func2"):
        symbol = info.symbols.named(function)[0]
        out = gdb_batch(binary, f"info line *{symbol.address + 8:#x}")
        match = re.search(r'Line (\d+) of "(\S+)"', out)
        assert match, out
        location = info.location_for(symbol.address + 8)
        assert location.line == int(match[1])
        assert location.file.endswith(match[2])
        assert info.function_at(symbol.address + 8).name == function


def test_start_up_reads_no_line_table():
    """Nothing is decoded until asked: the facade's tables start empty."""
    info = DebugInfo(str(sample("function_calls")))
    assert info._tables == {}
    info.function_breakpoints("add")
    assert len(info._tables) == 1
