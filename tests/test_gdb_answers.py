"""The answers gdb gives, point by point, on programs built the ways students build them:
PIE globals and statics, calls through pointers, inlined frames, entry values, synthetic
pointers, file names as compiled, charset rules, pointers into libraries, finish through
typedefs, x87 values the FPU refuses.

Each test runs one scripted session in deet and in gdb and compares every inspecting
command's output (tests/differential.py cuts each command's output out of the session).
"""

from __future__ import annotations

import pytest
from differential import SCRIPTED, Workload, compare_session
from support import build, have_gdb, program

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")

PIE = ("-g",)
OPTIMISED = ("-O2", "-g")


def _agree(binary, commands: list[str], args: tuple[str, ...] = (), least: int = 1) -> None:
    sweep = compare_session(Workload(binary, args), commands, SCRIPTED)
    assert [str(difference) for difference in sweep.differences] == []
    assert sweep.checks >= least


def test_a_pie_s_globals_and_statics_are_read_where_it_was_loaded():
    binary = program("pie_statics", PIE)
    _agree(binary, ["break bump", "run", "print counter", "print name", "info locals",
                    "print &counter", "print bump", "up", "info locals", "print through",
                    "print *through"], least=9)


def test_next_steps_over_a_call_through_a_pointer():
    for flags in (PIE, OPTIMISED):
        binary = program("pie_statics", flags)
        _agree(binary, ["break main", "run", "next", "next", "next", "info locals",
                        "print counter"], least=4)


@pytest.mark.parametrize("flags", [("-O0", "-g", "-no-pie", "-fno-omit-frame-pointer"),
                                   OPTIMISED], ids=["always_inline", "O2"])
def test_inlined_calls_are_frames_with_their_own_variables(flags):
    binary = program("inline_frames", flags)
    _agree(binary, ["break twice", "run", "bt", "info args", "info locals", "up", "info args",
                    "info locals", "up", "info locals", "frame 0", "finish", "bt", "next",
                    "next", "next", "step", "bt", "step", "step"], least=15)
    _agree(binary, ["break outer", "run", "bt", "info locals", "next", "step", "bt",
                    "info args", "up", "info locals", "down", "finish"], least=8)


def test_entry_values_and_a_stop_at_the_start_of_inlined_code():
    binary = program("inline_frames", OPTIMISED)
    _agree(binary, ["break outer", "run", "bt", "frame", "info args", "print n", "next",
                    "bt"], least=5)


def test_a_synthetic_pointer_is_shown_as_gdb_shows_it_and_can_be_followed():
    binary = program("synthetic_pointer", OPTIMISED)
    _agree(binary, ["break sink", "run", "bt", "up", "info args", "print p", "print *p",
                    "print p->b", "print &p->a", "frame 2", "info locals"], least=8)


def test_strings_follow_gdb_s_charset_rules():
    binary = program("charsets", PIE)
    names = ["lone_lead", "unfinished", "two_byte_lead", "never_valid", "continuation",
             "inside", "surrogate", "after_escape", "after_repeats", "after_invalid",
             "only_lead", "pointed", "wide", "wide_array", "sixteen", "thirty_two",
             "*wide", "wide[1]", "wide_array[3]", "no_wide", "wide_member"]
    _agree(binary, ["break main", "run", *(f"print {name}" for name in names)],
           least=len(names))


def test_pointers_into_the_c_library_are_named_and_an_unnormal_is_refused():
    binary = program("library_pointers", PIE)
    _agree(binary, ["break 16", "run", "next", "print allocate", "print out",
                    "print *out", "print jumps", "info symbol jumps", "print unnormal",
                    "print &unnormal"], least=7)


def test_finish_shows_the_value_as_the_type_its_typedef_names(tmp_path):
    source = tmp_path / "typedefs.c"
    source.write_text(
        "#include <stdlib.h>\n"
        "struct node { int value; struct node *next; };\n"
        "typedef struct node *link;\n"
        "typedef unsigned long count_t;\n"
        "link make(int value) { link n = calloc(1, sizeof *n); n->value = value;"
        " return n; }\n"
        "count_t size(link n) { count_t c = 0; for (; n; n = n->next) c++; return c; }\n"
        "int main(void) { link n = make(3); return (int)size(n) - 1; }\n")
    binary = build([source], PIE)
    _agree(binary, ["break make", "break size", "run", "finish", "continue", "finish"],
           least=2)


