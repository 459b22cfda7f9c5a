"""--json: the schema in docs/json.md against what deet really prints, and the program's
output captured as events."""

from __future__ import annotations

import functools
import json
import re
import shlex
import subprocess
import tempfile
import typing
from pathlib import Path

import pytest
from support import ROOT, build, deep_typedefs, deet, program, sample

from deet import render, results
from deet.debuginfo import SourceLocation
from deet.results import shown

DOC = ROOT / "docs" / "json.md"
ADDRESS = re.compile(r"0x[0-9a-f]+")
# Fields whose values differ between machines or runs; their types are still checked.
VARYING = {"pid", "pc", "addresses", "file"}


def _doc_sessions() -> list[tuple[str, list[dict]]]:
    """(command line, objects) for each session the doc shows."""
    found = re.findall(r"```console\n\$ (deet [^\n]*)\n```\s*```json\n(.*?)```", DOC.read_text(),
                       re.S)
    return [(command, [json.loads(line) for line in block.splitlines()])
            for command, block in found]


def _doc_reference() -> dict[str, dict]:
    """The example object of each event's section ("### `name`")."""
    sections = re.findall(r"^### `(\w+)`\n(.*?)(?=^##)", DOC.read_text(), re.S | re.M)
    reference = {}
    for name, body in sections:
        (example,) = re.findall(r"```json\n(.*?)\n```", body, re.S)
        reference[name] = json.loads(example)
    return reference


@functools.cache
def _run_doc_command(command: str) -> list[dict]:
    """deet's real output for a session of the doc (run once, shared by the tests)."""
    argv = shlex.split(command)[1:]
    argv = [str(sample(word.rsplit("/", 1)[1])) if word.startswith("samples/build/") else word
            for word in argv]
    run = deet(*argv)
    return [json.loads(line) for line in run.lines]


def _same_shape(doc: object, real: object, where: str = "") -> None:
    """Same keys in the same order, same types, and the same values where values are stable."""
    if isinstance(doc, dict):
        assert isinstance(real, dict), where
        assert list(doc) == list(real), where
        for key in doc:
            _same_shape(doc[key], real[key], f"{where}.{key}")
        return
    if isinstance(doc, list):
        assert isinstance(real, list) and len(doc) == len(real), where
        for index, (d, r) in enumerate(zip(doc, real, strict=True)):
            _same_shape(d, r, f"{where}[{index}]")
        return
    assert type(doc) is type(real), f"{where}: {doc!r} vs {real!r}"


def _same_values(doc: dict, real: dict, where: str, event: str = "") -> None:
    event = doc.get("event", event)
    for key, value in doc.items():
        if key in {"pc", "addresses"}:
            addresses = real[key] if key == "addresses" else [real[key]]
            assert all(ADDRESS.fullmatch(address) for address in addresses), where
        elif key == "file":
            assert value is None or Path(real[key]).name == Path(value).name, where
        elif key == "frames":
            for index, (d, r) in enumerate(zip(value, real[key], strict=True)):
                _same_values(d, r, f"{where}.frames[{index}]", event)
        elif key not in VARYING and not (event == "message" and key == "text"):
            assert real[key] == value, f"{where}.{key}"


def _same_types(example: object, real: object, where: str) -> None:
    """Like ``_same_shape``, but a list may be of any length and a null matches anything:
    a reference example shows one case of an event, the real ones may be others."""
    if example is None or real is None:
        return
    if isinstance(example, dict):
        assert isinstance(real, dict) and list(real) == list(example), where
        for key in example:
            _same_types(example[key], real[key], f"{where}.{key}")
    elif isinstance(example, list):
        assert isinstance(real, list), where
        for item in real:
            _same_types(example[0], item, f"{where}[]")
    else:
        assert type(example) is type(real), f"{where}: {example!r} vs {real!r}"


@pytest.mark.parametrize(("command", "expected"), _doc_sessions(),
                         ids=[command for command, _ in _doc_sessions()])
def test_the_docs_sessions_are_what_deet_prints(command, expected):
    real = _run_doc_command(command)
    assert [o["event"] for o in real] == [o["event"] for o in expected]
    for index, (doc, got) in enumerate(zip(expected, real, strict=True)):
        _same_shape(doc, got, f"line {index + 1}")
        _same_values(doc, got, f"line {index + 1}")


