"""deet against gdb, the oracle, on programs nobody on this project wrote.

For each program, built with the course flags under DWARF 5 (gcc's default) and DWARF 4,
one gdb session and one deet session set the same breakpoints (on every function, or on
every source line), run the program to its end and take a backtrace at every stop. The
two must agree on where each breakpoint goes, on the sequence of stops, and on every frame
of every backtrace (function, file, line), and the program must end the same way.

Breakpoints are set before ``run``, when neither debugger has loaded libc yet; both add
locations in libraries as they load, so a bare function name means the same in both.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from programs.generate import generate
from support import (
    COURSE_FLAGS,
    PROGRAMS,
    SAMPLE_SOURCES,
    SAMPLES,
    GdbFrame,
    build,
    deet_frames,
    deet_script,
    gdb_batch,
    gdb_frames,
    gdb_script,
    have_gdb,
    same_file,
)

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")

# The course's flags under DWARF 5 (gcc's default) and DWARF 4, and the ways everyone else
# builds: plain gcc -g (a position-independent executable) and optimised.
BUILDS = {
    "dwarf5": COURSE_FLAGS,
    "dwarf4": (*COURSE_FLAGS, "-gdwarf-4"),
    "pie": ("-g",),
    "O2": ("-O2", "-g"),
}
# enough.c is too big for a breakpoint on each of its lines: every line of one function
# and this many others, chosen by a fixed seed, keep the test quick.
ENOUGH_EXTRA_LINES = 40


@dataclass(frozen=True)
class Program:
    """A program under test: where its sources come from and how it is run."""

    name: str
    args: tuple[str, ...] = ()
    seed: int | None = None
    # For a program too big for a breakpoint on every line: how the one function whose
    # lines are all tried begins, in the first source (the other lines are sampled).
    whole_function: str | None = None

    def sources(self, workspace: Path) -> list[Path]:
        if self.seed is not None:
            return generate(self.seed, workspace / f"seed-{self.seed}")
        if self.name == "enough":
            return [PROGRAMS / "enough.c"]
        return [SAMPLES / f for f in SAMPLE_SOURCES.get(self.name, (f"{self.name}.c",))]


PROGRAM_LIST = [
    Program("segfault"),
    Program("function_calls"),
    Program("recursion"),
    Program("two_files"),
    Program("enough", args=("6", "2", "4"), whole_function="local void examine("),
    Program("gen-seed-5", seed=5),
    Program("gen-seed-7", seed=7),
    Program("gen-seed-14", seed=14),
]


def _cases(slow_builds: tuple[str, ...] = ()) -> list:
    """Every program under every build, named ``program-build``; generated programs under
    ``slow_builds`` are marked slow."""
    return [
        pytest.param(program, flags, id=f"{program.name}-{build_}",
                     marks=pytest.mark.slow if program.seed is not None and build_ in slow_builds
                     else ())
        for program in PROGRAM_LIST
        for build_, flags in BUILDS.items()
    ]


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where generated programs are written, once per session."""
    return tmp_path_factory.mktemp("generated")


def _build(program: Program, flags: tuple[str, ...], workspace: Path) -> tuple[Path, list[Path]]:
    sources = [path.resolve() for path in program.sources(workspace)]
    return build(sources, flags, program.name), sources


# -- what a session says -----------------------------------------------------------------


@dataclass(frozen=True)
class Stop:
    """One stop of the program: why, where (file and line), and the backtrace there."""

    signal: str
    file: str | None
    line: int | None
    frames: tuple[GdbFrame, ...]

    def describe(self) -> str:
        frames = "".join(f"\n      {f.function} ({f.file}:{f.line})" for f in self.frames)
        return f"{self.signal} at {self.file}:{self.line}, backtrace:{frames or ' (none)'}"


