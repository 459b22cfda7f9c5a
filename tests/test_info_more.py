"""thread apply, info line, info source, info frame and the other status commands, against
gdb."""

from __future__ import annotations

import re
import subprocess

import pytest
from support import (
    COURSE_FLAGS,
    deet_frames,
    deet_script,
    gdb_batch,
    gdb_frames,
    have_gdb,
    program,
    sample,
)
from test_print_vs_gdb import GDB_ENVIRONMENT, deet_environment

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")

_HEADER = re.compile(r"^Thread (\d+) \(.*\):$")


def _by_thread(text: str) -> list[tuple[int, str]]:
    """Each ``Thread N (...):`` header's number and the text under it."""
    parts: list[tuple[int, str]] = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match:
            parts.append((int(match[1]), ""))
        elif parts:
            parts[-1] = (parts[-1][0], parts[-1][1] + line + "\n")
    return parts


def test_thread_apply_all_bt_walks_every_thread_as_gdb():
    # At line 24 the three spinning threads exist, whatever the scheduling.
    target = program("busy_threads")
    deet = deet_script(target, "break 24\nrun\nthread apply all bt\n").stdout
    gdb = gdb_batch(target, "break 24", "run", "thread apply all bt")
    got, want = _by_thread(deet), _by_thread(gdb)
    assert [number for number, _ in got] == [number for number, _ in want] == [4, 3, 2, 1]
    # The main thread stands at the breakpoint; where the others are caught varies.
    assert [f.function for f in deet_frames(got[-1][1].splitlines())] == \
        [f.function for f in gdb_frames(want[-1][1])] == ["main"]
    for _, text in got[:-1]:
        assert deet_frames(text.splitlines())


def test_thread_apply_a_list_runs_the_command_in_each():
    target = sample("threads")
    commands = ["break tick", "run 1", "thread apply 2 1 print 6*7", "thread apply 1-2 info locals",
                "thread"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).stdout
    gdb = gdb_batch(target, *commands, args=("1",))
    got, want = _by_thread(deet), _by_thread(gdb)
    assert [n for n, _ in got] == [n for n, _ in want] == [2, 1, 1, 2]
    # Thread 2 stands at the breakpoint; the main thread may be anywhere in
    # pthread_create or pthread_join, and the two runs catch it in different places.
    texts, expected = [text for _, text in got], [text for _, text in want]
    assert texts[:2] == expected[:2] == ["$1 = 42\n\n", "$2 = 42\n\n"]
    # Thread 2's locals, then what ``thread`` and the end of the session say.
    assert texts[3].splitlines()[0] == expected[3].splitlines()[0]
    assert texts[2] == "No locals.\n\n" or all(
        " = " in line for line in texts[2].splitlines() if line)


def test_thread_apply_errors_are_gdbs():
    target = sample("threads")
    commands = ["break tick", "run 1", "thread apply", "thread apply all", "thread apply 1"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).lines
    gdb = gdb_batch(target, *commands, args=("1",), errors=True).splitlines()
    for line in ("Please specify a thread ID list",
                 "Please specify a command following the thread ID list"):
        assert line in deet and line in gdb


@pytest.mark.parametrize("relative", [False, True], ids=["full-names", "relative-names"])
def test_info_line_is_gdbs(relative):
    """Built with full paths and, as a student types it, ``gcc -g prompt.c`` (gdb then
    names the file ``prompt.c``)."""
    target = program("prompt", relative=relative)
    asked = ["info line", "info line square", "info line 14", "info line 21", "info line 13",
             "info line *0x401130", "info line nosuch", "info line prompt.c:22", "info line 3",
             "up", "info line", "info line *0x10"]
    commands = ["set width 0", "break square", "run", *asked]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands[1:])).lines
    gdb = gdb_batch(target, *commands, errors=True).splitlines()
    wanted = [line for line in gdb if line.startswith(("Line ", "No line", "Function "))]
    assert [line for line in deet if line.startswith(("Line ", "No line", "Function "))] \
        == wanted
    assert len(wanted) == len(asked) - 1


