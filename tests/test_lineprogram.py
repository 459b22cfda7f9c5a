"""deet's line-program decoder emits exactly the rows pyelftools' does (address, file,
line, is_stmt, discriminator, end of sequence), on every build the gdb-agreement tests
use and on the first units of an installed debug file."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile
from support import COURSE_FLAGS, program, sample

from deet.debuginfo.lineprogram import run_line_program

BUILDS = {
    "dwarf5": COURSE_FLAGS,
    "dwarf4": (*COURSE_FLAGS, "-gdwarf-4"),
    "pie": ("-g",),
    "O2": ("-O2", "-g"),
}


def _rows(path: Path | str, units: int) -> list[tuple[list, list]]:
    """(pyelftools' rows, deet's rows) for each of the first ``units`` CUs."""
    with open(path, "rb") as stream:
        dwarf = ELFFile(stream).get_dwarf_info(relocate_dwarf_sections=False)
        compared = []
        for index, cu in enumerate(dwarf.iter_CUs()):
            if index >= units:
                break
            if dwarf.line_program_for_CU(cu) is None:
                continue
            theirs = [
                (e.state.address, e.state.file, e.state.line, bool(e.state.is_stmt),
                 e.state.discriminator, e.state.end_sequence)
                for e in dwarf.line_program_for_CU(cu).get_entries() if e.state is not None
            ]
            states = []
            run_line_program(dwarf.line_program_for_CU(cu), states.append)
            ours = [(s.address, s.file, s.line, s.is_stmt, s.discriminator, s.end_sequence)
                    for s in states]
            compared.append((theirs, ours))
        return compared


@pytest.mark.parametrize("build", BUILDS)
def test_rows_match_pyelftools(build):
    flags = BUILDS[build]
    binaries = [sample(name, flags) for name in ("function_calls", "two_files", "recursion")]
    binaries += [program(name, flags) for name in ("enough", "inlining", "optimised")]
    for binary in binaries:
        for theirs, ours in _rows(binary, units=100):
            assert ours == theirs, binary


def test_rows_match_pyelftools_on_installed_debug_info():
    debug_files = sorted(glob.glob("/usr/lib/debug/.build-id/*/*.debug"))[:2]
    if not debug_files:
        pytest.skip("no separate debug info installed")
    for path in debug_files:
        for theirs, ours in _rows(path, units=30):
            assert ours == theirs, path
