"""docs/transcripts.md as a course would use it: the recording recipe, and the worked
grading setup (three students' buggy programs and their fixes, transcripts, a pytest file,
run serially and under xdist, Gradescope's results.json, run_autograder), each command run
as the page writes it and its output compared with the page's."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from support import ROOT, SAMPLES, sample

from deet.transcript_match import ANY_LINES, align

DOC = ROOT / "docs" / "transcripts.md"
# Where the page's sessions pretend to run.
DOC_GRADING = "/home/you/grading"
DOC_DEET = "/home/you/deet"


def _section(title: str) -> str:
    text = DOC.read_text()
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def _files(section: str) -> dict[str, str]:
    """The files the section shows: a line `` `grading/PATH`: `` and the block after it."""
    return {path: body for path, body in
            re.findall(r"^`grading/(\S+)`[^\n]*:\n\n```[a-z]*\n(.*?)```", section, re.S | re.M)}


def _commands(section: str) -> list[tuple[str, list[str]]]:
    """Each ``$ command`` of the section's console blocks (a here-document included) and
    the lines shown after it."""
    found = []
    for block in re.findall(r"```console\n(.*?)```", section, re.S):
        lines = block.splitlines()
        while lines:
            command = lines.pop(0).removeprefix("$ ")
            if "<<'EOF'" in command:
                while True:
                    line = lines.pop(0)
                    command += "\n" + line
                    if line == "EOF":
                        break
            output = []
            while lines and not lines[0].startswith("$ "):
                output.append(lines.pop(0))
            found.append((command, output))
    return found


def _run(command: str, cwd: Path, replacements: dict[str, str]) -> list[str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)
    output = done.stdout
    for real, shown in replacements.items():
        output = output.replace(real, shown)
    return [re.sub(r" in \d+\.\d+s$", " in 1.87s", line) for line in output.splitlines()]


def _replay(section: str, cwd: Path, replacements: dict[str, str]) -> None:
    commands = _commands(section)
    assert commands
    for command, shown in commands:
        actual = _run(command, cwd, replacements)
        expected = [ANY_LINES if line == "..." else line for line in shown]
        assert align(expected, actual).matched, (command, actual)


def test_the_recording_recipe_works_as_written(tmp_path):
    (tmp_path / "samples" / "build").mkdir(parents=True)
    (tmp_path / "samples" / "build" / "segfault").symlink_to(sample("segfault"))
    (tmp_path / "work").mkdir()
    _replay(_section("Making a transcript"), tmp_path / "work", {str(ROOT): DOC_DEET})
    assert f"Stopped at {SAMPLES}/segfault.c:4" in (tmp_path / "work" / "segfault.deet").read_text()


def test_the_worked_grading_setup_runs_as_written(tmp_path):
    grading = tmp_path / "grading"
    shutil.copytree(ROOT / "samples" / "grading", grading)
    section = _section("A worked grading setup")
    files = _files(section)
    assert set(files) == {"transcripts/numbers.deet", "transcripts/negative.deet",
                          "transcripts/empty.deet", "transcripts/junk.deet", "test_stats.py",
                          "run_autograder"}
    for path, body in files.items():
        (grading / path).parent.mkdir(parents=True, exist_ok=True)
        (grading / path).write_text(body)
    _replay(section, grading, {str(grading): DOC_GRADING})
    assert (grading / "results.json").read_bytes() == (grading / "results-n4.json").read_bytes()