def elf_entry(path) -> int:
    """The entry point from the ELF header (e_entry, at byte 24 of an ELF64 file)."""
    with open(path, "rb") as elf:
        header = elf.read(32)
    return int.from_bytes(header[24:32], "little")


def test_info_line_of_a_function_without_line_information():
    """``_start`` has no line table rows (found by the fuzzer: an internal error). gdb
    names every ``_start`` mapped, the program's and the dynamic loader's, in an order
    that differs between machines (CI's gdb put the loader's first); deet names the
    program's, the ELF entry point."""
    target = program("prompt")
    commands = ["break square", "run", "info line _start"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).lines
    gdb = gdb_batch(target, *commands, errors=True).splitlines()
    mine = [line for line in deet if line.startswith("No line")]
    theirs = [line for line in gdb if line.startswith("No line")]
    assert mine[0] in theirs
    found = re.match(r"^No line number information available for address (0x[0-9a-f]+) "
                     r"<_start>$", mine[0])
    assert found and int(found[1], 16) == elf_entry(target)
    assert len(mine) == 1 and len(theirs) == 2
    assert not [line for line in deet if "internal error" in line]


@pytest.mark.parametrize("steps", [0, 2], ids=["program", "library"])
def test_info_source_is_gdbs(steps):
    """In the program's own file, and in libc's (whose source is not installed: gdb then
    leaves out where it is and its length)."""
    target = sample("function_calls")
    commands = ["info source", "break add", "run", *["step"] * steps, "info source"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).lines
    gdb = gdb_batch(target, *commands, errors=True).splitlines()
    assert deet[0] == gdb[0] == "No current source file."
    start = next(i for i, line in enumerate(gdb) if line.startswith("Current source file"))
    mine = next(i for i, line in enumerate(deet) if line.startswith("Current source file"))
    end = next(i for i, line in enumerate(gdb) if "preprocessor macro info" in line)
    assert deet[mine:mine + end - start + 1] == gdb[start:end + 1]


_SOURCE_INFO = re.compile(r"^(Current source file is |Compilation directory is |Located in |"
                          r"Contains \d+ lines|No current source file)")


def test_info_source_names_the_file_last_listed_or_shown_as_gdb(tmp_path):
    """gdb's current source file is the one last listed or shown under a frame, with the
    name it was compiled under (relative here), before the program runs too."""
    for n in range(3):
        (tmp_path / f"part{n}.c").write_text(f"int part{n}(void) {{\n    return {n};\n}}\n")
    (tmp_path / "main.c").write_text(
        "int part0(void);\nint part1(void);\nint part2(void);\n"
        "int main(void) {\n    return part0() + part1() + part2();\n}\n")
    subprocess.run(["gcc", "-g", "-O0", "-no-pie", "-o", "parts", "part0.c", "part1.c",
                    "part2.c", "main.c"], cwd=tmp_path, check=True)
    target = tmp_path / "parts"
    commands = ["info source", "list part1.c:1,1", "info source", "break part0", "run",
                "info source", "list part2.c:1,1", "info source", "frame", "info source",
                "up", "info source"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).lines
    gdb = gdb_batch(target, *commands, errors=True).splitlines()
    assert [line for line in deet if _SOURCE_INFO.match(line)] == \
        [line for line in gdb if _SOURCE_INFO.match(line)]
    assert "Current source file is part1.c" in deet and "Current source file is main.c" in deet


def test_disassemble_a_named_function_or_an_address_is_gdbs():
    target = program("prompt")
    commands = ["break square", "run", "disassemble sum_to", "disassemble 0x401130",
                "disassemble nosuch"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).lines
    gdb = gdb_batch(target, *commands, errors=True).splitlines()
    start = gdb.index("Dump of assembler code for function sum_to:")
    assert deet[deet.index("Dump of assembler code for function sum_to:"):][:len(gdb) - start] \
        == gdb[start:]


