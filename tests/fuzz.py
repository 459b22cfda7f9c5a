"""The fuzzer and the mutant generator: random sessions and damaged inputs, seeded.

A fuzz case is a random sequence of commands (real commands with plausible, odd and broken
arguments) against one of the samples; a mutant case is a damaged copy of a sample (bytes
of one section overwritten, or the file cut short) or of its debug-info cache, put through
a short session. Every case runs through ``deet.api.Session`` with a 2-second time limit
and its own cache directory, in a worker process that reports one JSON line per case; the
parent gives each case a wall-clock allowance, so a case that hangs is reported as a hang
and the worker restarted after it. What counts as a failure: an ``InternalError`` result
or any exception other than ``SessionError`` (an internal error), a case over its
allowance (a hang), a process left alive after the session closed (a leftover).

The same seed always gives the same cases. ``python tests/fuzz.py fuzz|mutants FIRST
COUNT`` runs cases FIRST.. and prints the totals and every failure (a reproduction).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import marshal
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import ROOT, sample

# Samples that end on their own within a second, with the arguments they take.
TARGETS = {
    "function_calls": "", "count": "", "recursion": "4", "segfault": "", "hello": "",
    "threads": "2", "signals": "2", "forks": "1", "two_files": "", "exit": "3",
}
FUNCTIONS = ("main", "compute", "add", "print_global", "func1", "func2", "factorial",
             "tick", "worker", "shout", "puts", "printf", "nosuch", "_start", "malloc")
VARIABLES = ("x", "y", "value", "global", "n", "argc", "argv", "argv[0]", "i", "id",
             "total", "rounds", "nosuch", "$pc", "$sp", "$rip", "$1", "$", "$$2", "$_")
COMMANDS = (
    "run", "run {args}", "start", "continue", "continue {count}", "next", "next {count}",
    "step", "step {count}", "stepi", "stepi {count}", "nexti {count}", "finish",
    "until", "advance {location}", "break {location}", "tbreak {location}",
    "break {location} if {expression}", "delete", "delete {count}", "disable {count}",
    "enable {count}", "condition {count} {expression}", "condition {count}",
    "backtrace", "bt {count}", "where", "frame", "frame {count}", "up", "up {count}",
    "down", "down {count}", "print {expression}", "p/{format} {expression}",
    "x/{count}{unit} {expression}", "x", "info locals", "info args", "info registers",
    "info registers {register}", "info breakpoints", "info threads", "info frame",
    "info inferiors", "info signals", "info sharedlibrary", "info line {location}",
    "info {word}", "list", "list {location}", "list {count},{count}", "disassemble",
    "kill", "set var {variable} = {expression}", "set args {args}", "show args",
    "set environment {word} {word}", "unset environment {word}", "show environment",
    "set cwd /tmp", "show cwd", "handle {signal} {action}", "thread", "thread {count}",
    "inferior {count}", "set detach-on-fork {onoff}", "set follow-fork-mode {fork}",
    "set breakpoint pending {onoff}", "show {word}", "help", "help {word}", "{word}",
    "{word} {expression}", "quit-not",
)
COUNTS = ("0", "1", "2", "3", "5", "17", "100", "-1", "-5", "0x10", "1000000", "abc", "",
          "1.5", "99999999999999999999")
FORMATS = ("x", "d", "u", "o", "t", "c", "a", "f", "s", "i", "z", "q", "")
UNITS = ("b", "h", "w", "g", "s", "i", "x", "xw", "dg", "c", "")
REGISTERS = ("rip", "rsp", "rax", "pc", "eflags", "cs", "nosuch", "$rbp", "xmm0")
SIGNALS = ("SIGINT", "SIGUSR1", "SIGSEGV", "SIGCHLD", "14", "SIGNOPE", "all")
ACTIONS = ("stop", "nostop", "print", "noprint", "pass", "nopass", "bogus")
WORDS = ("locals", "nosuch", "x", "args", "print", "breakpoints", "é", "'", '"', "\\",
         "--", "-x", "$", "#", ";", "&&", "|", "`", "\t", "~", "*", "@", "%s%n")
ARGUMENTS = ("", "1", "a b", "'two words'", '"q"', "< /dev/null", "> /dev/null",
             "2>&1", "$HOME", "'abc", '"abc', "\\", "a\\ b", "~", "*", "x" * 300)


@dataclass
class Tally:
    """What a run of cases found."""

    cases: int = 0
    internal_errors: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        return self.internal_errors + self.hangs + self.leftovers


# -- the cases -------------------------------------------------------------------------


def _location(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return rng.choice(FUNCTIONS)
    if kind == 1:
        return str(rng.choice((0, 1, 5, 12, 23, 40, 9999, -3)))
    if kind == 2:
        return f"*{rng.choice((0, 0x401000, 0x401126, 0x4011d4, 2**64 - 1, 7)):#x}"
    if kind == 3:
        return f"{rng.choice(('function_calls.c', 'nosuch.c', 'count.c'))}:{rng.randrange(40)}"
    if kind == 4:
        return rng.choice(("", "+1", "-1", "*$pc", "*main+4", "main:", ":", "'main'"))
    return rng.choice(WORDS)


def _expression(rng: random.Random, depth: int = 0) -> str:
    kind = rng.randrange(9 if depth < 3 else 3)
    if kind == 0:
        return rng.choice(VARIABLES)
    if kind == 1:
        return rng.choice(("0", "1", "-1", "0x7fffffff", "1.5", "'a'", '"str"', "1e308",
                           "18446744073709551616", "0b101", "sizeof(int)"))
    if kind == 2:
        return rng.choice(WORDS)
    if kind == 3:
        return f"{_expression(rng, depth + 1)} {rng.choice('+-*/%<>&|^=')} " \
               f"{_expression(rng, depth + 1)}"
    if kind == 4:
        return f"{rng.choice('-!~*&')}{_expression(rng, depth + 1)}"
    if kind == 5:
        return f"({_expression(rng, depth + 1)})"
    if kind == 6:
        return f"{_expression(rng, depth + 1)}[{rng.choice(('0', '1', '-1', '100'))}]"
    if kind == 7:
        return f"({rng.choice(('int', 'char *', 'long', 'struct nosuch', 'void'))})" \
               f"{_expression(rng, depth + 1)}"
    return f"{rng.choice(FUNCTIONS)}({_expression(rng, depth + 1)})"


def _command(rng: random.Random) -> str:
    template = rng.choice(COMMANDS)
    fill = {
        "args": lambda: rng.choice(ARGUMENTS), "count": lambda: rng.choice(COUNTS),
        "location": lambda: _location(rng), "expression": lambda: _expression(rng),
        "format": lambda: rng.choice(FORMATS), "unit": lambda: rng.choice(UNITS),
        "register": lambda: rng.choice(REGISTERS), "signal": lambda: rng.choice(SIGNALS),
        "action": lambda: rng.choice(ACTIONS), "word": lambda: rng.choice(WORDS),
        "variable": lambda: rng.choice(VARIABLES), "onoff": lambda: rng.choice(("on", "off")),
        "fork": lambda: rng.choice(("parent", "child")),
    }
    out = template
    for name, make in fill.items():
        while "{" + name + "}" in out:
            out = out.replace("{" + name + "}", make(), 1)
    return out


def fuzz_case(seed: int) -> tuple[str, list[str], str]:
    """(sample, its run arguments, commands) of fuzz case ``seed``."""
    rng = random.Random(f"fuzz-{seed}")
    name = rng.choice(sorted(TARGETS))
    # Mostly from a stop, where most commands have something to work on.
    start = rng.choice(([f"break {rng.choice(FUNCTIONS)}", "run"], ["break main", "run"],
                        ["start"], ["run"], []))
    commands = start + [_command(rng) for _ in range(rng.randrange(4, 16))]
    return name, commands, TARGETS[name]


SECTIONS = (".debug_info", ".debug_abbrev", ".debug_line", ".debug_str", ".debug_line_str",
            ".debug_aranges", ".debug_rnglists", ".debug_loclists", ".debug_frame",
            ".eh_frame", ".eh_frame_hdr", ".symtab", ".strtab", ".dynsym", ".dynstr",
            ".debug_str_offsets", ".debug_addr", ".note.gnu.build-id", "header",
            "cut", "cache")
MUTANT_COMMANDS = ("break main", "break compute", "run", "bt", "info locals", "info args",
                   "next", "step", "finish", "disassemble", "list", "print global",
                   "x/4i $pc", "info frame", "continue")


def _sections(path: Path) -> dict[str, tuple[int, int]]:
    """name -> (file offset, size) of each section, from ``readelf`` (the test side does
    not parse ELF itself)."""
    out = subprocess.run(["readelf", "-W", "-S", str(path)], capture_output=True,
                         text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[0].startswith("[") and fields[1].startswith("."):
            found[fields[1]] = (int(fields[4], 16), int(fields[5], 16))
    return found


def mutate(seed: int, directory: Path) -> tuple[Path, str]:
    """Mutant ``seed`` written under ``directory``: the binary to debug and what was done."""
    rng = random.Random(f"mutant-{seed}")
    name = rng.choice(("function_calls", "count", "recursion", "threads", "two_files"))
    original = sample(name)
    data = bytearray(original.read_bytes())
    target = directory / name
    where = rng.choice(SECTIONS)
    if where == "cache":
        return target, _mutate_cache(rng, original, target, directory)
    if where == "cut":
        size = rng.randrange(64, len(data))
        target.write_bytes(bytes(data[:size]))
        target.chmod(0o755)
        return target, f"{name} cut at {size}"
    if where == "header":
        offset, size = 0, 64
    else:
        offset, size = _sections(original).get(where, (0, 64))
    flips = rng.randrange(1, 9)
    for _ in range(flips):
        at = offset + rng.randrange(max(size, 1))
        width = rng.choice((1, 1, 2, 4, 8))
        value = rng.choice((0x00, 0xFF, 0x7F, 0x80, rng.randrange(256)))
        data[at:at + width] = bytes([value if rng.random() < 0.7 else rng.randrange(256)
                                     for _ in range(width)])[:len(data) - at]
    target.write_bytes(bytes(data))
    target.chmod(0o755)
    return target, f"{name} {where}: {flips} changes (seed {seed})"


def _mutate_cache(rng: random.Random, original: Path, target: Path, directory: Path) -> str:
    """A good cache for ``original`` (built by a first session), then damaged: bytes
    changed, cut short, or its parts replaced with plausible junk."""
    from deet.api import Session

    shutil.copy(original, target)
    os.environ["DEET_CACHE_DIR"] = str(directory / "cache")
    with Session(target, timeout=2) as session:
        session.execute("break main")
    cached = next((directory / "cache").glob("*.marshal"))
    data = bytearray(cached.read_bytes())
    how = rng.randrange(3)
    if how == 0:
        for _ in range(rng.randrange(1, 9)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        cached.write_bytes(bytes(data))
        return f"cache of {original.name}: bytes changed"
    if how == 1:
        cached.write_bytes(bytes(data[:rng.randrange(len(data))]))
        return f"cache of {original.name}: cut short"
    outer = marshal.loads(bytes(data))
    outer["parts"] = marshal.dumps({"junk": [rng.randrange(99)], "symbols-1": (1, 2)})
    cached.write_bytes(marshal.dumps(outer))
    return f"cache of {original.name}: parts replaced"


# -- running them (the worker) ---------------------------------------------------------


def _live_children() -> list[int]:
    """This process's children still alive after a grace period; zombies are reaped."""
    deadline = time.monotonic() + 3
    while True:
        alive = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[1]) != os.getpid():
                continue
            if fields[0] == "Z":
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(int(entry.name), os.WNOHANG)
                continue
            alive.append(int(entry.name))
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def _session(target: Path, commands: list[str], args: str) -> list[str]:
    """Run ``commands``; the internal errors met."""
    from deet.api import Session, SessionError
    from deet.results import InternalError

    found = []
    try:
        session = Session(target, timeout=2)
    except SessionError:
        return found
    except Exception as exc:  # noqa: BLE001 - this is what the fuzzer looks for
        return [f"loading: {type(exc).__name__}: {exc}"]
    with session:
        if args:
            with contextlib.suppress(SessionError):
                session.execute(f"set args {args}")
        for command in commands:
            try:
                session.execute(command)
            except SessionError as exc:
                if isinstance(exc.error, InternalError):
                    found.append(f"{command!r}: {exc.error.exception}: {exc.error.message}")
            except Exception as exc:  # noqa: BLE001 - this is what the fuzzer looks for
                found.append(f"{command!r}: raised {type(exc).__name__}: {exc}")
    return found


