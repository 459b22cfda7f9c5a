"""Transcript tests: the .deet format, wildcards, ``deet check`` and the pytest plugin."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, SAMPLES, deet, program, sample

from deet.cli import main
from deet.transcript import load
from deet.transcript_match import align, differences, pattern, updated

TRANSCRIPTS = ROOT / "tests" / "transcripts"


def _transcript(directory: Path, body: str, name: str = "session.deet",
                binary: Path | None = None, header: str = "") -> Path:
    """A transcript in ``directory`` whose program is a copy of ``binary`` next to it."""
    binary = binary or sample("segfault")
    shutil.copy(binary, directory / binary.name)
    path = directory / name
    path.write_text(f"program: {binary.name}\n{header}\n{body}")
    return path


SEGFAULT_SESSION = """\
(deet) run
Calling func2
About to segfault... a=2
Child stopped (signal SIGSEGV)
Stopped at {{dir}}/segfault.c:5
5\t    *(int*)0 = a;
(deet) bt
func2 ({{dir}}/segfault.c:5)
func1 ({{dir}}/segfault.c:11)
main ({{dir}}/segfault.c:15)
"""


def test_the_handout_transcript_passes_deet_check():
    run = deet("check", TRANSCRIPTS / "handout_segfault.deet")
    assert run.lines == [f"{TRANSCRIPTS / 'handout_segfault.deet'}: ok"]
    assert (run.returncode, run.stderr) == (0, "")


def test_a_mismatch_is_a_unified_diff_of_the_real_differences_only(tmp_path):
    wrong = SEGFAULT_SESSION.replace("segfault.c:11)", "segfault.c:12)").replace(
        "Calling func2", "Calling func3")
    path = _transcript(tmp_path, wrong)
    run = deet("check", path)
    assert run.returncode == 1
    assert run.lines[0] == f"{path}: FAILED"
    changed = [line for line in run.lines[1:] if line[:1] in "+-"]
    assert changed == [
        f"--- {path}",
        "+++ actual output",
        "-Calling func3",
        "+Calling func2",
        "-func1 ({{dir}}/segfault.c:12)",
        f"+func1 ({SAMPLES}/segfault.c:11)",
    ]
    # Lines that matched through a wildcard show as the real text, not as changes.
    assert f" Stopped at {SAMPLES}/segfault.c:5" in run.lines


def test_missing_and_extra_lines(tmp_path):
    path = _transcript(tmp_path, "(deet) run\nCalling func2\nSomething else\n",
                       binary=sample("segfault"))
    run = deet("check", path)
    assert run.returncode == 1
    assert "-Something else" in run.lines
    assert "+About to segfault... a=2" in run.lines
    assert "+Child stopped (signal SIGSEGV)" in run.lines


def test_several_transcripts_give_a_summary_and_fail_if_one_fails(tmp_path):
    good = _transcript(tmp_path, SEGFAULT_SESSION, "good.deet")
    bad = _transcript(tmp_path, "(deet) run\n", "bad.deet")
    run = deet("check", good, bad)
    assert run.returncode == 1
    assert run.lines[0] == f"{good}: ok"
    assert run.lines[1] == f"{bad}: FAILED"
    assert run.lines[-1] == "1 of 2 transcripts matched"


def test_program_path_arguments_and_working_directory_come_from_the_transcript(tmp_path):
    where = tmp_path / "sub"
    where.mkdir()
    path = _transcript(where, (
        "(deet) run\n"
        f"cwd {where}\n"
        "arg one\n"
        "arg two words\n"
        "Child exited (status 0)\n"
        "(deet) run three\n"
        f"cwd {where}\n"
        "arg three\n"
        "Child exited (status 0)\n"
    ), binary=program("where"), header="# a comment\n\nargs: one 'two words'\n")
    run = deet("check", path)
    assert run.returncode == 0, run.stdout


def test_the_time_limit_comes_from_the_transcript(tmp_path):
    path = _transcript(tmp_path, (
        "(deet) run\n"
        "Program timed out after 0.5 s\n"
        "Stopped at {{dir}}/spin.c:{{int}}\n"
        "{{*}}\n"
    ), binary=sample("spin"), header="timeout: 0.5\n")
    assert deet("check", path).returncode == 0


@pytest.mark.parametrize(
    ("expected", "actual", "matches"),
    [
        ("Killing running inferior (pid {{pid}})", "Killing running inferior (pid 4242)", True),
        ("Killing running inferior (pid {{pid}})", "Killing running inferior (pid )", False),
        ("Set breakpoint 0 at {{addr}}", "Set breakpoint 0 at 0x401181", True),
        ("Set breakpoint 0 at {{addr}}", "Set breakpoint 0 at 401181", False),
        ("Child exited (status {{int}})", "Child exited (status -1)", True),
        ("Stopped at {{dir}}/segfault.c:5", "Stopped at /home/you/deet/samples/segfault.c:5",
         True),
        ("Stopped at {{dir}}/segfault.c:5", "Stopped at /a dir/with spaces/segfault.c:5", True),
        ("Stopped at {{dir}}/segfault.c:5", "Stopped at segfault.c:5", False),
        ("Stopped at {{dir}}/segfault.c:5", "Stopped at /x/other.c:5", False),
        ("{{*}} (signal SIGSEGV)", "Child stopped (signal SIGSEGV)", True),
        ("5\t    *(int*)0 = a;", "5\t    *(int*)0 = a;", True),
        ("a [b] (c) {{nope}} $", "a [b] (c) {{nope}} $", True),
        ("a {{pid}}", "a 12 ", False),
        ("* 1    process {{pid}}     prog", "* 1    process 4242      prog", True),
        ("* 1    process {{pid}}     prog", "* 1    process 4194304   prog", True),
        ("* 1    process {{pid}}     prog", "* 1    process 4242prog", False),
    ],
)
def test_wildcards(expected, actual, matches):
    assert bool(pattern(expected).fullmatch(actual)) is matches


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("program: nosuch\n(deet) run\n", "{path}: program nosuch not found ({dir}/nosuch)"),
        ("(deet) run\n", "{path}: no 'program:' line"),
        ("program: segfault\nbreak main\n(deet) run\n",
         "{path}:2: expected one of 'program:', 'args:', 'timeout:', 'stdin:', 'env:', "
         "'points:' before the first '(deet) ' line"),
        ("program: segfault\nstdout: x\n(deet) run\n",
         "{path}:2: expected one of 'program:', 'args:', 'timeout:', 'stdin:', 'env:', "
         "'points:' before the first '(deet) ' line"),
        ("program: segfault\nstdin: nosuch.txt\n(deet) run\n",
         "{path}: stdin nosuch.txt not found ({dir}/nosuch.txt)"),
        ("program: segfault\nenv: A=1 B\n(deet) run\n", "{path}:2: env: 'B' is not NAME=VALUE"),
        ("program: segfault\npoints: lots\n(deet) run\n",
         "{path}: points: 'lots' is not a number of points (0 or more)"),
        ("program: segfault\ntimeout: soon\n(deet) run\n",
         "{path}: timeout: 'soon' is not a number of seconds greater than 0"),
        ("program: segfault\nargs: 'unclosed\n(deet) run\n", "{path}: args: No closing quotation"),
        ("program: segfault\n# nothing to run\n", "{path}: no '(deet) COMMAND' lines"),
    ],
    ids=["missing-program", "no-program", "bad-line", "unknown-key", "missing-stdin", "bad-env",
         "bad-points", "bad-timeout", "bad-args", "no-commands"],
)
def test_a_transcript_that_cannot_run_is_one_line(capsys, tmp_path, content, message):
    """In-process: none of these gets as far as starting deet."""
    shutil.copy(sample("segfault"), tmp_path / "segfault")
    path = tmp_path / "bad.deet"
    path.write_text(content)
    status = main(["check", str(path)])
    expected = "deet check: " + message.format(path=path, dir=tmp_path) + "\n"
    assert (capsys.readouterr(), status) == (("", expected), 1)


def test_a_missing_transcript_and_no_transcript_at_all(capsys, tmp_path):
    assert main(["check", str(tmp_path / "nosuch.deet")]) == 1
    missing = f"deet check: {tmp_path / 'nosuch.deet'}: No such file or directory\n"
    assert capsys.readouterr().err == missing
    assert main(["check"]) == 1
    assert capsys.readouterr().err == (
        "Usage: deet check [--update] [--program PROGRAM]... TRANSCRIPT...\n")


def _pytest(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(directory),
         *args, str(directory)],
        capture_output=True, text=True, timeout=120, cwd=directory,
    )


def test_pytest_collects_transcripts_and_shows_the_diff_on_failure(tmp_path):
    _transcript(tmp_path, SEGFAULT_SESSION, "good.deet")
    _transcript(tmp_path, SEGFAULT_SESSION.replace("a=2", "a=3"), "bad.deet")
    (tmp_path / "broken.deet").write_text("program: nosuch\n(deet) run\n")
    done = _pytest(tmp_path)
    assert done.returncode == 1
    assert "2 failed, 1 passed" in done.stdout
    assert "-About to segfault... a=3" in done.stdout
    assert "+About to segfault... a=2" in done.stdout
    assert f"{tmp_path / 'broken.deet'}: program nosuch not found" in done.stdout
    assert "Traceback" not in done.stdout


def test_the_projects_transcripts_are_collected_by_its_test_run():
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    collected = {line.split("::")[0] for line in done.stdout.splitlines() if ".deet::" in line}
    expected = {f"tests/transcripts/{p.name}" for p in TRANSCRIPTS.glob("*.deet")}
    assert "tests/transcripts/handout_segfault.deet" in expected
    assert collected == expected


# -- what a transcript can hold ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "actual", "matches"),
    [
        (["a", "{{...}}", "z"], ["a", "z"], True),
        (["a", "{{...}}", "z"], ["a", "b", "c", "z"], True),
        (["{{...}}"], [], True),
        (["{{...}}", "{{...}}", "x {{int}}"], ["q", "x 5"], True),
        (["a", "{{...}}", "z"], ["a", "b"], False),
        (["a", "{{...}}"], ["b", "a"], False),
    ],
)
def test_a_dots_line_matches_any_number_of_lines(expected, actual, matches):
    assert align(expected, actual).matched is matches


def test_the_diff_shows_what_dots_took_as_it_is_and_update_keeps_them():
    expected = ["(deet) run", "{{...}}", "Child exited (status {{int}})", "gone"]
    actual = ["(deet) run", "one", "two", "Child exited (status 0)", "new"]
    diff = differences(expected, actual, "t.deet")
    assert [line for line in diff if line[:1] in "+-"] == [
        "--- t.deet", "+++ actual output", "-gone", "+new"]
    assert updated(expected, actual) == [
        "(deet) run", "{{...}}", "Child exited (status {{int}})", "new"]


def test_dots_in_a_real_transcript(tmp_path):
    path = _transcript(tmp_path, "(deet) run\n{{...}}\nChild stopped (signal SIGSEGV)\n"
                                 "{{...}}\n(deet) bt\n{{...}}\nmain ({{dir}}/segfault.c:15)\n")
    assert deet("check", path).lines == [f"{path}: ok"]


def test_the_program_reads_the_stdin_file_and_gets_the_env_of_the_header(tmp_path):
    (tmp_path / "input.txt").write_text("first line\nsecond line\n")
    path = _transcript(tmp_path, (
        "(deet) run\n"
        "DEET_WORLD two words\n"
        "cwd {{dir}}\n"
        "first line\n"
        "second line\n"
        "to stderr\n"
        "Child exited (status 0)\n"
    ), binary=program("world"), header="stdin: input.txt\nenv: DEET_WORLD='two words' X=1\n")
    assert deet("check", path).returncode == 0
    loaded = load(path)
    assert loaded.env == (("DEET_WORLD", "two words"), ("X", "1"))
    assert loaded.stdin == tmp_path / "input.txt"


def test_without_stdin_the_program_reads_nothing(tmp_path):
    path = _transcript(tmp_path, "(deet) run\nDEET_WORLD (unset)\n{{*}}\nto stderr\n"
                                 "Child exited (status 0)\n", binary=program("world"))
    assert deet("check", path).returncode == 0


def test_points_from_the_header(tmp_path):
    path = _transcript(tmp_path, SEGFAULT_SESSION, header="points: 2.5\n")
    assert load(path).points == 2.5
    assert load(_transcript(tmp_path, SEGFAULT_SESSION, "plain.deet")).points == 1


def test_program_paths_are_as_the_header_gives_them(tmp_path):
    path = _transcript(tmp_path, "(deet) info inferiors\n"
                                 "  Num  Description       Executable\n"
                                 f"* 1    <null>            {sample('segfault').name}\n"
                                 "(deet) break func2\n"
                                 "Set breakpoint 0 at {{addr}}\n"
                                 "(deet) run\n"
                                 "Calling func2\n"
                                 "{{...}}\n"
                                 "(deet) info inferiors\n"
                                 "  Num  Description       Executable\n"
                                 f"* 1    process {{{{pid}}}}     {sample('segfault').name}\n")
    assert deet("check", path).returncode == 0


def test_update_records_what_is_printed_now_keeping_header_and_matching_lines(tmp_path):
    """A line that no longer matches goes (``Calling func3``: the ``{{...}}`` takes what
    is printed there now), a line still matching stays as written, new lines come in."""
    path = _transcript(tmp_path, (
        "(deet) run\n"
        "Calling func3\n"
        "{{...}}\n"
        "Stopped at {{dir}}/segfault.c:5\n"
        "(deet) bt\n"
        "func2 ({{dir}}/segfault.c:{{int}})\n"
        "(deet) info locals\n"
    ), header="# how it crashes\ntimeout: 5\n")
    run = deet("check", "--update", path)
    assert (run.lines, run.returncode) == ([f"{path}: updated"], 0)
    assert path.read_text() == (
        f"program: {sample('segfault').name}\n# how it crashes\ntimeout: 5\n\n"
        "(deet) run\n"
        "{{...}}\n"
        "Stopped at {{dir}}/segfault.c:5\n"
        "5\t    *(int*)0 = a;\n"
        "(deet) bt\n"
        "func2 ({{dir}}/segfault.c:{{int}})\n"
        f"func1 ({SAMPLES}/segfault.c:11)\n"
        f"main ({SAMPLES}/segfault.c:15)\n"
        "(deet) info locals\n"
        "No locals.\n"
    )
    assert deet("check", path).returncode == 0
    assert deet("check", "--update", path).lines == [f"{path}: ok"]


def test_one_set_of_transcripts_against_each_students_program(tmp_path):
    good = _transcript(tmp_path, SEGFAULT_SESSION, "crash.deet")
    other = tmp_path / "students"
    other.mkdir()
    shutil.copy(sample("segfault"), other / "alice")
    shutil.copy(sample("hello"), other / "bob")
    run = deet("check", "--program", other / "alice", "--program", other / "bob", good)
    assert run.lines[0] == f"{good} ({other / 'alice'}): ok"
    assert run.lines[1] == f"{good} ({other / 'bob'}): FAILED"
    assert "+Hello world!" in run.lines
    assert run.lines[-1] == "1 of 2 transcripts matched"
    assert run.returncode == 1


def test_pytest_runs_transcripts_against_programs_and_writes_gradescope_results(tmp_path):
    """The same results.json serially and under xdist, a test per transcript and program,
    points from the header and from the marker, the diff as the output of a failure."""
    _transcript(tmp_path, SEGFAULT_SESSION, "crash.deet", header="points: 3\n")
    shutil.copy(sample("hello"), tmp_path / "hello")
    (tmp_path / "test_api.py").write_text(
        "import pytest\nfrom deet import Session\n\n"
        "@pytest.mark.points(2)\n"
        "def test_it_ends(deet_program):\n"
        "    with Session(deet_program) as s:\n"
        "        assert s.run().__class__.__name__ == 'Exited'\n"
    )
    reports = []
    for workers in ([], ["-n", "4"]):
        result = tmp_path / f"results{len(reports)}.json"
        done = _pytest(tmp_path, "--deet-program", sample("segfault").name,
                       "--deet-program", "hello",
                       "--deet-gradescope", str(result), *workers)
        assert done.returncode == 1, done.stdout
        reports.append(json.loads(result.read_text()))
    assert reports[0] == reports[1]
    tests = {test["name"]: test for test in reports[0]["tests"]}
    crashing = sample("segfault").name
    assert list(tests) == [f"crash.deet::crash[{crashing}]", "crash.deet::crash[hello]",
                           f"test_api.py::test_it_ends[{crashing}]",
                           "test_api.py::test_it_ends[hello]"]
    assert [(t["score"], t["max_score"], t["status"]) for t in tests.values()] == [
        (3, 3, "passed"), (0, 3, "failed"), (0, 2, "failed"), (2, 2, "passed")]
    assert "+Hello world!" in tests["crash.deet::crash[hello]"]["output"].splitlines()
    assert tests["crash.deet::crash[hello]"]["output"].startswith("--- crash.deet\n")
    assert reports[0]["score"] == 5


def test_the_end_of_a_transcript_kills_the_program_and_everything_it_started(tmp_path):
    binary = program("spawner")
    path = _transcript(tmp_path, "(deet) run\n{{...}}\nProgram timed out after 0.5 s\n{{...}}\n",
                       binary=binary, header="timeout: 0.5\n")
    assert deet("check", path).returncode == 0
    running = [entry for entry in Path("/proc").iterdir() if entry.name.isdigit()
               and _command_line(entry).startswith(binary.name)]
    assert running == []


def _command_line(entry: Path) -> str:
    try:
        return Path((entry / "cmdline").read_bytes().split(b"\0")[0].decode()).name
    except OSError:
        return ""