def _frame_infos(text: str) -> list[str]:
    """``info frame``'s lines (its head and the indented lines under it) and the errors
    that stand for it."""
    return [line for line in text.splitlines()
            if line.startswith(("Stack level ", "Stack frame at ", " ", "No stack.",
                                "No frame at level"))]


def _compare_frames(target, commands: list[str]) -> list[str]:
    """deet's and gdb's ``info frame`` lines for ``commands``, with the program given the
    same environment (gdb adds LINES and COLUMNS, which moves the stack)."""
    gdb = gdb_batch(target, *GDB_ENVIRONMENT, *commands, errors=True)
    deet = deet_script(target, "".join(f"{c}\n" for c in commands), env=deet_environment())
    assert _frame_infos(deet.stdout) == _frame_infos(gdb)
    return _frame_infos(gdb)


def test_info_frame_is_gdbs_in_the_prologue_and_up_the_stack():
    """At a function's first instruction (before ``push %rbp``), after it and after
    ``mov %rsp,%rbp``, in main, ``info frame N`` and ``info frame level N`` (which name the
    frame without its level), and past the stack's end."""
    target = program("prompt")
    entry = re.search(r"is a function at address (0x[0-9a-f]+)\.",
                      gdb_batch(target, "info address square"))[1]
    shown = _compare_frames(target, [
        "info frame", f"break *{entry}", "break main", "run", "info frame", "continue",
        "info frame", "stepi", "info frame", "stepi", "info frame", "up 2", "info frame",
        "info frame 1", "info frame level 0", "info frame 7", "down", "info frame"])
    assert shown[0] == "No stack."
    assert "  rip at " in "\n".join(shown) and "Stack frame at " in "\n".join(shown)
    assert len(shown) > 50


def test_info_frame_is_gdbs_in_optimised_library_code():
    """libc's -O2 frames under ``write``: registers saved by the CFI, no frame pointer."""
    shown = _compare_frames(sample("hello"), ["break main", "run", "break write", "continue",
                                               *["info frame", "up"] * 6])
    assert any(line.startswith("  rbx at ") for line in shown)


def test_info_frame_is_gdbs_for_inlined_calls():
    """An inlined call's frame ("inlined into frame N", addresses unknown), innermost
    and above a real frame, and the function it is inlined into."""
    target = program("inlining", ("-O2", "-g"))
    shown = _compare_frames(target, ["break main", "run", "step", "step", "info frame", "up",
                                     "info frame", "step", "info frame", "up", "info frame",
                                     "info frame 2"])
    assert " inlined into frame 1" in shown


def test_info_frame_is_gdbs_around_a_signal_handler():
    """The handler's frames, the kernel's signal frame (glibc's ``__restore_rt``, a symbol
    without a size; every register saved in the sigcontext) and the frame the signal
    interrupted."""
    target = program("handler")
    shown = _compare_frames(target, ["handle SIGUSR1 nostop noprint", "break note", "run",
                                     *["info frame", "up"] * 4])
    assert len([line for line in shown if line.startswith("Stack level")]) == 4
    assert any(" in __restore_rt; saved rip = " in line for line in shown)
    assert any(line.startswith(" Locals at unknown address, Previous frame's sp at ")
               for line in shown)


def test_info_frame_refuses_what_it_cannot_describe():
    """``info frame level`` without N is gdb's error; a frame named by an address or a
    function (gdb's other forms) is refused in deet's words, never taken as the selected
    frame."""
    target = program("prompt")
    commands = ["break square", "run", "info frame foo", "info frame level", "info frame"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).lines
    gdb = gdb_batch(target, *commands, errors=True).splitlines()
    assert 'deet\'s info frame takes a frame level (info frame [level] N), not "foo".' in deet
    error = "Argument required (expression to compute)."
    assert error in gdb and deet[deet.index(error) + 1].startswith("Stack level 0")


