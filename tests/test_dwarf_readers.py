"""deet's own DWARF readers against pyelftools on the same files: the abbreviation-table
decoder gives pyelftools' declarations, code for code, and the one-pass skim gives the
summary facts that reading pyelftools' DIEs gives, on programs built the ways students
build them and on a real program; damage is pyelftools' kind of error (one line for the
user) or a fall-back to pyelftools, never a hang or a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from elftools.common.exceptions import DWARFError
from elftools.elf.elffile import ELFFile
from support import sample

from deet.debuginfo import inlinefacts
from deet.debuginfo.abbrevs import decode_abbrevs_ourselves
from deet.debuginfo.dies import UnitReader, die_name, frame_name
from deet.debuginfo.dwarfsections import dwarf_info
from deet.debuginfo.elfheaders import ElfHeaders
from deet.debuginfo.linefiles import read_line_files
from deet.debuginfo.scopes import UnitScopes
from deet.debuginfo.separate import build_id
from deet.debuginfo.unitfunctions import unit_functions

BUILDS = {
    "course": ("-O0", "-g", "-no-pie", "-fno-omit-frame-pointer"),
    "pie": ("-g",),
    "O2": ("-O2", "-g"),
    "dwarf4": ("-O0", "-g", "-gdwarf-4"),
}
PYTHON_DBG = Path("/usr/bin/python3.11d")


def _declarations(table, codes) -> dict:
    return {code: (table.get_abbrev(code)["tag"], table.get_abbrev(code).has_children(),
                   [(spec.name, spec.form, spec.value)
                    for spec in table.get_abbrev(code)["attr_spec"]])
            for code in codes}


def _compare(path: Path) -> int:
    with open(path, "rb") as theirs_file, open(path, "rb") as mine_file:
        theirs = ELFFile(theirs_file).get_dwarf_info(relocate_dwarf_sections=False)
        mine = ELFFile(mine_file).get_dwarf_info(relocate_dwarf_sections=False)
        decode_abbrevs_ourselves(mine)
        compared = 0
        for their_unit, my_unit in zip(theirs.iter_CUs(), mine.iter_CUs(), strict=True):
            their_table = their_unit.get_abbrev_table()
            codes = sorted(their_table._abbrev_map)  # the oracle's own list of codes
            assert _declarations(my_unit.get_abbrev_table(), codes) == \
                _declarations(their_table, codes)
            with pytest.raises(KeyError):
                my_unit.get_abbrev_table().get_abbrev(max(codes) + 1)
            assert my_unit.get_top_DIE().attributes == their_unit.get_top_DIE().attributes
            compared += len(codes)
    return compared


@pytest.mark.parametrize("build", BUILDS)
def test_the_declarations_are_pyelftools(build):
    assert _compare(sample("two_files", BUILDS[build])) > 10


@pytest.mark.skipif(not PYTHON_DBG.exists(), reason="python3.11-dbg is not installed "
                    "(apt-get install python3.11-dbg; .ci/run installs it)")
def test_the_declarations_of_cpython_are_pyelftools():
    assert _compare(PYTHON_DBG) > 10_000


def test_a_table_cut_short_is_a_dwarf_error(tmp_path):
    """The last declaration's attribute list loses its closing zeros."""
    binary = sample("count")
    with open(binary, "rb") as file:
        elf = ELFFile(file)
        section = elf.get_section_by_name(".debug_abbrev")
        start, size = section["sh_offset"], section["sh_size"]
    data = bytearray(binary.read_bytes())
    data[start + size - 3 : start + size] = b"\x81\x81\x81"
    damaged = tmp_path / "count"
    damaged.write_bytes(bytes(data))
    with open(damaged, "rb") as file:
        dwarf = ELFFile(file).get_dwarf_info(relocate_dwarf_sections=False)
        decode_abbrevs_ourselves(dwarf)
        unit = next(dwarf.iter_CUs())
        with pytest.raises(DWARFError):
            unit.get_top_DIE()


def _facts_agree(path: Path) -> int:
    """Each CU's facts by skimming and through pyelftools' DIEs; the CUs compared."""
    with open(path, "rb") as file:
        dwarf = ELFFile(file).get_dwarf_info(relocate_dwarf_sections=False)
        decode_abbrevs_ourselves(dwarf)
        units = 0
        for unit in dwarf.iter_CUs():
            scopes = UnitScopes(dwarf, unit, {})
            functions = [scopes.die_offset(f) for f in scopes.functions]
            skimmed = inlinefacts._by_skimming(dwarf, unit, functions, scopes._gcc)
            read = inlinefacts._by_dies(scopes.reader, functions, scopes._gcc)
            assert skimmed == read, unit.cu_offset
            units += 1
    return units