def _real_events() -> dict[str, list[dict]]:
    """Every object the doc's sessions and a few more produce, by event name."""
    events: dict[str, list[dict]] = {}
    commands = [command for command, _ in _doc_sessions()]
    objects = [o for command in commands for o in _run_doc_command(command)]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "run", "-ex", "bt", sample("segfault")).lines]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "run", sample("sleepy_print")).lines]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "break puts", "-ex", "run", "-ex", "bt",
        "-ex", "info sharedlibrary", sample("hello")).lines]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "break compute", "-ex", "tbreak add", "-ex", "run",
        "-ex", "print/x x", "-ex", "info locals", "-ex", "next", "-ex", "step", "-ex", "finish",
        "-ex", "up", "-ex", "list 5", "-ex", "info breakpoints", "-ex", "x/2dw &global",
        "-ex", "x/2i $pc", "-ex", "info registers rip", "-ex", "disassemble",
        "-ex", "info symbol printf", sample("function_calls")).lines]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "set breakpoint pending on", "-ex", "show breakpoint pending",
        "-ex", "show", "-ex", "help run", sample("hello")).lines]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "break tick", "-ex", "run 1", "-ex", "info threads",
        "-ex", "thread 1", "-ex", "handle SIGUSR1 nostop", "-ex", "info signals SIGINT",
        sample("threads")).lines]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "set detach-on-fork off", "-ex", "break 24",
        "-ex", "run 1", "-ex", "info inferiors", "-ex", "inferior 2", sample("forks")).lines]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "inferior", "-ex", "set follow-fork-mode child",
        "-ex", "break child_work", "-ex", "run 1", "-ex", "inferior", sample("forks")).lines]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "break main", "-ex", "break 10", "-ex", "run /usr/bin/true",
        "-ex", "continue", "-ex", "continue", sample("exec_self")).lines]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "run", "-ex", "info processes",
        sample("fork_zombie")).lines]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "break add if *(int *)0", "-ex", "run", "-ex", "condition 0",
        "-ex", "ptype add",
        sample("function_calls")).lines]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "handle SIGUSR1 nostop", "-ex", "run", sample("signals"),
        "--", "2").lines]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "break after_map", "-ex", "break after_unmap", "-ex", "run",
        "-ex", "break *0x10000000", "-ex", "continue", "-ex", "continue", "-ex", "disable 2",
        "-ex", "enable 2", "-ex", "thread", program("unmapper")).lines]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "set args 3 'two words' < in.txt", "-ex", "show args",
        "-ex", "set cwd /tmp", "-ex", "show cwd", "-ex", "set environment LANG C",
        "-ex", "show environment LANG", "-ex", "unset environment LANG", "-ex", "unset env",
        "-ex", "show environment", sample("hello")).lines]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "break compute", "-ex", "run", "-ex", "watch result",
        "-ex", "display x", "-ex", "display/i $pc", "-ex", "info display", "-ex", "continue",
        "-ex", "info watchpoints", "-ex", "continue", sample("function_calls")).lines]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "break deep", "-ex", "run", "-ex", "print value",
        deep_typedefs()).lines]
    objects += [json.loads(line) for line in deet(
        "--json", "--batch", "-ex", "break square", "-ex", "run", "-ex", "continue 2",
        "-ex", "ignore 0 1", "-ex", "bt full 1", "-ex", "echo hi\\n",
        "-ex", "thread apply all bt 1", "-ex", "info line", "-ex", "info source",
        "-ex", "info frame", "-ex", "complete info l", "-ex", "info functions ^s",
        program("prompt")).lines]
    objects += _piped_session()
    objects += _attached_session()
    objects += _core_session()
    for o in objects:
        events.setdefault(o["event"], []).append(o)
    return events


def _attached_session() -> list[dict]:
    """``deet -p PID`` on a program the test started, then ``detach``."""
    spin = subprocess.Popen([str(sample("spin"))])
    try:
        return [json.loads(line) for line in deet(
            "--json", "--batch", "-p", str(spin.pid), "-ex", "detach").lines]
    finally:
        spin.kill()
        spin.wait()


def _core_session() -> list[dict]:
    """``deet PROGRAM CORE`` on the core of samples/segfault, as gdb's ``gcore`` writes it
    (the kernel's may go elsewhere on a machine that collects them)."""
    with tempfile.TemporaryDirectory() as where:
        core = Path(where) / "core"
        subprocess.run(["gdb", "-nx", "-batch", "-ex", "run", "-ex", f"gcore {core}",
                        str(sample("segfault"))], capture_output=True, check=True,
                       stdin=subprocess.DEVNULL)
        return [json.loads(line) for line in deet(
            "--json", "--batch", "-ex", "bt", sample("segfault"), core).lines]


