"""The program's world: a run line's quoting, expansions and redirections, and set/show
args, environment and cwd, against gdb's run through /bin/sh on the same program."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support import deet_command, have_gdb, program

from deet.debugger.errors import DebuggerError
from deet.debugger.shell import Redirection, parse, quote

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")

# Lines whose effect on the program (its argv, what it read, the files it wrote) must be
# the same under deet as under gdb, whose shell does the same work.
RUN_LINES = [
    "'single quoted' \"double $DEET_WORLD\" plain\\ escaped $DEET_WORLD *.txt ~/x"
    " > out.txt 2> err.txt < in.txt",
    "append >> out.txt 2>&1 < in.txt",
    "\"\" '' \"a b\"'c d' ${DEET_WORLD}x nomatch*.zz [ab].txt ?.txt \\* > out.txt 2>err.txt",
    "<in.txt >out.txt 2>&1 after$UNSET_VARIABLE_X \"$UNSET_VARIABLE_X\" $UNSET_VARIABLE_X",
    "3>three.txt 2>&3 >out.txt word # a comment > nothing.txt",
    "> out.txt 2> err.txt < in.txt \"quoted > not a redirection\" 'it'\"'\"'s'",
    "> out.txt 2> err.txt < in.txt ends\\",  # sh keeps a backslash that ends the line
]


def _scene(directory: Path) -> Path:
    """A working directory with files for globs and redirections, and a subdirectory."""
    directory.mkdir()
    (directory / "a.txt").write_text("A\n")
    (directory / "b.txt").write_text("B\n")
    (directory / "in.txt").write_text("line one\nline two\n")
    (directory / "out.txt").write_text("old contents\n")
    (directory / "sub").mkdir()
    return directory


def _environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("LINES", "COLUMNS")}
    env.update(SHELL="/bin/sh", LC_ALL="C")
    return env


def _files(directory: Path) -> dict[str, str]:
    return {path.name: path.read_text() for path in sorted(directory.glob("*.txt"))}


def _gdb(directory: Path, commands: list[str], target: Path) -> str:
    """gdb's stdout and stderr together: gdb writes errors to stderr, deet to stdout."""
    argv = ["gdb", "-nx", "-batch"]
    for command in commands:
        argv += ["-ex", command]
    done = subprocess.run([*argv, str(target)], cwd=directory, env=_environment(),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    return done.stdout


def _deet(directory: Path, commands: list[str], target: Path) -> str:
    argv = [*deet_command(), "--batch"]
    for command in commands:
        argv += ["-ex", command]
    done = subprocess.run([*argv, str(target)], cwd=directory, env=_environment(),
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert "Traceback" not in done.stderr
    return done.stdout


@pytest.mark.parametrize("line", RUN_LINES)
def test_a_run_line_gives_the_program_what_gdbs_shell_gives_it(tmp_path, line):
    target = program("world")
    commands = ["set environment DEET_WORLD two  words", f"run {line}", f"run {line}"]
    gdb_dir, deet_dir = _scene(tmp_path / "gdb"), _scene(tmp_path / "deet")
    _gdb(gdb_dir, commands, target)
    _deet(deet_dir, commands, target)
    expected = {name: text.replace(str(gdb_dir), "DIR") for name, text in _files(gdb_dir).items()}
    got = {name: text.replace(str(deet_dir), "DIR") for name, text in _files(deet_dir).items()}
    assert got == expected
    assert "arg 1" in got["out.txt"]


def test_the_environment_and_the_working_directory_reach_the_program_as_in_gdb(tmp_path):
    target = program("world")
    commands = ["set cwd sub", "set environment DEET_WORLD=first", "run > ../out.txt",
                "unset environment DEET_WORLD", "run >> ../out.txt", "set cwd",
                "set environment DEET_WORLD", "run >> out.txt"]
    gdb_dir, deet_dir = _scene(tmp_path / "gdb"), _scene(tmp_path / "deet")
    _gdb(gdb_dir, commands, target)
    _deet(deet_dir, commands, target)
    expected = (gdb_dir / "out.txt").read_text().replace(str(gdb_dir), "DIR")
    assert (deet_dir / "out.txt").read_text().replace(str(deet_dir), "DIR") == expected
    assert expected.splitlines()[:2] == ["DEET_WORLD first", "cwd DIR/sub"]


SHOW_COMMANDS = [
    "show args", "set args a \"b c\" < in.txt", "show args", "show cwd", "set cwd /tmp",
    "show cwd", "set cwd ~/x", "show cwd", "set cwd", "show cwd",
    "set environment FOO bar", "show environment FOO", "set environment BAZ=qux",
    "show environment BAZ", "set environment  A  =  B", "show environment A",
    "set environment A=B=C", "show environment A", "set environment C D=E",
    "show environment C", "set environment X", "show environment X",
    "set environment Y =", "show environment Y", "unset environment FOO",
    "show environment FOO", "unset environment NOPE", "set environment", "set environment =x",
    "set env Z 1", "show env Z", "unset env Z", "show env Z", "set args", "show args",
]


def test_set_show_and_unset_say_what_gdb_says(tmp_path):
    target = program("world")
    gdb_lines = _gdb(tmp_path, SHOW_COMMANDS, target).splitlines()
    deet_lines = _deet(tmp_path, SHOW_COMMANDS, target).splitlines()
    assert deet_lines == gdb_lines
    assert 'Argument list to give program being debugged when it is started is "".' in deet_lines


def test_unset_environment_without_a_name_clears_it(tmp_path):
    target = program("world")
    commands = ["unset environment", "show environment", "set environment ONLY=1",
                "show environment", "run > out.txt"]
    assert _deet(tmp_path, commands, target).splitlines()[:1] == ["ONLY=1"]
    assert _gdb(tmp_path, commands[:4], target).splitlines() == ["ONLY=1"]
    assert "DEET_WORLD (unset)" in (tmp_path / "out.txt").read_text()


def test_arguments_from_the_command_line_reach_the_program_as_they_are(tmp_path):
    target = program("world")
    words = ["a b", "*", "$HOME", "it's", "", 'x"y', "<", "2>&1"]
    argv = [*deet_command(), "--batch", "-ex", "show args", "-ex", "run", str(target), "--",
            *words]
    done = subprocess.run(argv, cwd=_scene(tmp_path / "d"), capture_output=True, text=True,
                          timeout=60)
    gdb = subprocess.run(["gdb", "-nx", "-batch", "-ex", "show args", "--args", str(target),
                          *words], capture_output=True, text=True, timeout=60,
                         stdin=subprocess.DEVNULL)
    assert done.stdout.splitlines()[0] == gdb.stdout.splitlines()[0]
    printed = done.stdout.splitlines()[1:]
    assert printed[: len(words)] == [f"arg {i} [{w}]" for i, w in enumerate(words, start=1)]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("a | b", 'Shell syntax "|" is not supported in the program\'s arguments (deet runs no '
                  "shell)."),
        ("a; b", 'Shell syntax ";" is not supported in the program\'s arguments (deet runs no '
                 "shell)."),
        ("$(date)", 'Shell syntax "$(" is not supported in the program\'s arguments (deet runs '
                    "no shell)."),
        ("'open", "Unterminated quoted string in the program's arguments."),
        ("a >", 'Missing file name after ">" in the program\'s arguments.'),
        ("<< END", 'Shell syntax "<<" is not supported in the program\'s arguments (deet runs '
                   "no shell)."),
        ("${X:-y}", 'Shell expansion "${X:-y}" is not supported in the program\'s arguments.'),
        ("2>&x", '">&x": a descriptor number or "-" is needed after it.'),
    ],
)
def test_what_deet_cannot_do_without_a_shell_is_one_line(tmp_path, line, message):
    with pytest.raises(DebuggerError) as caught:
        parse(line, {}, str(tmp_path))
    assert str(caught.value) == message


def test_a_bad_run_line_or_a_missing_file_is_one_line_and_no_program(tmp_path):
    target = program("world")
    lines = _deet(tmp_path, ["run < nosuch.txt", "run a | b", "info inferiors"],
                  target).splitlines()
    assert lines[:2] == [
        "nosuch.txt: No such file or directory",
        'Shell syntax "|" is not supported in the program\'s arguments (deet runs no shell).',
    ]
    assert "<null>" in lines[-1]


def test_the_parsed_line():
    parsed = parse("x 2>>log <in 1>&2 >&- y", {"HOME": "/h"}, "/")
    assert parsed.words == ("x", "y")
    assert parsed.redirections == (Redirection(2, ">>", "log"), Redirection(0, "<", "in"),
                                   Redirection(1, ">&", "2"), Redirection(1, ">&", "-"))
    assert quote(["a b", ""]) == "a\\ b ''"
    assert parse(quote(["a b", "", "*", "\n"]), {}, "/").words == ("a b", "", "*", "\n")
    assert shutil.which("sh") is not None
