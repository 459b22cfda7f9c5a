"""The prompt as a gdb user meets it: abbreviations and Enter repeating the last command.

gdb is the oracle: its lookup of command words, and what it prints when an empty line
repeats a command (gdb repeats on standard input whether or not it is a terminal; deet is
tested on a pseudo-terminal, as a person types).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pexpect
import pytest
from support import deet_script, have_gdb, program

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")

PROMPT = r"\(deet\)"
_ARGV = re.compile(r"argv=0x[0-9a-f]+")


def gdb_stdin(target: Path, lines: list[str]) -> list[str]:
    """What gdb prints for each line typed on its standard input (a pipe), one entry a line
    in order, empty lines included: the text between one ``(gdb)`` prompt and the next."""
    setup = ["set confirm off", "set pagination off", "set width 0"]
    script = "".join(f"{line}\n" for line in [*setup, *lines])
    done = subprocess.run(["gdb", "-nx", "-q", str(target)], input=script, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    chunks = done.stdout.split("(gdb) ")[1:]
    return chunks[3:]


def gdb_python(code: str) -> str:
    """gdb's answer to a Python block run in it (no program)."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", prefix="deet-test-") as file:
        file.write(code)
        file.flush()
        done = subprocess.run(["gdb", "-nx", "-batch", "-x", file.name], capture_output=True,
                              text=True, timeout=120, stdin=subprocess.DEVNULL)
    return done.stdout


def _deet_words() -> list[str]:
    listing = deet_script(program("prompt"), "help\n").lines
    words = []
    for line in listing:
        head = line.split(" -- ")[0]
        name, _, also = head.partition(" (also ")
        words += [name, *also.rstrip(")").split(", ")] if also else [name]
    return [word for word in words if word]


def test_abbreviations_mean_what_they_mean_in_gdb():
    """Every prefix of up to three letters of deet's command words, and the abbreviations a
    gdb user types: ambiguous in deet exactly where gdb refuses it, with gdb's message, and
    otherwise the same command as gdb's (gdb's help for the prefix is its help for the
    command deet chose)."""
    prefixes = sorted({word[:n] for word in _deet_words() for n in (1, 2, 3)}
                      | {"disas", "del", "tb", "br", "fr", "dis", "en", "fin", "inf", "u"})
    deet_help = deet_script(program("prompt"), "".join(f"help {p}\n" for p in prefixes)).lines
    assert len(deet_help) == len(prefixes)
    chosen = {prefix: line.split(" ")[0] for prefix, line in zip(prefixes, deet_help, strict=True)}
    asked = sorted(set(prefixes) | {name for name in chosen.values()
                                    if not name.startswith(("Ambiguous", "Undefined"))})
    gdb = gdb_python(
        "import gdb\n"
        f"for word in {asked!r}:\n"
        "    try:\n"
        "        text = gdb.execute('help ' + word, to_string=True)\n"
        "    except gdb.error as exc:\n"
        "        text = str(exc)\n"
        "    print('@@' + word)\n"
        "    print(text)\n"
    )
    answers = {part.split("\n", 1)[0]: part.split("\n", 1)[1].strip()
               for part in gdb.split("@@")[1:]}
    ambiguous = 0
    for prefix, line in zip(prefixes, deet_help, strict=True):
        if answers[prefix].startswith("Ambiguous command"):
            ambiguous += 1
            assert line == answers[prefix], prefix
        elif line.startswith("Undefined command"):
            # A command deet does not have: gdb knows it, under another name.
            assert not answers[prefix].startswith("Undefined command"), prefix
        else:
            assert answers[prefix] == answers[chosen[prefix]], (prefix, chosen[prefix])
    assert ambiguous > 10


