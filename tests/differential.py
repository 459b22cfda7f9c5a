"""deet against gdb, check by check, on real programs: the differential sweep.

For each function a program's workload reaches, both debuggers run the same session:
``break FUNC``, ``run``, and then the checks a student's session is made of: the stop's
backtrace, ``info args``, ``info locals``, ``print`` of each argument and local,
``finish``, eight ``next``s, ``up`` and ``info locals``. Many functions share one session
of each debugger (each ``run`` restarts the program), and each command's output is cut
out of the session by the ``(deet) COMMAND`` line deet's ``--echo`` prints (gdb gets an
``echo`` of the same line before each command), so a difference is reported as the
function, the command and the two outputs.

Only the forms that differ by design are brought together before comparing: DEET's
backtrace (``func (file:line)``) against gdb's ``#N`` lines, by function, file and line;
DEET's exit line against gdb's ``[Inferior 1 (process N) exited ...]``; and the ``Run till
exit from`` line, which gdb prints only on a terminal. Everything else must be the same
text, character for character.

``python tests/differential.py PROGRAM BUILD [COUNT]`` runs a sweep and prints what
differs (PROGRAM: lua or python; BUILD: course, pie or O2).
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import ROOT, deet_command, deet_frames, gdb_frames, same_file

# The checks of one function's session, after ``break FUNC`` and ``run``.
NEXTS = 8
ECHO = "(deet) "
_EXIT_DEET = re.compile(r"^Child exited \((status \d+|signal \w+)\)$")
_EXIT_GDB = re.compile(r"^\[Inferior \d+ \(process \d+\) exited (normally|with code (\d+))\]$")
# gdb would load the pretty-printers a program ships (python3.11-dbg's libpython): the
# comparison is of what both debuggers print of the C values.
_NO_AUTO_LOAD = ("-iex", "set auto-load off")
_GDB_NOISE = re.compile(r"^\[(Thread debugging using|New Thread|Inferior \d+ \(process \d+\) "
                        r"killed|Detaching after)|^Using host libthread_db")


@dataclass(frozen=True)
class Workload:
    """A program and the arguments that make it reach many of its functions without
    printing anything (so that its output cannot interleave with either debugger's)."""

    binary: Path
    args: tuple[str, ...]


@dataclass(frozen=True)
class Difference:
    function: str
    command: str
    deet: tuple[str, ...]
    gdb: tuple[str, ...]

    def __str__(self) -> str:
        return (f"{self.function}: {self.command}\n  deet: " + "\n        ".join(self.deet)
                + "\n  gdb:  " + "\n        ".join(self.gdb))


@dataclass
class Sweep:
    """What a sweep compared and what differed."""

    checks: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        return 1.0 - len(self.differences) / self.checks if self.checks else 1.0


def _environment() -> dict[str, str]:
    """Both debuggers run the program without gdb's LINES/COLUMNS, so stacks agree."""
    return {k: v for k, v in os.environ.items() if k not in ("LINES", "COLUMNS")}


# -- which functions the workload reaches ------------------------------------------------

_REACHED = """
import gdb
names = {{}}
for line in open({names!r}):
    address, name = line.split()
    names.setdefault(name, []).append(int(address, 16))
gdb.execute("starti")
some = next(iter(names))
bias = int(gdb.parse_and_eval(f"(long)&{{some}}")) - min(names[some])
hit = []
class Once(gdb.Breakpoint):
    def stop(self):
        name = by_number[self.number]
        if name not in hit:
            hit.append(name)
        self.enabled = False
        return False
gdb.execute("symbol-file")
by_number = {{}}
for name, addresses in names.items():
    for address in addresses:
        by_number[Once(f"*{{address + bias:#x}}", internal=True).number] = name
gdb.execute("continue")
open({out!r}, "w").write("\\n".join(hit))
"""


def _function_symbols(binary: Path) -> dict[str, list[int]]:
    """The program's own functions that have line information, and where each is (a
    static function's name may be several)."""
    listing = subprocess.run(["nm", "--defined-only", "-l", str(binary)], capture_output=True,
                             text=True, check=True).stdout
    found: dict[str, list[int]] = {}
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[1] in "tT" and "." not in parts[2] and ":" in parts[3]:
            found.setdefault(parts[2], []).append(int(parts[0], 16))
    return found


def reached_functions(workload: Workload, candidates: int = 1500) -> list[str]:
    """The functions the workload calls, in the order it first reaches them (gdb finds
    them: one run with a self-disabling breakpoint at each one's first instruction). A
    program with more functions than ``candidates`` (CPython has 10,000) has a fixed
    sample of them tried.

    The breakpoints are set by address once gdb has dropped the program's symbols: with
    them, each breakpoint and each stop made gdb read the whole debug information of the
    function's compilation unit (96 s for CPython's 383 functions)."""
    symbols = _function_symbols(workload.binary)
    with tempfile.TemporaryDirectory(prefix="deet-reached-") as work:
        names = Path(work) / "names"
        out = Path(work) / "hit"
        names.write_text("".join(f"{address:x} {name}\n"
                                 for name in choose(sorted(symbols), candidates)
                                 for address in symbols[name]))
        script = Path(work) / "reached.py"
        script.write_text(_REACHED.format(names=str(names), out=str(out)))
        subprocess.run(["gdb", "-nx", "-batch", *_NO_AUTO_LOAD, "-ex",
                        "set startup-with-shell off", "-ex", "set confirm off",
                        "-ex", "unset environment LINES", "-ex", "unset environment COLUMNS",
                        "-x", str(script), "--args", str(workload.binary), *workload.args],
                       capture_output=True, text=True, timeout=600, env=_environment(),
                       stdin=subprocess.DEVNULL)
        return out.read_text().split() if out.exists() else []


def choose(functions: list[str], count: int, seed: int = 13) -> list[str]:
    """A fixed sample: the same functions on every run and every machine."""
    if len(functions) <= count:
        return list(functions)
    return sorted(random.Random(seed).sample(functions, count))


# -- one session of each debugger -------------------------------------------------------

def _variables(text: str) -> list[str]:
    """The names ``info args``/``info locals`` listed (gdb's lines ``name = value``)."""
    return [match[1] for match in re.finditer(r"^(\w+) = ", text, re.M)]


def _names_to_print(workload: Workload, functions: list[str]) -> dict[str, list[str]]:
    """Each function's arguments and locals at its breakpoint, as gdb lists them."""
    commands = []
    for function in functions:
        commands += [f"break {function}", "run", "delete", f"echo {ECHO}{function}\\n",
                     "info args", "info locals", "kill"]
    out = _gdb(workload, commands)
    found: dict[str, list[str]] = {}
    for section in out.split(ECHO)[1:]:
        name, _, body = section.partition("\n")
        found[name] = list(dict.fromkeys(_variables(body)))
    return found


def session_commands(function: str, names: Iterable[str], args: tuple[str, ...]) -> list[str]:
    run = " ".join(["run", *args])
    return [f"break {function}", run, "delete", "bt", "info args", "info locals",
            *(f"print {name}" for name in names), "finish", *(["next"] * NEXTS), "up",
            "info locals", "kill"]


def _gdb(workload: Workload, commands: list[str]) -> str:
    """gdb's output (stdout and stderr, in order) for ``commands``, each an ``-ex``: a
    failing command does not end the rest, as it would in a sourced file."""
    argv = ["gdb", "-nx", "-batch", *_NO_AUTO_LOAD, "-ex", "set startup-with-shell off", "-ex",
            "set confirm off", "-ex", "unset environment LINES", "-ex",
            "unset environment COLUMNS"]
    for command in commands:
        argv += ["-ex", command]
    argv += ["--args", str(workload.binary), *workload.args]
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=1200, env=_environment(), stdin=subprocess.DEVNULL)
    return done.stdout


