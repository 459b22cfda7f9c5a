"""gdb's script commands: echo, printf, output, shell / !, source; compared with gdb."""

from __future__ import annotations

import subprocess

import pytest
from support import deet as run_deet
from support import deet_script, gdb_batch, have_gdb, program

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")

COMMANDS = [
    'printf "%d %c %x %lu %o %% %-4d|\\n", limit, 65, 255, 7, 8, 3',
    'printf "no newline"',
    "echo |\\n",
    "output limit",
    "output origin",
    "output/x limit",
    "echo \\101\\tb\\\\c\\n",
    "printf",
    'printf "%d\\n"',
    'printf "%d\\n", 1, 2',
    "printf nope",
    'printf "%s\\n", origin.x',
    "output",
    'printf "%5d|%-3d|%+d|%#x|%ld\\n", 4, 5, 6, 255, -1',
    "shell echo from the shell",
    "!echo bang",
    "echo done\\n",
]


def test_script_output_commands_write_what_gdb_writes():
    target = program("prompt")
    setup = ["break sum_to", "run 3"]
    deet = deet_script(target, "".join(f"{c}\n" for c in [*setup, "echo @@\\n", *COMMANDS]))
    gdb = gdb_batch(target, *setup, "echo @@\\n", *COMMANDS, errors=True)
    want = gdb.split("@@\n", 1)[1]
    got = deet.stdout.split("@@\n", 1)[1].split("Killing running inferior")[0]
    assert got == want


def test_source_runs_a_file_until_its_first_error(tmp_path):
    script = tmp_path / "cmds.gdb"
    script.write_text("# set up\nbreak square\n\nrun\nprint n + 1\nprint nosuch\nprint 2\n")
    target = program("prompt")
    deet = deet_script(target, f"source {script}\nprint 40 + 2\n").lines
    gdb = gdb_batch(target, f"source {script}", "print 40 + 2", errors=True).splitlines()
    assert deet[-5:-1] == gdb[-4:] == [
        "$1 = 1",
        f"{script}:6: Error in sourced command file:",
        'No symbol "nosuch" in current context.',
        "$2 = 42",
    ]
    missing = deet_script(target, f"source {tmp_path}/none\n").lines
    assert missing == [f"{tmp_path}/none: No such file or directory."]


def test_gdbs_command_line_options_are_accepted():
    """-q, -nx and --args as gdb's command line has them: the same arguments arrive."""
    target = program("echo_args")
    argv = ["-q", "-nx", "-batch", "-ex", "show args", "--args", str(target), "a", "b c", "*"]
    deet = run_deet(*argv)
    gdb = subprocess.run(["gdb", *argv], capture_output=True, text=True, timeout=120,
                         stdin=subprocess.DEVNULL).stdout
    assert deet.returncode == 0
    assert deet.stdout == gdb
    version = run_deet("--version")
    assert version.returncode == 0 and version.lines[0].startswith("deet ")
    assert run_deet("--args").stderr == "Usage: deet <target program>\n"
