"""Programs built the ways people build them — the course flags, plain ``gcc -g`` (a PIE),
``gcc -O2 -g``, and without frame pointers — with shared libraries, signal handlers and
inlined code. Every scenario runs the same commands in deet and in gdb and compares each
backtrace frame by frame (function, file, line)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time

import pexpect
import pytest
from support import (
    COURSE_FLAGS,
    PROGRAMS,
    GdbFrame,
    build,
    deet_script,
    gdb_batch,
    program,
    same_file,
    sample,
)

from deet.debuginfo import DebugInfo

BUILDS = {
    "course": COURSE_FLAGS,
    "pie": ("-g",),
    "O2": ("-O2", "-g"),
    "no-frame-pointer": ("-O0", "-g", "-fomit-frame-pointer"),
}
PIE_BASE = 0x555555554000  # where a PIE loads with ASLR off, in deet and gdb alike

_GDB_FRAME = re.compile(
    r"^#(\d+)\s+(?:0x[0-9a-f]+ in )?(\S+) \(.*\)(?: at (\S+):(\d+))?(?: from \S+)?$"
)
_GDB_SIGNAL_FRAME = re.compile(r"^#(\d+)\s+<signal handler called>$")
_DEET_FRAME = re.compile(r"^(\S+) \((?:(.+):(\d+)|[^()]*)\)$")
SIGNAL_FRAME = GdbFrame("<signal handler called>", None, None)
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def gdb_backtraces(text: str) -> list[list[GdbFrame]]:
    """Each ``bt`` in gdb's output, as frames; a new backtrace starts at frame #0."""
    traces: list[list[GdbFrame]] = []
    for line in text.splitlines():
        line = line.strip()
        if match := _GDB_SIGNAL_FRAME.match(line):
            frame, index = SIGNAL_FRAME, int(match[1])
        elif match := _GDB_FRAME.match(line):
            frame = GdbFrame(match[2], match[3], int(match[4]) if match[4] else None)
            index = int(match[1])
        else:
            continue
        if index == 0:
            traces.append([])
        traces[-1].append(frame)
    return traces


def deet_backtraces(lines: list[str]) -> list[list[GdbFrame]]:
    """Each backtrace in deet's output: a run of frame lines."""
    traces: list[list[GdbFrame]] = []
    previous_was_frame = False
    for line in lines:
        if line == "<signal handler called>":
            frame = SIGNAL_FRAME
        elif match := _DEET_FRAME.match(line):
            frame = GdbFrame(match[1], match[2], int(match[3]) if match[3] else None)
        else:
            previous_was_frame = False
            continue
        if not previous_was_frame:
            traces.append([])
        traces[-1].append(frame)
        previous_was_frame = True
    return traces


def assert_same_backtraces(deet: list[list[GdbFrame]], gdb: list[list[GdbFrame]]) -> None:
    assert len(deet) == len(gdb), f"deet took {len(deet)} backtraces, gdb {len(gdb)}"
    for index, (ours, theirs) in enumerate(zip(deet, gdb, strict=True)):
        message = f"backtrace {index}:\n deet: {ours}\n gdb:  {theirs}"
        assert [f.function for f in ours] == [f.function for f in theirs], message
        assert [f.line for f in ours] == [f.line for f in theirs], message
        assert all(same_file(a.file, b.file) for a, b in zip(ours, theirs, strict=True)), message


def compare_with_gdb(binary, commands: list[str], *, expect_stops: bool = True) -> None:
    """Run ``commands`` (the same text is valid in both debuggers) and compare backtraces."""
    deet = deet_script(binary, "\n".join(commands) + "\n")
    assert "Traceback" not in deet.stderr, deet.stderr
    gdb = gdb_batch(binary, *commands)
    assert_same_backtraces(deet_backtraces(deet.lines), gdb_backtraces(gdb))
    assert bool(deet_backtraces(deet.lines)) == expect_stops, deet.stdout