def test_a_frame_in_a_function_s_cold_part_has_its_entry_values():
    binary = program("cold_part", OPTIMISED)
    _agree(binary, ["break report", "run", "bt", "up", "info args", "print value",
                    "finish"], least=4)


def test_entry_values_reached_through_a_tail_call_come_from_the_tail_call_site():
    """After a failed assert, glibc's __pthread_kill_internal tail-calls the
    implementation: its signo@entry comes from that jmp's call site, evaluated with
    raise's registers, and that site's own entry value from raise's call."""
    binary = program("aborts", PIE)
    _agree(binary, ["run", "frame", "info args"], least=2)


def test_an_entry_value_passed_as_a_typed_constant_in_a_vector_register():
    """``scale(2.5, n)`` at -O2: the call site's value for %xmm0 is DW_OP_const_type (the
    double's bytes), so gdb shows ``factor=factor@entry=2.5`` (deet showed no entry value;
    found in Lua's ``luaL_checkversion_(L, 504.0, ...)``)."""
    binary = program("float_entry", OPTIMISED)
    _agree(binary, ["break scale", "run", "bt", "frame", "info args", "finish"], least=3)


def test_break_func_takes_the_dynamic_loaders_function_of_that_name_from_the_start():
    """gdb reads the dynamic loader at the first instruction, so ``break check_match``
    also stops in ld.so's own check_match while it links the program (where its debug
    info is installed); deet added the loader's definitions only at its first report."""
    binary = program("loader_names", PIE)
    # (No backtrace there: past ld.so's _start gdb unwinds into garbage frames.)
    _agree(binary, ["break check_match", "run", "frame", "delete",
                    "break loader_names.c:check_match", "continue", "bt", "info args"],
           least=3)
    # FILE:FUNC is the program's FILE only: the loader's check_match is not taken.
    _agree(binary, ["break loader_names.c:check_match", "run", "bt", "info args"], least=2)


@pytest.mark.parametrize("flags", [("-O0", "-g"), OPTIMISED], ids=["always_inline", "O2"])
def test_a_static_local_of_an_inlined_function_is_read_at_its_address(flags):
    """gcc gives an inlined copy no DIE for a static local: the abstract origin's, with
    its address, stands for it, as in gdb (deet showed ``<optimized out>``; found in
    ld.so's ``rfv``, a static of the inlined ``dl_vdso_vsym``)."""
    binary = program("inline_statics", flags)
    _agree(binary, ["break counted", "run", "info locals", "print calls", "print label",
                    "continue", "info locals", "print calls"], least=5)


def test_a_constant_given_as_bytes_is_not_among_the_locals_as_in_gdb():
    """gdb's ``info locals`` leaves out a local whose DW_AT_const_value is a block
    (LOC_CONST_BYTES), though ``print`` shows it; an integer constant is listed (found in
    CPython's ``_PyTime_FromSeconds``, whose ``__PRETTY_FUNCTION__`` is one). A char
    array with bytes optimised out is shown element by element, as gdb shows it."""
    binary = program("const_locals", OPTIMISED)
    _agree(binary, ["break pick", "run", "info locals", "print p", "print wide", "print word"],
           least=4)


def test_a_parameter_the_compiler_dropped_is_what_the_call_site_says_it_was():
    """A DW_OP_GNU_parameter_ref is answered from the caller's call site parameter for
    that DIE (DW_AT_call_parameter), as gdb answers it, and is ``<optimized out>`` where
    the call site says nothing; deet refused the operation (found in Lua's
    ``adjust_assign``, whose ``ls`` gcc replaced by ``ls->fs``)."""
    binary = program("dropped_params", OPTIMISED)
    _agree(binary, ["break deepen", "break measure", "run", "info args", "print *s", "frame",
                    "continue", "info args", "print s", "frame"], least=6)
