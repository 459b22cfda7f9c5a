"""``deet dap`` under a client that is not ours: VS Code's own debug adapter test client
(npm ``@vscode/debugadapter-testsupport``, pinned in tests/vscode/package-lock.json) runs
tests/vscode/session.js against it, and what the editor's side saw is held to gdb's
answers on the same program."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from support import ROOT, deet, gdb_batch, gdb_frames, have_gdb, same_file, sample

CLIENT = ROOT / "tests" / "vscode"

pytestmark = pytest.mark.skipif(not have_gdb() or shutil.which("node") is None
                                or shutil.which("npm") is None,
                                reason="needs gdb (the oracle), node and npm")


def _client_installed() -> None:
    """``npm ci`` in tests/vscode once (CI's .ci/run does it first); skipped, with npm's
    last line, where the registry cannot be reached."""
    if (CLIENT / "node_modules" / "@vscode" / "debugadapter-testsupport").is_dir():
        return
    done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=CLIENT,
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        pytest.skip(f"VS Code's test client could not be installed: {lines[-1:]}")


def test_vscode_s_test_client_drives_a_session_with_gdb_s_answers():
    _client_installed()
    program = sample("function_calls")
    source = ROOT / "samples" / "function_calls.c"
    done = subprocess.run(["node", "session.js", sys.executable, str(CLIENT / "deet_dap.py"),
                           str(program), str(source), "6"], cwd=CLIENT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    gdb = gdb_batch(program, "break add", "run", "bt", "info args", "print a + b")
    expected = gdb_frames(gdb)
    assert [(f["name"], f["line"]) for f in seen["frames"]] == [
        (e.function, e.line) for e in expected]
    assert all(same_file(f["path"], e.file)
               for f, e in zip(seen["frames"], expected, strict=True))
    assert seen["args"] == [line for line in gdb.splitlines() if line.startswith(("a =", "b ="))]
    assert f"$1 = {seen['hover']}" in gdb.splitlines()
    batch = deet("--batch", "-ex", "break add", "-ex", "run", "-ex", "info args", program)
    assert seen["repl"].splitlines() == batch.lines[-2:]
    assert seen["scopes"] == ["Arguments", "Locals", "Registers"]
    assert seen["threads"] == 1 and seen["finished"] == "compute"


def test_vscode_s_test_client_steps_in_sets_a_variable_and_stops_a_program():
    """stepIn, setVariable by a scope's reference and the program's output after it, held
    to gdb doing the same (``step``, ``print a = 20``, ``continue``); then terminate ends a
    program that loops for ever."""
    _client_installed()
    program = sample("function_calls")
    source = ROOT / "samples" / "function_calls.c"
    done = subprocess.run(["node", "editing.js", sys.executable, str(CLIENT / "deet_dap.py"),
                           str(program), str(source), "17", str(sample("spin"))],
                          cwd=CLIENT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    gdb = gdb_batch(program, "break 17", "run", "step", "bt", "print a = 20", "info args",
                    "continue")
    assert [(f["name"], f["line"]) for f in seen["frames"]] == [
        (e.function, e.line) for e in gdb_frames(gdb)]
    lines = gdb.splitlines()
    assert f"$1 = {seen['set']}" in lines
    assert seen["args"] == [line for line in lines if line.startswith(("a =", "b ="))]
    # What the program printed after the assignment, as it printed it under gdb.
    printed = [line for line in lines if line.startswith(("add(", "compute(", "main got"))]
    assert seen["output"].splitlines() == printed and "add(20, 5) = 25" in printed