@dataclass
class Session:
    """Everything a debugger reported about one run: stops in order, then how it ended."""

    stops: list[Stop] = field(default_factory=list)
    ending: str = "still running"
    # What deet wrote to stderr (gdb's is not kept), shown when the run goes wrong: a crash
    # explains a run that stopped too few times or never ended.
    errors: str = ""

    def stderr_tail(self) -> str:
        lines = self.errors.strip().splitlines()[-15:]
        if not lines:
            return ""
        return "".join(["\n  deet's stderr:", *(f"\n    {line}" for line in lines)])


_GDB_BREAKPOINT_STOP = re.compile(
    r"^Breakpoint [\d.]+, (?:0x[0-9a-f]+ in )?\S+ \(.*?\)(?: at (\S+):(\d+))?$")
_GDB_SIGNAL = re.compile(r"^Program received signal (\w+), ")
_GDB_SIGNAL_WHERE = re.compile(r"^(?:0x[0-9a-f]+ in )?\S+ \(.*?\)(?: at (\S+):(\d+))?$")
_GDB_FRAME = re.compile(r"^#\d+ ")
_GDB_EXITED = re.compile(r"^\[Inferior \d+ \(process \d+\) exited (?:normally|with code (\d+))\]$")
_GDB_KILLED = re.compile(r"^Program terminated with signal (\w+), ")


def _gdb_session(text: str) -> Session:
    session = Session()
    frames: list[GdbFrame] = []
    pending_signal: str | None = None

    def begin(signal: str, file: str | None, line: str | None) -> None:
        nonlocal frames
        frames = []
        session.stops.append(Stop(signal, file, int(line) if line else None, ()))

    for line in text.splitlines():
        if pending_signal is not None and (where := _GDB_SIGNAL_WHERE.match(line)):
            begin(pending_signal, where[1], where[2])
            pending_signal = None
        elif match := _GDB_BREAKPOINT_STOP.match(line):
            begin("SIGTRAP", match[1], match[2])
        elif match := _GDB_SIGNAL.match(line):
            pending_signal = match[1]
        elif _GDB_FRAME.match(line) and session.stops:
            frames.extend(gdb_frames(line))
            last = session.stops[-1]
            session.stops[-1] = Stop(last.signal, last.file, last.line, tuple(frames))
        elif match := _GDB_EXITED.match(line):
            session.ending = f"exited with status {int(match[1] or '0', 8)}"
        elif match := _GDB_KILLED.match(line):
            session.ending = f"killed by {match[1]}"
    return session


_DEET_STOPPED = re.compile(r"^Child stopped \(signal (\w+)\)$")
_DEET_WHERE = re.compile(r"^Stopped at (.+):(\d+)$")
_DEET_EXITED = re.compile(r"^Child exited \(status (\d+)\)$")
_DEET_KILLED = re.compile(r"^Child exited \(signal (\w+)\)$")


def _deet_session(lines: list[str]) -> Session:
    session = Session()
    for line in lines:
        if match := _DEET_STOPPED.match(line):
            session.stops.append(Stop(match[1], None, None, ()))
        elif (match := _DEET_WHERE.match(line)) and session.stops:
            last = session.stops[-1]
            session.stops[-1] = Stop(last.signal, match[1], int(match[2]), last.frames)
        elif frame := deet_frames([line]):
            last = session.stops[-1]
            session.stops[-1] = Stop(last.signal, last.file, last.line, (*last.frames, *frame))
        elif match := _DEET_EXITED.match(line):
            session.ending = f"exited with status {match[1]}"
        elif match := _DEET_KILLED.match(line):
            session.ending = f"killed by {match[1]}"
    return session


# -- comparing ---------------------------------------------------------------------------


def _same_place(deet: GdbFrame | Stop, gdb: GdbFrame | Stop) -> bool:
    return deet.line == gdb.line and same_file(deet.file, gdb.file)


def _same_stop(deet: Stop, gdb: Stop) -> bool:
    return (
        deet.signal == gdb.signal
        and _same_place(deet, gdb)
        and len(deet.frames) == len(gdb.frames)
        and all(d.function == g.function and _same_place(d, g)
                for d, g in zip(deet.frames, gdb.frames, strict=True))
    )


