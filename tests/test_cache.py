"""The debug-info cache and the lazy paths it serves: a second session answers from the
cache without reading DWARF; a missing, corrupt, stale or other-format cache is ignored
and rebuilt; a breakpoint in the last CU of a many-CU program reads that CU alone."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from support import BUILD_DIR, ROOT, build, deet_script, program, sample

from deet.debuginfo import DebugInfo
from deet.debuginfo.cache import FORMAT, cache_dir


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory of this test's own."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("DEET_CACHE_DIR", str(directory))
    return directory


def _answers(binary: Path) -> tuple:
    """What a session asks at a breakpoint stop, and whether DWARF had to be read."""
    info = DebugInfo(str(binary))
    try:
        found = info.function_breakpoints("add")
        address = found[0].address
        answers = (found, info.location_for(address), info.frame_function(address),
                   info.function_at(address))
        return answers, info._dwarf_info is not None
    finally:
        info.close()


def _only_file(directory: Path) -> Path:
    files = list(directory.glob("*.marshal"))
    assert len(files) == 1, files
    return files[0]


def test_missing_cache_is_built_and_the_next_session_reads_no_dwarf(cache: Path):
    binary = sample("function_calls")
    first, read_dwarf = _answers(binary)
    assert read_dwarf
    assert _only_file(cache).name.startswith("build-id-")
    second, read_dwarf = _answers(binary)
    assert second == first
    assert not read_dwarf


def test_corrupt_cache_is_ignored_and_rebuilt(cache: Path):
    binary = sample("function_calls")
    expected, _ = _answers(binary)
    path = _only_file(cache)
    path.write_bytes(path.read_bytes()[:100] + b"\xff garbage")
    answers, read_dwarf = _answers(binary)
    assert answers == expected
    assert read_dwarf
    assert _answers(binary) == (expected, False)


def _rewrite(path: Path, change) -> None:
    """Apply ``change`` to the cache's parts and write it back with a valid checksum, as
    deet itself would have: what is left to catch is the structure."""
    data = marshal.loads(path.read_bytes())
    parts = marshal.loads(data["parts"])
    change(parts)
    blob = marshal.dumps(parts)
    path.write_bytes(marshal.dumps({**data, "parts": blob,
                                    "crc32": zlib.crc32(blob)}))


def test_cache_whose_parts_disagree_is_not_trusted(cache: Path):
    """Well-formed marshal of the right format, key and checksum, but columns of unequal
    length."""
    binary = sample("function_calls")
    expected, _ = _answers(binary)

    def unequal(parts: dict) -> None:
        for name, columns in parts.items():
            if name.startswith(("symbols-", "lines-", "functions-")):
                broken = list(columns)
                broken[1] = broken[1][:-1]
                parts[name] = tuple(broken)

    _rewrite(_only_file(cache), unequal)
    answers, _ = _answers(binary)
    assert answers == expected


def test_an_altered_cache_is_rebuilt_never_used(cache: Path):
    """One address changed in a well-formed cache (what a flipped byte can do) would move a
    breakpoint: the checksum catches it and the cache is rebuilt from the DWARF."""
    binary = sample("function_calls")
    expected, _ = _answers(binary)
    path = _only_file(cache)
    data = marshal.loads(path.read_bytes())
    parts = marshal.loads(data["parts"])
    name = next(n for n in parts if n.startswith("symbols-"))
    columns = list(parts[name])
    columns[1] = [start + 1 for start in columns[1]]
    parts[name] = tuple(columns)
    path.write_bytes(marshal.dumps({**data, "parts": marshal.dumps(parts)}))
    assert _answers(binary) == (expected, True)
    assert _answers(binary) == (expected, False)


def test_a_symlinked_cache_directory_is_not_used(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "link"
    link.symlink_to(elsewhere)
    monkeypatch.setenv("DEET_CACHE_DIR", str(link))
    binary = sample("function_calls")
    expected, _ = _answers(binary)
    assert list(elsewhere.iterdir()) == []
    assert _answers(binary) == (expected, True)


def test_a_cache_file_that_is_a_symlink_or_not_the_users_is_not_read(cache: Path,
                                                                     tmp_path: Path):
    binary = sample("function_calls")
    expected, _ = _answers(binary)
    path = _only_file(cache)
    moved = tmp_path / "real.marshal"
    path.rename(moved)
    path.symlink_to(moved)
    assert _answers(binary) == (expected, True)
    assert not path.is_symlink()  # replaced by a file of deet's own
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)
        assert _answers(binary) == (expected, True)


def test_stale_cache_of_another_binary_or_format_is_ignored(cache: Path):
    """A cache file that names another binary inside, or an older format, is rebuilt."""
    other = sample("function_calls", ("-O0", "-g", "-no-pie", "-gdwarf-4"))
    binary = sample("function_calls")
    expected, _ = _answers(binary)
    path = _only_file(cache)
    wrong_key = marshal.loads(path.read_bytes())
    _answers(other)
    other_data = marshal.loads(next(p for p in cache.glob("*.marshal") if p != path).read_bytes())
    path.write_bytes(marshal.dumps({**other_data, "key": wrong_key["key"] + "-not"}))
    assert _answers(binary)[0] == expected
    data = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps({**data, "format": FORMAT + 1}))
    assert _answers(binary) == (expected, True)


def test_without_build_id_the_key_follows_the_file(cache: Path, tmp_path: Path):
    """No build-id: size and mtime key the cache, so a rebuilt file is not served the old
    file's answers."""
    source = tmp_path / "f.c"
    binary = tmp_path / "f"
    flags = ["-O0", "-g", "-no-pie", "-Wl,--build-id=none"]
    source.write_text("int add(int a, int b) { return a + b; }\n"
                      "int main(void) { return add(1, 2); }\n")
    subprocess.run(["gcc", *flags, "-o", str(binary), str(source)], check=True)
    first, _ = _answers(binary)
    assert _only_file(cache).name.startswith("file-")
    source.write_text("\n\n\nint add(int a, int b)\n{\n  return a + b;\n}\n"
                      "int main(void) { return add(1, 2); }\n")
    subprocess.run(["gcc", *flags, "-o", str(binary), str(source)], check=True)
    os.utime(binary, ns=(1, 1))
    second, read_dwarf = _answers(binary)
    assert read_dwarf
    assert second[1].line != first[1].line