def _gdb_echoed(workload: Workload, commands: list[str]) -> str:
    """gdb runs the commands, each announced as deet's --echo announces it."""
    echoed = []
    for command in commands:
        echoed += [f"echo {ECHO}{_escape(command)}\\n", command]
    return _gdb(workload, echoed)


def _escape(command: str) -> str:
    return command.replace("\\", "\\\\").replace('"', '\\"')


def _deet_echoed(workload: Workload, commands: list[str]) -> str:
    """deet runs the commands as ``-ex``s, as gdb does, each echoed before its output."""
    argv = [*deet_command(), "--batch", "--echo"]
    for command in commands:
        argv += ["-ex", command]
    done = subprocess.run([*argv, str(workload.binary), "--", *workload.args],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=1200, env=_environment(), cwd=ROOT, stdin=subprocess.DEVNULL)
    return done.stdout


def _sections(output: str) -> list[tuple[str, list[str]]]:
    """(command, its output lines) in order."""
    sections: list[tuple[str, list[str]]] = []
    for line in output.splitlines():
        if line.startswith(ECHO):
            sections.append((line[len(ECHO):], []))
        elif sections:
            sections[-1][1].append(line)
    return sections


# -- comparing ---------------------------------------------------------------------------

_COMPARED = ("bt", "info args", "info locals", "print ", "finish", "next", "up")
# What a scripted session compares: everything but the commands whose output is DEET's
# own or only says that they were done.
SCRIPTED = (*_COMPARED, "step", "down", "frame", "info breakpoints")