def assert_same_run(deet: Session, gdb: Session) -> None:
    """The stops must agree one for one; the message shows the first that does not, on both
    sides, with the stop before it for context."""
    for index, (d, g) in enumerate(zip(deet.stops, gdb.stops, strict=False)):
        if not _same_stop(d, g):
            before = (f"\n  stop {index - 1} (agreed): {gdb.stops[index - 1].describe()}"
                      if index else "")
            pytest.fail(
                f"stop {index} of {len(gdb.stops)} differs{before}"
                f"\n  deet: {d.describe()}\n  gdb:  {g.describe()}",
                pytrace=False,
            )
    if len(deet.stops) != len(gdb.stops):
        shorter = min(len(deet.stops), len(gdb.stops))
        extra = (deet.stops if len(deet.stops) > shorter else gdb.stops)[shorter]
        pytest.fail(
            f"deet stopped {len(deet.stops)} times, gdb {len(gdb.stops)} times; the first "
            f"unmatched stop ({shorter}), by "
            f"{'deet' if len(deet.stops) > shorter else 'gdb'}: {extra.describe()}"
            f"{deet.stderr_tail()}",
            pytrace=False,
        )
    assert deet.ending == gdb.ending, f"deet: {deet.ending}; gdb: {gdb.ending}{deet.stderr_tail()}"


# -- driving both debuggers --------------------------------------------------------------

# Frame arguments are left out: values are not under test and they make lines hard to parse.
# The python block sets each breakpoint on its own, so one that gdb rejects does not end the
# command file, and says where each one went (or that it was rejected).
_GDB_SCRIPT = """\
set startup-with-shell off
set pagination off
set confirm off
set breakpoint pending off
set print frame-arguments none
python
for location in {locations!r}:
    try:
        gdb.execute("break " + location, to_string=True)
    except gdb.error as error:
        print("@rejected", location, error)
    else:
        addresses = (hex(place.address) for place in gdb.breakpoints()[-1].locations)
        print("@set", location, *addresses)
end
run
while $_isvoid($_exitcode) && $_isvoid($_exitsignal)
  bt
  continue
end
"""
_GDB_SET = re.compile(r"^@(set|rejected) (\S+) ?(.*)$")
_DEET_SET = re.compile(r"^Set breakpoint \d+ at (.+?)(?: \(\d+ locations\))?$")


@dataclass
class Outcome:
    """Where each debugger put each breakpoint (addresses, or None if rejected), and the run."""

    gdb_places: dict[str, frozenset[int] | None]
    deet_places: list[tuple[str, frozenset[int] | None]]
    gdb: Session
    deet: Session


def run_both(binary: Path, args: tuple[str, ...], gdb_locations: list[str],
             deet_locations: list[str]) -> Outcome:
    """One gdb and one deet session with these breakpoints: run to the end, a backtrace at
    every stop. deet gets one ``bt``/``c`` pair more than gdb stopped, to show an extra stop."""
    gdb_run = gdb_script(binary, _GDB_SCRIPT.format(locations=gdb_locations), args)
    gdb_places: dict[str, frozenset[int] | None] = {}
    for line in gdb_run.lines:
        if match := _GDB_SET.match(line):
            gdb_places[match[2]] = (frozenset(int(a, 16) for a in match[3].split())
                                    if match[1] == "set" else None)
    assert len(gdb_places) == len(gdb_locations), gdb_run.stdout + gdb_run.stderr
    gdb = _gdb_session(gdb_run.stdout)
    assert gdb.ending != "still running", gdb_run.stdout + gdb_run.stderr

    script = "".join(f"break {location}\n" for location in deet_locations)
    script += f"run {' '.join(args)}\n" + "bt\nc\n" * (len(gdb.stops) + 1)
    deet_run = deet_script(binary, script, timeout=120)
    deet_places = []
    for location, line in zip(deet_locations, deet_run.lines, strict=False):
        match = _DEET_SET.match(line)
        addresses = frozenset(int(a, 16) for a in match[1].split(", ")) if match else None
        deet_places.append((location, addresses))
    deet = _deet_session(deet_run.lines[len(deet_locations):])
    deet.errors = deet_run.stderr
    return Outcome(gdb_places, deet_places, gdb, deet)