SYMBOL_SEARCHES = ["info functions", "info variables", "info functions ^s", "info variables co",
                   "info functions nosuchxyz", "info variables ^(hid|ori)",
                   "info variables ^\\(hid\\|ori\\)", "info fun _start", "info var +",
                   "info functions *a", "info functions [", "info functions a\\)"]


@pytest.mark.parametrize(("name", "flags"), [
    ("expressions", None), ("prompt", None), ("aggregates", None), ("two_files", None),
    ("inlining", ("-O2", "-g")),
], ids=["expressions", "prompt", "aggregates", "two-files", "pie-O2"])
def test_info_functions_and_variables_are_gdbs(name, flags):
    """Before the program runs, gdb knows the program's file alone: its functions and
    variables by file (globals, then statics), the non-debugging symbols (``_start``,
    ``strlen@plt``, a PIE's ``__cxa_finalize@plt``, a function's static ``calls``), gdb's
    basic regular expressions (``(`` and ``|`` plain, ``\\(`` grouping) and its words for
    a bad one."""
    target = sample(name) if name == "two_files" else \
        program(name, flags) if flags else program(name)
    deet = deet_script(target, "".join(f"{c}\n" for c in SYMBOL_SEARCHES)).stdout
    gdb = gdb_batch(target, *SYMBOL_SEARCHES, errors=True)
    assert deet == gdb
    assert "\nNon-debugging symbols:\n0x" in gdb and "Invalid regexp: Unmatched [ or [^" in gdb


def test_info_functions_of_a_running_program_lists_the_programs_own_as_gdb():
    """With the program running gdb lists its libraries' too (libc's debug info, when it
    is installed); deet lists the program's file, which gdb lists the same."""
    target = program("expressions")
    commands = ["break compute", "run", "info functions ^s", "info variables ^[cg]"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).stdout
    gdb = gdb_batch(target, *commands)

    def program_blocks(text: str) -> list[str]:
        return re.findall(r"^File [^\n]*expressions\.c:\n(?:\d+:\t[^\n]*\n)+", text, re.M)

    assert len(program_blocks(gdb)) == 2
    assert program_blocks(deet) == program_blocks(gdb)


def _has_avx512() -> bool:
    with open("/proc/cpuinfo") as cpuinfo:
        return " avx512f" in cpuinfo.read()


@pytest.mark.skipif(not _has_avx512(), reason="the CPU has no AVX-512 mask registers")
def test_info_registers_shows_the_avx512_mask_registers_as_gdb_does():
    """With AVX-512, gdb's ``info registers`` ends with k0-k7 (read from the thread's
    XSAVE area); by name too. Found on an Intel Xeon where deet stopped at ``gs``."""
    target = program("opmask")
    commands = ["break marker", "run", "info registers", "info registers k7 k1"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).lines
    gdb = gdb_batch(target, *commands).splitlines()
    masks = re.compile(r"^k[0-7] +0x")
    mine = [" ".join(line.split()) for line in deet if masks.match(line)]
    assert mine == [" ".join(line.split()) for line in gdb if masks.match(line)]
    assert mine[1] == "k1 0x2222 8738" and mine[8:] == ["k7 0xbeef 48879", "k1 0x2222 8738"]


def _gdb_info_words() -> list[str]:
    """gdb's info subcommands, as its completion lists them."""
    listed = gdb_batch(program("prompt"), "complete info ")
    return [line.split()[1] for line in listed.splitlines() if line.startswith("info ")]