@pytest.mark.parametrize("build", BUILDS)
def test_the_skimmed_facts_are_those_of_the_dies(build):
    assert _facts_agree(sample("two_files", BUILDS[build])) == 2


@pytest.mark.slow
@pytest.mark.skipif(not PYTHON_DBG.exists(), reason="python3.11-dbg is not installed "
                    "(apt-get install python3.11-dbg; .ci/run installs it)")
def test_the_skimmed_facts_of_cpython_are_those_of_the_dies():
    assert _facts_agree(PYTHON_DBG) > 150


def _functions_agree(path: Path) -> tuple[int, int]:
    """Each CU's out-of-line functions from the skim of its top-level DIEs and from
    pyelftools' DIEs: (functions settled by the skim, functions left to pyelftools)."""
    settled = unsettled = 0
    with open(path, "rb") as file:
        dwarf = ELFFile(file).get_dwarf_info(relocate_dwarf_sections=False)
        decode_abbrevs_ourselves(dwarf)
        for unit in dwarf.iter_CUs():
            reader = UnitReader(dwarf, unit)
            expected = {die.offset: (tuple(reader.ranges(die)), die_name(die), frame_name(die))
                        for die in unit.get_top_DIE().iter_children()
                        if die.tag == "DW_TAG_subprogram" and reader.ranges(die)}
            found = unit_functions(dwarf, unit)
            assert found is not None, unit.cu_offset
            for function in found:
                assert function.offset in expected
                if function.settled:
                    settled += 1
                    assert (function.ranges, function.name, function.frame_name) == \
                        expected[function.offset], function
                else:
                    unsettled += 1
            assert {f.offset for f in found} == set(expected)
    return settled, unsettled


@pytest.mark.parametrize("build", BUILDS)
def test_the_skimmed_functions_are_those_of_the_dies(build):
    settled, _ = _functions_agree(sample("two_files", BUILDS[build]))
    assert settled >= 2


@pytest.mark.skipif(not PYTHON_DBG.exists(), reason="python3.11-dbg is not installed "
                    "(apt-get install python3.11-dbg; .ci/run installs it)")
def test_the_skimmed_functions_of_cpython_are_those_of_the_dies():
    """Every function of every CU: the skim settles nearly all of them (those whose code
    is split in two by -Og's cold parts have a range list, left to pyelftools)."""
    settled, unsettled = _functions_agree(PYTHON_DBG)
    assert settled > 5000 and unsettled < settled / 10


def test_a_form_the_skim_does_not_read_falls_back_to_the_dies():
    """DW_FORM_indirect (or anything damaged) ends the skim; ``scan`` then reads the
    DIEs, with the same answer."""
    binary = sample("two_files", BUILDS["O2"])
    with open(binary, "rb") as file:
        dwarf = ELFFile(file).get_dwarf_info(relocate_dwarf_sections=False)
        unit = next(dwarf.iter_CUs())
        scopes = UnitScopes(dwarf, unit, {})
        functions = [scopes.die_offset(f) for f in scopes.functions]
        expected = inlinefacts._by_dies(scopes.reader, functions, scopes._gcc)
        declaration = unit.get_abbrev_table().get_abbrev(
            unit.get_top_DIE().iter_children().__next__().abbrev_code)
        declaration["attr_spec"][0].form = "DW_FORM_indirect"
        with pytest.raises(inlinefacts.UnskimmableError):
            inlinefacts._by_skimming(dwarf, unit, functions, scopes._gcc)
        assert inlinefacts.scan(dwarf, scopes.reader, functions, scopes._gcc) == expected


def _line_files_agree(path: Path) -> int:
    """Each CU's line-program directories and files, read by deet and by pyelftools."""
    with open(path, "rb") as file:
        dwarf = ELFFile(file).get_dwarf_info(relocate_dwarf_sections=False)
        compared = 0
        for unit in dwarf.iter_CUs():
            stmt_list = unit.get_top_DIE().attributes.get("DW_AT_stmt_list")
            if stmt_list is None:
                continue
            mine = read_line_files(dwarf, stmt_list.value)
            header = dwarf.line_program_for_CU(unit).header
            assert mine.version == header["version"]
            assert mine.directories == list(header["include_directory"])
            assert [(entry.name, entry.dir_index) for entry in mine.files] == \
                [(entry.name, entry.dir_index) for entry in header["file_entry"]]
            compared += 1
    return compared