SCENARIOS = {
    "segfault": ("segfault", ["break func1", "break func2", "run", "bt", "continue", "bt",
                              "continue", "bt"]),
    "function_calls": ("function_calls", ["break add", "break print_global", "run", "bt",
                                          "continue", "bt"]),
    "recursion": ("recursion", ["break factorial", "run", "bt", "continue", "bt", "continue",
                                "bt"]),
    "two_files": ("two_files", ["break helper", "break shout", "run", "bt", "continue", "bt",
                                "continue", "bt"]),
}


# gcc -O2 computes factorial(5) at compile time: no call is left to stop in.
FOLDED_AWAY = {("recursion", "O2")}


@pytest.mark.parametrize("build_name", BUILDS)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_breakpoints_and_backtraces_agree_with_gdb(scenario, build_name):
    name, commands = SCENARIOS[scenario]
    compare_with_gdb(sample(name, BUILDS[build_name]), commands,
                     expect_stops=(scenario, build_name) not in FOLDED_AWAY)


def _live_address(binary, link_address: int) -> int:
    return link_address + (PIE_BASE if DebugInfo(str(binary)).is_pie else 0)


@pytest.mark.parametrize("build_name", BUILDS)
def test_backtrace_at_the_first_instruction_of_a_function(build_name):
    """%rbp still belongs to the caller here: only CFI finds every frame."""
    binary = sample("segfault", BUILDS[build_name])
    func2 = DebugInfo(str(binary)).symbols.named("func2")[0]
    address = _live_address(binary, func2.address)
    compare_with_gdb(binary, [f"break *{address:#x}", "run", "bt"])


@pytest.mark.parametrize("build_name", BUILDS)
def test_backtrace_through_a_signal_handler(build_name):
    binary = program("handler", BUILDS[build_name])
    compare_with_gdb(binary, ["break note", "run", "bt", "continue", "bt"])


def test_inlined_functions_show_as_frames():
    binary = program("inlining", BUILDS["O2"])
    compare_with_gdb(binary, ["break report", "run", "bt", "continue", "bt"])
    compare_with_gdb(sample("segfault", BUILDS["O2"]), ["break func2", "run", "bt", "continue",
                                                        "bt", "continue", "bt"])


def test_breakpoint_on_a_function_gdb_sees_inlined_lists_every_copy():
    binary = sample("segfault", BUILDS["O2"])
    out = gdb_batch(binary, "break func1", "break func2", "info breakpoints")
    for number, name in ((1, "func1"), (2, "func2")):
        gdb_addresses = sorted(
            int(address, 16)
            for address in re.findall(rf"^{number}\.\d+\s+y\s+(0x[0-9a-f]+)", out, re.M)
        )
        run = deet_script(binary, f"break {name}\n")
        addresses = sorted(int(a, 16) for a in re.findall(r"0x[0-9a-f]+", run.lines[0]))
        assert addresses == gdb_addresses, (run.lines[0], out)


def test_pie_breakpoints_before_run_resolve_at_the_load_address():
    binary = sample("function_calls", BUILDS["pie"])
    link = DebugInfo(str(binary)).function_breakpoints("add")[0].address
    run = deet_script(binary, "break add\nrun\nbreak compute\n")
    assert run.lines[0] == f"Set breakpoint 0 at {link:#x}"
    assert run.lines[-2].startswith(f"Set breakpoint 1 at {PIE_BASE:#x}"[:-4])
    assert "Child stopped (signal SIGTRAP)" in run.lines


@pytest.mark.parametrize("build_name", ["course", "pie", "O2"])
def test_ctrl_c_during_sleep_shows_libc_frames_like_gdb(build_name, pty_session):
    binary = sample("sleepy_print", BUILDS[build_name])
    child = pty_session(binary)
    child.expect(r"\(deet\)")
    child.sendline("run 30")
    child.expect_exact("0\r\n")
    child.sendintr()
    child.expect_exact("Child stopped (signal SIGINT)")
    child.expect(r"\(deet\)")
    child.sendline("bt")
    child.expect(r"\nmain \([^\r]*\r\n")
    screen = _ANSI_ESCAPE.sub("", child.before + child.after).replace("\r", "")
    ours = deet_backtraces([line.strip() for line in screen.splitlines()])
    child.sendline("quit")
    child.expect(pexpect.EOF)
    assert_same_backtraces(ours, [_gdb_backtrace_after_sigint(binary)])
    assert any(frame.function == "main" for frame in ours[0])
    assert len(ours[0]) > 2, "libc frames are shown"