_BREAKPOINT_STOP = re.compile(r"^(Temporary breakpoint|Breakpoint) \d+(\.\d+)?, ")
_HISTORY = re.compile(r"^(\$|Value returned is \$)\d+ = ")


def _normal(lines: list[str], gdb: bool) -> tuple[str, ...]:
    """A command's output with what differs by design made the same. The value history
    number is left out: one print that fails in one debugger would shift every later
    number, and each such failure is already a difference of its own."""
    out = []
    for line in lines:
        # A stop at a breakpoint: DEET's two lines against gdb's "Breakpoint N, ..."
        # (and the blank line before it); the source line after them is compared.
        if ((not gdb and line.startswith(("Child stopped (signal SIGTRAP)", "Stopped at ")))
                or (gdb and (line == "" or _BREAKPOINT_STOP.match(line)))):
            continue
        line = _HISTORY.sub(lambda match: match[1] + " = ", line)
        if gdb and _GDB_NOISE.match(line):
            continue
        if not gdb and line.startswith("Run till exit from "):
            continue
        if gdb and (match := _EXIT_GDB.match(line)):
            line = f"exited {match[2] or 0}"
        elif not gdb and (match := _EXIT_DEET.match(line)):
            line = f"exited {match[1].removeprefix('status ')}"
        out.append(line)
    return tuple(out)


def _same_backtraces(deet: list[str], gdb: list[str]) -> bool:
    """deet's DEET-form backtrace (or a second gdb one) against gdb's, frame by frame."""
    ours = deet_frames(deet) if not any(line.startswith("#") for line in deet) else (
        gdb_frames("\n".join(deet)))
    theirs = gdb_frames("\n".join(gdb))
    return len(ours) == len(theirs) and all(
        a.function == b.function and a.line == b.line and same_file(a.file, b.file)
        for a, b in zip(ours, theirs, strict=True)
    )


def compare(workload: Workload, functions: list[str]) -> Sweep:
    """Run the sweep over ``functions``; every check counts, every difference is kept."""
    names = _names_to_print(workload, functions)
    commands = []
    for function in functions:
        commands += session_commands(function, names.get(function, []), ())
    return compare_session(workload, commands)


def compare_session(workload: Workload, commands: list[str],
                    compared: tuple[str, ...] = _COMPARED) -> Sweep:
    """Run ``commands`` in both debuggers and compare the output of each that starts
    with one of ``compared``.

    gdb runs the session twice, before and after deet: a check on which gdb disagrees
    with itself (a variable never initialised, whatever the stack held before; a value
    made from the time or an address) says nothing about deet and is left out."""
    gdb = _sections(_gdb_echoed(workload, commands))
    deet = _sections(_deet_echoed(workload, commands))
    again = _sections(_gdb_echoed(workload, commands))
    sweep = Sweep()
    function = ""
    for (command, ours), (their_command, theirs), (_, repeat) in zip(deet, gdb, again,
                                                                      strict=False):
        if command != their_command:
            sweep.differences.append(Difference(function, "(sessions out of step)",
                                                (command,), (their_command,)))
            break
        if command.startswith("break "):
            function = command.removeprefix("break ")
        if not command.startswith(compared):
            continue
        if command == "bt":
            stable, same = _same_backtraces(theirs, repeat), _same_backtraces(ours, theirs)
        else:
            expected = _normal(theirs, gdb=True)
            stable = expected == _normal(repeat, gdb=True)
            same = _normal(ours, gdb=False) == expected
        if not stable:
            continue
        sweep.checks += 1
        if not same:
            sweep.differences.append(Difference(function, command, tuple(ours), tuple(theirs)))
    return sweep


def main(argv: list[str]) -> int:
    import corpus

    program, build = argv[0], argv[1]
    count = int(argv[2]) if len(argv) > 2 else 20
    workloads = {"lua": lambda: Workload(corpus.lua(build), LUA_WORKLOAD),
                 "python": lambda: Workload(corpus.python_dbg(), PYTHON_WORKLOAD)}
    workload = workloads[program]()
    functions = choose(reached_functions(workload), count)
    sweep = compare(workload, functions)
    for difference in sweep.differences:
        print(difference)
    print(f"{len(functions)} functions, {sweep.checks} checks, "
          f"{len(sweep.differences)} differences ({sweep.agreement:.1%} agreement)")
    return 0


# Workloads that reach much of each program and print nothing. They are files, not
# ``-e``/``-c`` arguments: with ``startup-with-shell off`` gdb splits an argument that holds
# spaces.
WORKLOADS = Path(__file__).resolve().parent / "programs" / "workloads"
LUA_WORKLOAD = (str(WORKLOADS / "sweep.lua"),)
PYTHON_WORKLOAD = ("-S", str(WORKLOADS / "sweep.py"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