def test_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("DEET_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere")
    assert cache_dir() == "/somewhere/deet"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", "/home/someone")
    assert cache_dir() == "/home/someone/.cache/deet"
    monkeypatch.setenv("DEET_CACHE_DIR", "/explicit")
    assert cache_dir() == "/explicit"


def _many_units(files: int, functions: int) -> tuple[Path, str]:
    """bench/generate.py's program, small: ``files`` CUs, main's call in the last one."""
    directory = BUILD_DIR / f"generated-{files}x{functions}"
    target = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), str(directory),
         "--files", str(files), "--functions", str(functions)],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    return build(sorted(directory.glob("*.c")), name="generated"), target


def test_breakpoint_in_the_last_unit_reads_that_unit_alone(cache: Path):
    binary, target = _many_units(12, 60)
    info = DebugInfo(str(binary))
    try:
        [location] = info.function_breakpoints(target)
        assert location.location.file.endswith("unit_011.c")
        assert info.frame_function(location.address)[0] == target
        assert len(info._tables) == 1
        assert len(info._scopes) <= 1
    finally:
        info.close()
    run = deet_script(binary, f"break {target}\nrun\nbacktrace\n",
                      env={**os.environ, "DEET_CACHE_DIR": str(cache)})
    assert f"{target} (" in run.stdout, run.stdout + run.stderr
    assert "unit_011.c" in run.stdout


def _frame_names(binary: str, addresses: list[int], **options) -> list[tuple]:
    info = DebugInfo(binary, **options)
    try:
        return [info.frame_function(address) for address in addresses]
    finally:
        info.close()


def test_a_warm_session_names_frames_as_a_cold_one(cache: Path):
    """The cached function summaries pick the same function the DIEs do: with inlined
    calls in -O2 code, and among aliases (libc's kill is __GI_kill to gdb)."""
    binary = str(program("inlining", ("-O2", "-g")))
    info = DebugInfo(binary)
    _names, starts, sizes, _reaches = info.symbols.columns()
    info.close()
    addresses = [address for start, size in zip(starts, sizes, strict=True)
                 for address in (start, start + size // 2)]
    cold = _frame_names(binary, addresses)
    assert _frame_names(binary, addresses) == cold
    libc = "/lib/x86_64-linux-gnu/libc.so.6"
    if os.path.exists(libc):
        info = DebugInfo(libc, require_debug_info=False)
        kill = [symbol.address + 1 for symbol in info.symbols.named("kill")]
        info.close()
        cold = _frame_names(libc, kill, require_debug_info=False)
        assert _frame_names(libc, kill, require_debug_info=False) == cold


def test_a_file_line_breakpoint_decodes_that_file_s_unit_alone(cache: Path):
    """``break FILE:LINE`` finds the CUs naming FILE from every CU's file table, cached
    after the first session: only their line tables (and DIEs) are read, cold and warm."""
    binary, _target = _many_units(12, 60)
    sessions = []
    for _ in range(2):
        info = DebugInfo(str(binary))
        try:
            found = info.line_breakpoints("unit_005.c", 3)
            sessions.append([(spot.address, spot.location) for spot in found])
            assert len(info._tables) == 1
            assert len(info._scopes) <= 1
        finally:
            info.close()
    assert sessions[0] == sessions[1]
    assert sessions[0] and sessions[0][0][1].file.endswith("unit_005.c")
    gdb = subprocess.run(["gdb", "-nx", "-batch", "-ex", "break unit_005.c:3", str(binary)],
                         capture_output=True, text=True).stdout
    assert f"0x{sessions[0][0][0]:x}: file " in gdb, gdb
