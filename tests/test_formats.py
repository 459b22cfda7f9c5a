"""gdb's output-format letters, written once (deet/render/formats.py) for ``print/FMT`` and
``x/FMT``: the places where the two commands differ are pinned here, since the gdb
comparisons run only a few of the letters."""

from __future__ import annotations

import pytest

from deet import render, results
from deet.results import shown

INT_5 = shown.Scalar(5, size=4)


@pytest.mark.parametrize(("fmt", "value", "wanted"), [
    ("x", INT_5, "0x5"),
    ("z", INT_5, "0x00000005"),
    ("o", shown.Scalar(8), "010"),
    ("o", shown.Scalar(0), "0"),
    ("t", INT_5, "101"),
    ("d", shown.Scalar(0xFFFFFFFF), "-1"),
    ("u", shown.Scalar(-1), "4294967295"),
    ("c", shown.Scalar(65), "65 'A'"),
    ("c", shown.Scalar(0x1C8), "-56 '\\310'"),
    ("a", INT_5, "0x5"),
    ("a", shown.Pointer("int (*)(void)", 0x401136, "main"), "0x401136 <main>"),
    ("x", shown.Pointer("int (*)(void)", 0x401136, "main"), "0x401136"),
])
def test_print_formats_do_not_pad(fmt, value, wanted):
    assert render.text(results.Printed(1, value, fmt)) == f"$1 = {wanted}"


@pytest.mark.parametrize(("fmt", "size", "wanted"), [
    ("x", 4, "0x00000005"),
    ("x", 1, "0x05"),
    ("t", 1, "00000101"),
    ("o", 2, "05"),
    ("d", 1, "5"),
    ("u", 8, "5"),
])
def test_x_pads_hex_and_binary_to_the_unit(fmt, size, wanted):
    examined = results.Examined(fmt, size, (results.MemoryRow(0x404018, "buf", (5,)),))
    assert render.text(examined) == f"0x404018 <buf>:\t{wanted}"


def test_x_signed_units_characters_and_addresses():
    def line(fmt: str, size: int, items: tuple[int, ...], symbols=()) -> str:
        row = results.MemoryRow(0x404018, None, items, symbols=symbols)
        return render.text(results.Examined(fmt, size, (row,)))

    assert line("d", 2, (0xFFFE,)) == "0x404018:\t-2"
    assert line("c", 1, (10, 0xC8)) == "0x404018:\t10 '\\n'\t-56 '\\310'"
    assert line("a", 8, (0x401136, 0x10), ("main", None)) == "0x404018:\t0x401136 <main>\t0x10"
