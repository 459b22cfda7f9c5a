"""Transcript tests: the .deet format, wildcards, ``deet check`` and the pytest plugin."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, SAMPLES, deet, program, sample

from deet.cli import main
from deet.transcript import pattern

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
         "{path}:2: expected 'program:', 'args:' or 'timeout:' before the first '(deet) ' line"),
        ("program: segfault\nstdin: x\n(deet) run\n",
         "{path}:2: expected 'program:', 'args:' or 'timeout:' before the first '(deet) ' line"),
        ("program: segfault\ntimeout: soon\n(deet) run\n",
         "{path}: timeout: 'soon' is not a number of seconds greater than 0"),
        ("program: segfault\nargs: 'unclosed\n(deet) run\n", "{path}: args: No closing quotation"),
        ("program: segfault\n# nothing to run\n", "{path}: no '(deet) COMMAND' lines"),
    ],
    ids=["missing-program", "no-program", "bad-line", "unknown-key", "bad-timeout",
         "bad-args", "no-commands"],
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
    assert capsys.readouterr().err == "Usage: deet check TRANSCRIPT...\n"


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