def test_an_ambiguous_prefix_runs_nothing_and_the_session_goes_on():
    run = deet_script(program("prompt"), "de\nst\nbr square\ntb sum_to\nrun\nfr\n")
    want = gdb_python(
        "import gdb\n"
        "for word in ('de', 'st'):\n"
        "    try:\n"
        "        gdb.execute(word)\n"
        "    except gdb.error as exc:\n"
        "        print(exc)\n"
    ).splitlines()
    assert run.lines[:2] == want
    assert run.lines[2].startswith("Set breakpoint 0 at ")
    assert run.lines[3].startswith("Set breakpoint 1 at ")
    assert any(re.match(r"#0  sum_to \(limit=4\) at .*prompt\.c:\d+$", line)
               for line in run.lines[4:]), run.lines


def _typed(child, line: str) -> str:
    """Type ``line`` at deet's prompt; what deet prints before the next prompt. prompt_toolkit
    turns bracketed paste off when it hands a line over and on when it prompts again, so the
    command's output is what lies between the two."""
    child.sendline(line)
    child.expect_exact("\x1b[?2004l")
    child.expect_exact("\x1b[?2004h")
    text = child.before.replace("\r\n", "\n")
    child.expect(PROMPT)
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


@pytest.mark.parametrize(("stop", "commands"), [
    ("sum_to", ["next", "", "", "step", ""]),
    ("sum_to", ["list", "", "", ""]),
    ("sum_to", ["list 25,30", "list -", "", ""]),
    ("sum_to", ["x/2xw &origin", "", "x/3dw &counter", ""]),
    ("square", ["up", "", "down", "", "frame 1", ""]),
    ("sum_to", ["info locals", "", "print $pc", ""]),
], ids=["next-step", "list", "list-back", "x", "frames", "inspection"])
def test_enter_repeats_the_last_command_as_in_gdb(pty_session, stop, commands):
    target = program("prompt")
    want = gdb_stdin(target, [f"break {stop}", "run", *commands])[2:]
    child = pty_session(target)
    child.expect(PROMPT)
    for line in (f"break {stop}", "run"):
        _typed(child, line)
    got = [_typed(child, line) for line in commands]
    # gdb gives the program LINES and COLUMNS, which moves the stack a little.
    assert [_ARGV.sub("argv=", text) for text in got] == \
        [_ARGV.sub("argv=", text) for text in want[:len(commands)]]
    child.sendline("quit")


def test_commands_gdb_does_not_repeat_are_not_repeated(pty_session):
    target = program("prompt")
    child = pty_session(target)
    child.expect(PROMPT)
    assert _typed(child, "run").endswith("Child exited (status 3)\n")
    assert _typed(child, "") == ""
    _typed(child, "break square")
    _typed(child, "delete")
    assert _typed(child, "") == ""
    child.sendline("quit")


COMPLETE = ["disas", "info lo", "break squ", "set pagi", "show print pre", "list sq",
            "until sum", "info sha", "tbr", "print lim", "p hidd", "p coun", "output tota",
            "p squa", "advance squ", "break prom", "until prom", "break prompt.c:sq",
            "tbreak prompt.c:", "set var lim", "set variable hidd"]


def gdb_complete(target: Path, setup: list[str], texts: list[str]) -> dict[str, list[str]]:
    """gdb's ``complete TEXT`` (its Tab, written out) for each of ``texts``, after ``setup``."""
    commands = [*setup, *(f"complete {text}" for text in texts)]
    gdb = subprocess.run(
        ["gdb", "-nx", "-batch", *(x for c in commands for x in ("-ex", c)), str(target)],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL).stdout
    return {text: [line for line in gdb.splitlines() if line.startswith(text)]
            for text in texts}