_PIPED = re.compile(r"```console\n\$ printf '([^']*)' \| (deet [^\n]*)\n```\s*```json\n(.*?)```",
                    re.S)


@functools.cache
def _piped_session() -> list[dict]:
    """deet's output for the doc's session over a pipe (``printf '...' | deet --json ...``)."""
    ((commands, command, _),) = _PIPED.findall(DOC.read_text())
    argv = [str(sample(word.rsplit("/", 1)[1])) if word.startswith("samples/build/") else word
            for word in shlex.split(command)[1:]]
    run = deet(*argv, stdin=commands.replace("\\n", "\n"))
    return [json.loads(line) for line in run.lines]


def test_over_a_pipe_without_batch_each_command_is_closed_by_done():
    ((_, _, block),) = _PIPED.findall(DOC.read_text())
    expected = [json.loads(line) for line in block.splitlines()]
    real = _piped_session()
    assert [o["event"] for o in real] == [o["event"] for o in expected]
    for index, (doc, got) in enumerate(zip(expected, real, strict=True)):
        _same_shape(doc, got, f"line {index + 1}")
        _same_values(doc, got, f"line {index + 1}")


def test_every_event_is_documented_with_its_fields():
    reference = _doc_reference()
    real = _real_events()
    assert set(real) == set(reference)
    for name, example in reference.items():
        assert example["deet"] == render.SCHEMA_VERSION
        assert example["event"] == name
        for got in real[name]:
            _same_types(example, got, name)


def test_script_errors_name_the_file_and_line(tmp_path):
    script = tmp_path / "cmds.gdb"
    script.write_text("run\n\ncontinue\n")
    run = deet("--json", "--batch", "-x", script, sample("count"))
    *_, error = (json.loads(line) for line in run.lines)
    assert error == {"deet": 1, "event": "error", "message": "The program is not being run.",
                     "script": str(script), "script_line": 3}
    assert run.returncode == 1


FRAME = results.FrameLine(0, 0x401181, "func1", (results.FrameArg("a", shown.Scalar(42)),),
                          None, False)