def worker(kind: str, first: int, count: int) -> None:
    """Run cases ``first``..; one JSON line each on stdout."""
    libc = ctypes.CDLL(None)
    libc.prctl(36, 1, 0, 0, 0)  # a child subreaper: whatever deet lets go of comes here
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    report = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # the programs' own output
    for seed in range(first, first + count):
        with tempfile.TemporaryDirectory(prefix="deet-fuzz-") as scratch:
            directory = Path(scratch)
            os.environ["DEET_CACHE_DIR"] = str(directory / "cache")
            if kind == "fuzz":
                name, commands, args = fuzz_case(seed)
                target, what = sample(name), f"{name}: {commands}"
            else:
                target, what = mutate(seed, directory)
                os.environ["DEET_CACHE_DIR"] = str(directory / "cache")
                commands, args = list(MUTANT_COMMANDS), ""
            errors = _session(target, commands, args)
            left = _live_children()
            for pid in left:
                _kill(pid)
        report.write(json.dumps({"seed": seed, "what": what, "internal": errors,
                                 "leftovers": left}) + "\n")


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, ChildProcessError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


# -- driving the worker (the test side) ------------------------------------------------


def run(kind: str, first: int, count: int, allowance: float = 60.0) -> Tally:
    """Cases ``first``..``first+count-1`` of ``kind``; a case silent for ``allowance``
    seconds is a hang."""
    tally = Tally()
    seed = first
    end = first + count
    while seed < end:
        for line in _worker_lines(kind, seed, end - seed, allowance):
            if line is None:
                tally.hangs.append(f"{kind} case {seed}: no answer in {allowance:.0f} s")
                tally.cases += 1
                seed += 1
                break
            result = json.loads(line)
            tally.cases += 1
            seed = result["seed"] + 1
            tally.internal_errors += [f"{kind} case {result['seed']} ({result['what']}): {e}"
                                      for e in result["internal"]]
            if result["leftovers"]:
                tally.leftovers.append(f"{kind} case {result['seed']} ({result['what']}): "
                                       f"{result['leftovers']}")
        else:
            if seed < end:  # the worker died: that case is an internal error
                tally.internal_errors.append(f"{kind} case {seed}: the worker died")
                tally.cases += 1
                seed += 1
    return tally


def _worker_lines(kind: str, first: int, count: int,
                  allowance: float) -> Iterator[str | None]:
    process = subprocess.Popen([sys.executable, __file__, "worker", kind, str(first),
                                str(count)], stdout=subprocess.PIPE, cwd=ROOT,
                               start_new_session=True)
    assert process.stdout is not None
    pending = b""
    try:
        while True:
            ready, _, _ = select.select([process.stdout], [], [], allowance)
            if not ready:
                yield None
                return
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                return
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                yield line.decode()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()


def main(argv: list[str]) -> int:
    if argv[0] == "worker":
        worker(argv[1], int(argv[2]), int(argv[3]))
        return 0
    start = time.monotonic()
    tally = run(argv[0], int(argv[1]), int(argv[2]))
    for failure in tally.failures:
        print(failure)
    print(f"{tally.cases} {argv[0]} cases in {time.monotonic() - start:.0f} s: "
          f"{len(tally.internal_errors)} internal errors, {len(tally.hangs)} hangs, "
          f"{len(tally.leftovers)} leftovers")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