def test_complete_offers_what_gdb_offers(tmp_path):
    """gdb's ``complete`` is its Tab, written out; deet's is the same function as its Tab.
    File names (a directory without the ``/`` Tab adds), a file's functions after
    ``FILE:``, and ``set var``'s expression."""
    target = program("prompt")
    (tmp_path / "subdir").mkdir()
    (tmp_path / "sourced-commands.gdb").write_text("echo sourced\\n\n")
    texts = [*COMPLETE, f"source {tmp_path}/sub", f"source {tmp_path}/sourced",
             f"source {tmp_path}/"]
    setup = ["break sum_to", "run"]
    commands = [*setup, *(f"complete {text}" for text in texts)]
    deet = deet_script(target, "".join(f"{c}\n" for c in commands)).lines
    want = gdb_complete(target, setup, texts)
    for text in texts:
        got = [line for line in deet if line.startswith(text)]
        assert got == want[text], text
    # (Each text's lines are those that start with it, so ``/sub`` has ``/``'s too.)
    assert f"source {tmp_path}/subdir" in want[f"source {tmp_path}/sub"]
    assert want["break prompt.c:sq"] == ["break prompt.c:square"]


def _tab_typed(child, typed: str, rest: str) -> str:
    """Type ``typed``, Tab, then ``rest`` and Enter: what the command printed (as ``_typed``)."""
    child.send(typed + "\t")
    child.send(rest + "\r")
    child.expect_exact("\x1b[?2004l")
    child.expect_exact("\x1b[?2004h")
    text = child.before.replace("\r\n", "\n")
    child.expect(PROMPT)
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


def test_tab_writes_the_completion_gdb_offers(pty_session, tmp_path):
    """Settings, ``set var``'s variables, a file's functions and file names (a directory
    gets readline's ``/``): Tab on each text writes gdb's one completion of it, so the line
    then run prints what gdb prints for the completed command."""
    target = program("prompt")
    (tmp_path / "subdir").mkdir()
    (tmp_path / "subdir" / "nested.gdb").write_text("echo nested\\n\n")
    (tmp_path / "sourced-commands.gdb").write_text("echo sourced\\n\n")
    setup = ["break sum_to", "run"]
    # (text Tab completes, what is typed after the Tab, what gdb's completion is followed by)
    typed = [("set pagi", " off", " off"), ("set print pre", " on", " on"),
             ("set var lim", " = 2", " = 2"), ("info ar", "", ""),
             ("set variable hidd", " = 9", " = 9"), ("print hidd", "", ""),
             (f"source {tmp_path}/sourced", "", ""),
             (f"source {tmp_path}/sub", "nested.gdb", "/nested.gdb"),
             ("advance prompt.c:squ", "", "")]
    completed = gdb_complete(target, setup, [text for text, _, _ in typed])
    for text, _, _ in typed:
        assert len(completed[text]) == 1, (text, completed[text])
    # ``print origin`` shows that ``set print pretty on`` was run.
    want = gdb_stdin(target, [*setup, *(completed[text][0] + after for text, _, after in typed),
                              "print origin"])
    child = pty_session(target)
    child.expect(PROMPT)
    for line in setup:
        _typed(child, line)
    got = [_tab_typed(child, text, rest) for text, rest, _ in typed]
    got.append(_typed(child, "print origin"))
    assert [_ARGV.sub("argv=", text) for text in got] == \
        [_ARGV.sub("argv=", text) for text in want[len(setup):len(setup) + len(typed) + 1]]
    assert got[-1].startswith("$2 = {\n  x = 1,")
    assert "sourced\n" in got and "nested\n" in got
    child.sendline("quit")


def _tab(child, typed: str, then: str) -> None:
    child.send(typed + "\t")
    child.send("\r")
    child.expect_exact(then)
    child.expect(PROMPT)


def test_tab_completes_commands_locations_and_variables(pty_session):
    child = pty_session(program("prompt"))
    child.expect(PROMPT)
    _tab(child, "br sum", "Set breakpoint 0 at ")
    _tab(child, "ru", "Stopped at ")
    _tab(child, "info lo", "total = ")
    _tab(child, "print lim", "$1 = 4")
    _tab(child, "disas", "Dump of assembler code for function sum_to:")
    # Two Tabs where several words fit list them, as readline does.
    child.send("info s\t\t")
    child.expect_exact("sharedlibrary")
    child.expect_exact("source")
    child.send("\x15quit\r")
    child.expect(pexpect.EOF)