# One value of every result type: adding a result without a JSON shape, a text, and a place
# in docs/json.md fails here.
EXAMPLES: dict[type, object] = {
    results.Stopped: results.Stopped(results.StopReason.SIGNAL, "SIGSEGV", 0x401162, "func2",
                                     SourceLocation("/s/segfault.c", 5), None,
                                     results.SourceLine(5, "x")),
    results.Exited: results.Exited(0),
    results.Signaled: results.Signaled("SIGSEGV"),
    results.TimedOut: results.TimedOut(2.0, 42, 0x401116, "main",
                                       SourceLocation("/s/spin.c", 5)),
    results.InferiorKilled: results.InferiorKilled(42),
    results.BreakpointSet: results.BreakpointSet(0, (0x401181,)),
    results.Backtrace: results.Backtrace((results.Frame(0x401162, None, None),)),
    results.SharedLibraries: results.SharedLibraries(
        (results.SharedLibrary("/lib/libc.so.6", 0x7FFFF7DFB380, None, False),)),
    results.SettingValue: results.SettingValue("breakpoint pending", "on", changed=True),
    results.SettingValues: results.SettingValues(
        (results.SettingValue("breakpoint pending", "auto"),)),
    results.Printed: results.Printed(1, shown.Scalar(5)),
    results.TypeShown: results.TypeShown("struct node *", results.TypeBody(
        "struct node", (results.TypeMember("int value"),)), " *"),
    results.Variables: results.Variables((("x", shown.Scalar(5)),), "No locals."),
    results.FrameReport: results.FrameReport(FRAME, None),
    results.FrameInfo: results.FrameInfo(
        0, 0x7FFFFFFFE690, 0x401191, "compute", SourceLocation("/s/f.c", 16), 0x4011DE, False,
        0x7FFFFFFFE6B0, None, "c", 0x7FFFFFFFE680, (results.FrameArg("x", shown.Scalar(10)),),
        0x7FFFFFFFE690, (("rbp", 0x7FFFFFFFE680), ("rip", 0x7FFFFFFFE688))),
    results.Stepped: results.Stepped(FRAME, None, new_place=True),
    results.RunTillExit: results.RunTillExit(FRAME),
    results.Finished: results.Finished(FRAME, None, results.Printed(2, shown.Scalar(7))),
    results.Listing: results.Listing((results.SourceLine(3, "int x;"),)),
    results.BreakpointTable: results.BreakpointTable((
        results.BreakpointRow(0, False, True, ((0x401181, "func1", None),), None, 0),)),
    results.Examined: results.Examined("x", 4, (results.MemoryRow(0x404018, None, (5,)),)),
    results.Disassembly: results.Disassembly("main", 0x401000, (
        results.CodeRow(0x401000, 1, None, "push", "%rbp", True),)),
    results.RegisterTable: results.RegisterTable((results.RegisterRow("rip", 0x401000, "code"),)),
    results.ThreadList: results.ThreadList((results.ThreadRow(
        results.ThreadTag(1, 4242), "prog", True, FRAME),)),
    results.ThreadSwitched: results.ThreadSwitched(results.ThreadTag(2, 4243), FRAME, None),
    results.InferiorList: results.InferiorList((
        results.InferiorRow(1, 4242, "/bin/prog", True),
        results.InferiorRow(2, None, "/bin/prog", False))),
    results.InferiorSwitched: results.InferiorSwitched(
        results.InferiorRow(2, 4243, "/bin/prog", True), results.ThreadTag(1, 4243), FRAME,
        None),
    results.SignalTable: results.SignalTable((
        results.SignalRow("SIGUSR1", False, True, True, "User defined signal 1"),),
        listing=True),
    results.Message: results.Message("hello"),
    results.Error: results.Error("oops", "cmds.gdb", 3),
    results.Quit: results.Quit(),
    results.CommandEcho: results.CommandEcho("run"),
    results.ProgramOutput: results.ProgramOutput("stdout", "hi\n"),
    results.SignalReceived: results.SignalReceived("SIGUSR1", "User defined signal 1"),
    results.ConditionError: results.ConditionError(0, 'No symbol "n" in current context.'),
    results.InsertFailed: results.InsertFailed(0, "Cannot access memory at address 0x10"),
    results.BreakpointDropped: results.BreakpointDropped(0, "main", "no main"),
    results.NewInferior: results.NewInferior(2, 4243),
    results.ForkFollowed: results.ForkFollowed(4242, 4243),
    results.ForkDetached: results.ForkDetached(4243, "child", vfork=True),
    results.InferiorDetached: results.InferiorDetached(1, 4242),
    results.ExecStarted: results.ExecStarted(4242, "/bin/true"),
    results.ExecWithoutDebugInfo: results.ExecWithoutDebugInfo("/bin/true", "no debug info"),
    results.CurrentThread: results.CurrentThread(results.ThreadTag(1, 4242)),
    results.CurrentInferior: results.CurrentInferior(
        results.InferiorRow(1, None, "/bin/prog", True)),
    results.ConditionChanged: results.ConditionChanged(0, None),
    results.IgnoreCount: results.IgnoreCount(0, 2, continuing=True),
    results.ScriptOutput: results.ScriptOutput("hi\n"),
    results.Printf: results.Printf("%d\n", (3,)),
    results.Completions: results.Completions(("info line", "info locals")),
    results.OutputValue: results.OutputValue(results.shown.Scalar(3)),
    results.LineInfo: results.LineInfo("/src/f.c", 6, 0x401134, "add+14", 0x40113f, "add+25"),
    results.SourceInfo: results.SourceInfo("/src/f.c", "/src", "/src/f.c", 6, "c", "GNU C17",
                                           5, False),
    results.SymbolInfo: results.SymbolInfo("printf", (results.SymbolMatch(
        "printf", 0, ".text", "/lib/x86_64-linux-gnu/libc.so.6"),)),
    results.ThreadApplied: results.ThreadApplied(results.ThreadTag(2, 4302), "threads"),
    results.SymbolListing: results.SymbolListing(
        True, "^comp", (("/src/f.c", ((15, "int compute(int)"),)),), ((0x401040, "_start"),)),
    results.ProgramArguments: results.ProgramArguments("3 < in.txt"),
    results.WorkingDirectory: results.WorkingDirectory(None, changed=True),
    results.EnvironmentVariables: results.EnvironmentVariables((("LANG", None),)),
    results.EnvironmentChanged: results.EnvironmentChanged(None, None),
    results.CommandDone: results.CommandDone("run", ok=True),
    results.WatchpointSet: results.WatchpointSet(1, "awatch", True, "counter"),
    results.WatchpointStopped: results.WatchpointStopped(
        (results.WatchHit(1, "rwatch", True, "counter", None, shown.Scalar(3)),), (2,),
        0x401181, FRAME, None),
    results.Displays: results.Displays((results.DisplayItem(1, "x", "x", shown.Scalar(5)),)),
    results.DisplayTable: results.DisplayTable((results.DisplayRow(1, True, "1bi", "$pc"),)),
    results.Attached: results.Attached(4242, "/bin/prog", FRAME, None),
    results.Detached: results.Detached(1, 4242, "/bin/prog"),
    results.CoreLoaded: results.CoreLoaded("core", "prog", "SIGSEGV", "Segmentation fault",
                                           FRAME, None, results.ThreadTag(1, 4242)),
    results.ProcessList: results.ProcessList((
        results.ProcessRow(4242, None, "exited", 0, None, None, "/bin/prog", (), False),
        results.ProcessRow(4243, 4242, "zombie", 0, None,
                           results.ForkSite("main", "/s/prog.c", 10), "/bin/prog", (),
                           False))),
    results.Diagnostic: results.Diagnostic("unreaped-child", 4243,
                                           results.ForkSite("main", "/s/prog.c", 10), 4242,
                                           seconds=1.0),
}