def _gdb_backtrace_after_sigint(binary) -> list[GdbFrame]:
    """gdb runs the program; SIGINT is sent to the program, as the terminal would."""
    gdb = subprocess.Popen(
        ["gdb", "-nx", "-batch", "-ex", "set startup-with-shell off", "-ex", "run",
         "-ex", "bt", "--args", str(binary), "30"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
    )
    assert gdb.stdout is not None
    while gdb.stdout.readline().strip() != "0":
        pass
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        children = subprocess.run(["pgrep", "-P", str(gdb.pid)], capture_output=True,
                                  text=True).stdout.split()
        if children:
            os.kill(int(children[0]), signal.SIGINT)
            break
        time.sleep(0.05)
    out, _ = gdb.communicate(timeout=60)
    (trace,) = gdb_backtraces(out)
    return trace


@pytest.fixture(scope="module")
def plugin_builds():
    host = build([PROGRAMS / "plugin" / "host.c"], ("-g",), "host")
    with_debug = _shared_library("plugin-g", ("-g",))
    without_debug = _shared_library("plugin-nodebug", ())
    return host, with_debug, without_debug


def _shared_library(name: str, flags: tuple[str, ...]):
    return build([PROGRAMS / "plugin" / "plugin.c"], ("-shared", "-fPIC", *flags), name)


def test_pending_breakpoint_in_a_library_loaded_with_dlopen(plugin_builds):
    host, library, _ = plugin_builds
    commands = ["set breakpoint pending on", "break plugin_work", f"run {library}", "bt",
                "info sharedlibrary"]
    run = deet_script(host, "\n".join(commands) + "\n")
    assert run.lines[0] == "Set breakpoint 0 at plugin_work (pending)"
    assert any(line.endswith(f"Yes         {library}") for line in run.lines), run.stdout
    gdb = gdb_batch(host, *commands)
    assert_same_backtraces(deet_backtraces(run.lines), gdb_backtraces(gdb))


def test_frames_in_a_library_without_debug_info_are_named_by_its_symbols(plugin_builds):
    host, _, library = plugin_builds
    run = deet_script(host, f"set breakpoint pending on\nbreak plugin_work\nrun {library}\nbt\n"
                            "info sharedlibrary\n")
    (trace,) = deet_backtraces(run.lines)
    assert trace[0] == GdbFrame("plugin_work", None, None)
    assert f"plugin_work ({os.path.basename(library)})" in run.lines
    assert any(line.endswith(f"Yes (*)     {library}") for line in run.lines), run.stdout
    assert "(*): Shared library is missing debugging information." in run.lines


def test_break_on_a_libc_function_the_program_imports():
    binary = sample("sleepy_print", BUILDS["pie"])
    run = deet_script(binary, "break sleep\nrun 3\nbt\n")
    assert run.lines[0] == "Set breakpoint 0 at sleep (pending)"
    gdb = gdb_batch(binary, "set breakpoint pending on", "break sleep", "run 3", "bt")
    assert_same_backtraces(deet_backtraces(run.lines), gdb_backtraces(gdb))


def test_pending_breakpoints_follow_gdbs_setting():
    binary = sample("sleepy_print", BUILDS["pie"])
    run = deet_script(binary, "break nosuch\nset breakpoint pending on\nbreak nosuch\n"
                              "set breakpoint pending off\nbreak sleep\nshow breakpoint pending\n")
    assert run.lines == [
        'Function "nosuch" not defined.',
        "Set breakpoint 0 at nosuch (pending)",
        'Function "sleep" not defined.',
        "breakpoint pending: off",
    ]


def test_units_found_by_their_ranges_when_there_is_no_aranges_index(tmp_path):
    """clang emits no .debug_aranges; at -O2 gcc's units are described by DW_AT_ranges."""
    binary = tmp_path / "no-aranges"
    subprocess.run(["objcopy", "--remove-section", ".debug_aranges",
                    str(sample("segfault", BUILDS["O2"])), str(binary)], check=True)
    compare_with_gdb(binary, ["break func2", "run", "bt", "continue", "bt"])