@pytest.mark.parametrize("build", [*BUILDS, "dwarf2"])
def test_the_line_files_are_pyelftools(build):
    flags = ("-O0", "-g", "-gdwarf-2") if build == "dwarf2" else BUILDS[build]
    assert _line_files_agree(sample("two_files", flags)) == 2


@pytest.mark.skipif(not PYTHON_DBG.exists(), reason="python3.11-dbg is not installed "
                    "(apt-get install python3.11-dbg; .ci/run installs it)")
def test_the_line_files_of_cpython_are_pyelftools():
    assert _line_files_agree(PYTHON_DBG) > 150


def _libc_debug_file() -> Path | None:
    """libc's separate debug file, whose DWARF sections are compressed (SHF_COMPRESSED)."""
    with open("/lib/x86_64-linux-gnu/libc.so.6", "rb") as file:
        identity = build_id(ElfHeaders(file))
    if identity is None:
        return None
    path = Path(f"/usr/lib/debug/.build-id/{identity[:2]}/{identity[2:]}.debug")
    return path if path.exists() else None


@pytest.mark.parametrize("which", ["sample", "python3.11d", "libc debug file"])
def test_the_sections_read_when_first_used_are_pyelftools(which):
    """Each DWARF section deet reads on first use holds the bytes and size pyelftools'
    eager reader gives, inflated where the file compresses it."""
    path = {"sample": lambda: sample("two_files", BUILDS["pie"]),
            "python3.11d": lambda: PYTHON_DBG if PYTHON_DBG.exists() else None,
            "libc debug file": _libc_debug_file}[which]()
    if path is None:
        pytest.skip(f"no {which} here (apt-get install python3.11-dbg libc6-dbg)")
    with open(path, "rb") as theirs_file, open(path, "rb") as mine_file:
        theirs = ELFFile(theirs_file).get_dwarf_info(relocate_dwarf_sections=False)
        mine = dwarf_info(ELFFile(mine_file), ElfHeaders(mine_file))
        compared = 0
        for name in vars(theirs):
            their_section = getattr(theirs, name)
            if not name.endswith("_sec") or their_section is None:
                assert not name.endswith("_sec") or getattr(mine, name) is None
                continue
            my_section = getattr(mine, name)
            assert (my_section.name, my_section.size, my_section.address) == \
                (their_section.name, their_section.size, their_section.address)
            assert my_section.stream.getvalue() == their_section.stream.getvalue()
            compared += 1
    assert compared >= 5


@pytest.mark.parametrize("which", ["sample", "python3.11d", "libc", "libc debug file"])
def test_the_headers_read_with_struct_are_pyelftools(which):
    """Section headers by name, segments and the build-id as pyelftools reads them."""
    path = {"sample": lambda: sample("two_files", BUILDS["pie"]),
            "python3.11d": lambda: PYTHON_DBG if PYTHON_DBG.exists() else None,
            "libc": lambda: Path("/lib/x86_64-linux-gnu/libc.so.6"),
            "libc debug file": _libc_debug_file}[which]()
    if path is None:
        pytest.skip(f"no {which} here (apt-get install python3.11-dbg libc6-dbg)")
    with open(path, "rb") as file:
        elf, headers = ELFFile(file), ElfHeaders(file)
        sections = {s.name: (s["sh_offset"], s["sh_size"], s["sh_addr"], s["sh_flags"])
                    for s in elf.iter_sections()}
        assert {name: (h.offset, h.size, h.address, h.flags)
                for name, h in headers._sections.items()} == sections
        assert [(s.offset, s.address, s.file_size, s.memory_size) for s in headers.segments] \
            == [(s["p_offset"], s["p_vaddr"], s["p_filesz"], s["p_memsz"])
                for s in elf.iter_segments()]
        notes = elf.get_section_by_name(".note.gnu.build-id")
        theirs = next(n["n_desc"] for n in notes.iter_notes()
                      if n["n_type"] == "NT_GNU_BUILD_ID")
        assert build_id(headers) == theirs
        assert (headers.entry, headers.type == 3) == (elf["e_entry"], elf["e_type"] == "ET_DYN")