def test_every_result_type_has_text_and_a_documented_json_shape():
    assert set(EXAMPLES) == set(typing.get_args(results.Result))
    reference = _doc_reference()
    for kind, example in EXAMPLES.items():
        assert isinstance(render.text(example), str)
        shaped = render.json_object(example)
        if kind is results.Quit:
            assert shaped is None and render.json_line(example) == ""
            continue
        assert shaped is not None
        assert list(shaped) == list(reference[shaped["event"]]), kind
        assert json.loads(render.json_line(example)) == shaped


def _events(*argv) -> list[dict]:
    run = deet("--json", "--batch", *argv)
    assert run.stderr == ""
    return [json.loads(line) for line in run.lines]


def test_output_comes_before_the_stop_and_partial_lines_are_flushed_at_a_stop(tmp_path):
    source = tmp_path / "partial.c"
    source.write_text(
        '#include <signal.h>\n#include <stdio.h>\n'
        'int main() {\n'
        '    printf("one\\ntwo");\n    fflush(stdout);\n'
        '    fprintf(stderr, "oops\\n");\n'
        '    raise(SIGTRAP);\n'
        '    printf(" three\\n");\n    return 3;\n}\n'
    )
    events = _events("-ex", "run", "-ex", "continue", build([source]))
    stop = [e["event"] for e in events].index("stopped")
    before, after = events[:stop], events[stop + 1 :]
    assert _printed(before, "stdout") == ["one\n", "two"]
    assert _printed(before, "stderr") == ["oops\n"]
    assert _printed(after, "stdout") == [" three\n"]
    assert after[-1] == {"deet": 1, "event": "exited", "status": 3, "signal": None}


def _printed(events: list[dict], stream: str) -> list[str]:
    return [e["text"] for e in events if e["event"] == "output" and e["stream"] == stream]


def test_a_flood_of_output_is_all_captured_in_order(tmp_path):
    """More than any terminal buffer holds, with breakpoints on the way, so deet must read
    while the program runs and while it steps over a breakpoint."""
    source = tmp_path / "flood.c"
    source.write_text(
        '#include <stdio.h>\n'
        'void mark(int i) { printf("mark %d\\n", i); }\n'
        'int main() {\n'
        '    for (int i = 0; i < 20000; i++) {\n'
        '        printf("line %d of the flood\\n", i);\n'
        '        if (i % 8000 == 0) mark(i);\n'
        '    }\n'
        '    return 0;\n}\n'
    )
    events = _events("-ex", "break mark", "-ex", "run", "-ex", "c", "-ex", "c", "-ex", "c",
                     build([source]))
    kinds = [e["event"] for e in events if e["event"] != "output"]
    assert kinds == ["breakpoint", "stopped", "stopped", "stopped", "exited"]
    printed = [e["text"] for e in events if e["event"] == "output"]
    assert len(printed) == 20003
    assert printed[:3] == ["line 0 of the flood\n", "mark 0\n", "line 1 of the flood\n"]
    assert printed[-1] == "line 19999 of the flood\n"


def test_output_of_a_program_killed_by_the_time_limit_is_not_lost(tmp_path):
    source = tmp_path / "talk_then_spin.c"
    source.write_text('#include <stdio.h>\n'
                      'int main() { puts("working on it"); for (;;) {} }\n')
    events = _events("--timeout", "0.3", "-ex", "run", build([source]))
    assert [e["event"] for e in events] == ["output", "timeout"]
    assert events[0]["text"] == "working on it\n"
    assert events[1]["function"] == "main"