def _hex(addresses: frozenset[int] | None) -> str:
    return "rejected" if addresses is None else " ".join(sorted(map(hex, addresses)))


# -- breakpoints on functions ------------------------------------------------------------


def functions_with_line_info(binary: Path) -> list[tuple[str, str]]:
    """(file, function) for every function gdb has debug info for, from ``info functions``;
    the non-debugging symbols (crt start-up code, PLT stubs) have no line to stop at."""
    found = []
    file = None
    for line in gdb_batch(binary, "info functions").splitlines():
        if line.startswith("Non-debugging symbols:"):
            break
        if line.startswith("File ") and line.endswith(":"):
            file = line[len("File "):-1]
        elif file and (match := re.match(r"^\d+:\s+.*?(\w+)\(", line)):
            found.append((file, match[1]))
    return found


@pytest.mark.parametrize(("program", "flags"), _cases())
def test_function_breakpoints_agree_with_gdb(program: Program, flags: tuple[str, ...],
                                             workspace: Path) -> None:
    binary, _ = _build(program, flags, workspace)
    functions = functions_with_line_info(binary)
    names = sorted({name for _, name in functions})
    outcome = run_both(binary, program.args, names, names)

    wrong = [f"break {name}: deet {_hex(addresses)}, gdb {_hex(outcome.gdb_places[name])}"
             for name, addresses in outcome.deet_places if addresses != outcome.gdb_places[name]]
    assert not wrong, "breakpoint addresses differ:\n" + "\n".join(wrong)
    if program.seed is not None:
        stopped_in = {stop.frames[0].function for stop in outcome.gdb.stops if stop.frames}
        assert stopped_in == set(names), f"generator bug: never called {set(names) - stopped_in}"
    assert_same_run(outcome.deet, outcome.gdb)


# -- breakpoints on lines ----------------------------------------------------------------


def lines_to_try(program: Program, sources: list[Path]) -> list[tuple[Path, int]]:
    """Every line of every source, or for a big program every line of one function and a
    fixed sample of the rest (both debuggers move a line without code to the next one with
    code, so any line is a fair request)."""
    every = [(path, line) for path in sources
             for line in range(1, len(path.read_text().splitlines()) + 1)]
    if program.whole_function is None:
        return every
    text = sources[0].read_text().splitlines()
    first = next(n for n, line in enumerate(text, 1) if line.startswith(program.whole_function))
    last = next(n for n, line in enumerate(text[first:], first + 1) if line == "}")
    chosen = [(sources[0], line) for line in range(first, last + 1)]
    rest = [place for place in every if place not in chosen]
    return sorted(chosen + random.Random(0).sample(rest, ENOUGH_EXTRA_LINES))


# A breakpoint on every line of a generated program is the slowest case: the course builds
# run every time, PIE and -O2 (a fifth of the file's time) with the slow tests.
@pytest.mark.parametrize(("program", "flags"), _cases(slow_builds=("pie", "O2")))
def test_line_breakpoints_agree_with_gdb(program: Program, flags: tuple[str, ...],
                                         workspace: Path) -> None:
    binary, sources = _build(program, flags, workspace)
    locations = [f"{path}:{line}" for path, line in lines_to_try(program, sources)]
    outcome = run_both(binary, program.args, locations, locations)

    wrong = [f"break {location}: deet {_hex(addresses)}, gdb "
             f"{_hex(outcome.gdb_places[location])}"
             for location, addresses in outcome.deet_places
             if addresses != outcome.gdb_places[location]]
    assert not wrong, f"{len(wrong)} breakpoints differ:\n" + "\n".join(wrong[:20])
    assert_same_run(outcome.deet, outcome.gdb)


def test_generated_programs_are_deterministic(tmp_path: Path) -> None:
    """A failing seed is only a reproduction if it always writes the same program."""
    first = generate(7, tmp_path / "first")
    second = generate(7, tmp_path / "second")
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))