def test_info_prefixes_and_aliases_mean_what_they_mean_in_gdb():
    """``info l`` is ambiguous (line, locals), ``info s`` is ``info stack``, ``info b``
    ``info breakpoints``: gdb's words decide, those of its subcommands deet lacks
    included (``info so``: source, sources). Before the program runs, deet's answer is
    gdb's for each prefix of every gdb word, except where a word of deet's own
    (``info processes``) makes a prefix mean more."""
    words = _gdb_info_words()
    assert len(words) > 60
    # ``info line`` needs a running program in deet (the user guide says so).
    prefixes = sorted({word[:n] for word in words for n in (1, 2, 3)}
                      - {"p", "pr", "pro", "li", "lin"})
    aliases = ["s", "f", "b", "r", "dll", "handle", "h", "br", "wat", "disp", "sh", "si"]
    asked = [*prefixes, *aliases]
    target = program("prompt")
    deet = deet_script(target, "".join(f"echo @@\\n\ninfo {p}\n" for p in asked)).stdout
    gdb = gdb_batch(target, *[c for p in asked for c in ("echo @@\\n", f"info {p}")],
                    errors=True)
    ours = [part.strip().splitlines()[:1] for part in deet.split("@@")[1:]]
    # deet's ``info inferiors`` has no Connection column (it debugs native processes only).
    theirs = [[re.sub(r"Connection +", "", line).rstrip() for line in
               part.strip().splitlines()[:1]] for part in gdb.split("@@")[1:]]
    ambiguous = 0
    for prefix, mine, gdbs in zip(asked, ours, theirs, strict=True):
        if gdbs and gdbs[0].startswith("Ambiguous"):
            ambiguous += 1
            assert mine == gdbs, prefix
        elif mine and not mine[0].startswith("Undefined info command"):
            assert mine == gdbs, (prefix, mine, gdbs)
    assert ambiguous > 20


@pytest.mark.parametrize("flags", [COURSE_FLAGS, ("-O2", "-g")], ids=["course", "O2"])
def test_a_label_without_code_is_listed_with_the_locals_as_gdb_does(flags):
    """gdb makes a goto label with no address an optimized-out symbol of the block:
    ``info locals`` and ``bt full`` list it, ``print`` does not find it (CPython's
    ``exception_unwind`` in ``_PyEval_EvalFrameDefault`` is one); a label with code, or
    an inlined copy whose abstract origin has an address, is not listed."""
    target = program("labels", flags)
    commands = ["break pick", "break checked", "run", "info locals", "bt full", "continue",
                "info locals", "bt full", "print unreachable"]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).lines
    gdb = gdb_batch(target, *commands, errors=True).splitlines()
    variables = re.compile(r"^\s*(\w+ = |No symbol )")
    assert [line.strip() for line in deet if variables.match(line)] == \
        [line.strip() for line in gdb if variables.match(line)]
    assert "unreachable = <optimized out>" in deet
    assert not [line for line in deet if re.match(r"\s*(retry|fail) = ", line)]


@pytest.mark.parametrize("flags", [COURSE_FLAGS, ("-g",)], ids=["course", "pie"])
def test_info_symbol_is_gdbs(flags):
    """Functions, offsets into them, data, an address in no section and one past every
    symbol, before the program runs (the file alone) and while it runs, when gdb names
    each object: the program's, and libc's for its functions (``printf``, not its alias
    ``_IO_printf`` at the same address)."""
    target = sample("function_calls", flags)
    before = ["info symbol compute", "info symbol (char *) compute + 5", "info symbol &global",
              "info symbol 0x10", "info symbol", "info symbol global", "info symbol main"]
    during = ["info symbol compute", "info symbol $pc", "info symbol $sp",
              "info symbol printf", "info symbol (char *) printf + 3", "info symbol malloc",
              "info symbol &global", "info symbol add"]
    commands = [*before, "break compute", "run", *during]
    asked = re.compile(r"^(\S.* in section \S+( of \S+)?|No symbol matches .*|"
                       r"Argument required.*)$")
    deet = [line for line in deet_script(target, "".join(f"{c}\n" for c in commands)).lines
            if asked.match(line)]
    gdb = [line for line in gdb_batch(target, *commands, errors=True).splitlines()
           if asked.match(line)]
    assert deet == gdb
    assert len(deet) == len(before) + len(during)
    assert "printf in section .text of " in "\n".join(deet)
