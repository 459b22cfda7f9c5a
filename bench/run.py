"""deet against gdb on the same work, alternating, in one run: ``make bench``.

Builds its inputs under bench/build (a generated program of FILES x FUNCTIONS functions,
a breakpoint loop, a deep recursion), then times each tool as a whole process from
spawn to exit, REPEAT times, deet and gdb taking turns so that a busy machine slows
both alike, and prints medians and deet/gdb ratios as a Markdown table:

- start-up to the first stop at ``break FUNC`` on the large program, with deet's cache
  empty (cold) and filled by an earlier session (warm); gdb keeps no such cache;
- breakpoint hits per second: a session of HITS ``continue``s minus one of none;
- a 1,000-frame backtrace: a session ending in ``bt`` minus one without it;
- peak memory (maximum resident set) of each tool in the cold start-up;
- the floor under breakpoint hits: a C tracer (programs/tracer.c) doing only what every
  hit needs, and a conditional breakpoint in the hot loop, false on every hit but one;
- a real program, Debian's CPython debug build (``python3.11d``, 24 MB, 10 MB of DWARF),
  when it is installed: three sessions a student would type, warm and cold.
- a program forking CHILDREN short children one after another, under deet (minus a
  session of none: deet's own start-up) against the program alone: the cost of keeping
  every child traced in the process tree (the goal: at most 2x).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUILD = HERE / "build"
DEET = ROOT / ".venv" / "bin" / "deet"
CFLAGS = ["-O0", "-g", "-fno-omit-frame-pointer"]


@dataclass(frozen=True)
class Run:
    seconds: float
    max_rss_kb: int
    output: str


def build(files: int, functions: int) -> tuple[Path, str]:
    """The large program (rebuilt only when its shape changes) and its break target."""
    source = BUILD / f"large-{files}x{functions}"
    program = source / "large"
    target = subprocess.run(
        [sys.executable, str(HERE / "generate.py"), str(source), "--files", str(files),
         "--functions", str(functions)],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    if not program.exists():
        units = sorted(source.glob("*.c"))
        print(f"compiling {len(units)} files of the large program ...", file=sys.stderr)

        def compile_one(unit: Path) -> None:
            subprocess.run(["gcc", *CFLAGS, "-c", str(unit), "-o", str(unit.with_suffix(".o"))],
                           check=True)

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            list(pool.map(compile_one, units))
        subprocess.run(["gcc", "-o", str(program), *map(str, sorted(source.glob("*.o")))],
                       check=True)
    for name in ("hits", "deep", "tracer", "forker"):
        out = BUILD / name
        src = HERE / "programs" / f"{name}.c"
        if not out.exists() or out.stat().st_mtime < src.stat().st_mtime:
            flags = ["-O2"] if name == "tracer" else CFLAGS
            subprocess.run(["gcc", *flags, "-o", str(out), str(src)], check=True)
    return program, target


def run(argv: list[str], env: dict[str, str] | None = None) -> Run:
    """Time one process from spawn to exit; its peak RSS from wait4 (its reaped
    children, the traced program among them, count too: they are tiny here)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        pid = os.posix_spawn(
            argv[0], argv, env if env is not None else dict(os.environ),
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                (os.POSIX_SPAWN_DUP2, out.fileno(), 2),
            ],
        )
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv[0]} failed:\n{text}")
    return Run(seconds, usage.ru_maxrss, text)


SCRIPTS = Path(tempfile.mkdtemp(prefix="deet-bench-"))
CACHE = Path(tempfile.gettempdir()) / f"{SCRIPTS.name}-cache"


def script(lines: list[str]) -> str:
    """A command file both tools read with -x."""
    path = SCRIPTS / f"{len(list(SCRIPTS.iterdir()))}.cmd"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


class Tools:
    """How each tool runs a command script on a program."""

    def __init__(self, cache: str) -> None:
        self.gdb = shutil.which("gdb")
        if self.gdb is None:
            raise SystemExit("make bench needs gdb (apt-get install gdb)")
        self.cache = cache

    def deet(self, commands: str, program: Path, *, cold: bool = False) -> Run:
        env = dict(os.environ)
        if cold:
            shutil.rmtree(self.cache, ignore_errors=True)
        env["DEET_CACHE_DIR"] = self.cache
        return run([str(DEET), "--batch", "-x", commands, str(program)], env)

    def gdb_run(self, commands: str, program: Path) -> Run:
        return run([self.gdb, "-q", "-nx", "-batch", "-x", commands, str(program)])


def expect(result: Run, pattern: str, who: str) -> Run:
    if not re.search(pattern, result.output):
        raise SystemExit(f"{who}: expected /{pattern}/ in its output:\n{result.output[-2000:]}")
    return result


def expect_frames(result: Run, depth: int, who: str) -> Run:
    """The backtrace must show every frame of the recursion (formats differ)."""
    if result.output.count("descend (") < depth:
        raise SystemExit(f"{who}: fewer than {depth} frames:\n{result.output[-2000:]}")
    return result


def alternate(repeat: int, deet: Callable[[], float], gdb: Callable[[], float]
              ) -> tuple[float, float]:
    deets, gdbs = [], []
    for _ in range(repeat):
        deets.append(deet())
        gdbs.append(gdb())
    return statistics.median(deets), statistics.median(gdbs)


def machine() -> list[str]:
    model = "?"
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    for line in lscpu.splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    gdb_version = subprocess.run(["gdb", "--version"], capture_output=True, text=True).stdout
    return [
        f"- CPU: {model}, {os.cpu_count()} cores",
        f"- kernel: {platform.release()}",
        f"- Python: {platform.python_version()}",
        f"- gdb: {gdb_version.splitlines()[0] if gdb_version else '?'}",
    ]


def measure() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--functions", type=int, default=750)
    parser.add_argument("--hits", type=int, default=5000)
    parser.add_argument("--depth", type=int, default=1000)
    parser.add_argument("--children", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    BUILD.mkdir(exist_ok=True)
    large, target = build(options.files, options.functions)
    hits, deep = BUILD / "hits", BUILD / "deep"
    tools = Tools(str(CACHE))
    stop = rf"unit_{options.files - 1:03d}\.c:\d+"
    start_up = script([f"break {target}", "run"])
    loop = script(["break tick", f"run {options.hits + 1}", *["continue"] * options.hits])
    loop_base = script(["break tick", f"run {options.hits + 1}"])
    loop_spread = script(["set single-cpu off", "break tick", f"run {options.hits + 1}",
                          *["continue"] * options.hits])
    loop_spread_base = script(["set single-cpu off", "break tick", f"run {options.hits + 1}"])
    trace = script(["break bottom", f"run {options.depth}", "bt"])
    trace_base = script(["break bottom", f"run {options.depth}"])
    rows: list[tuple[str, str, str, str]] = []
    memory: dict[str, int] = {"deet": 0, "gdb": 0}

    def cold() -> float:
        result = expect(tools.deet(start_up, large, cold=True), stop, "deet")
        memory["deet"] = max(memory["deet"], result.max_rss_kb)
        return result.seconds

    def gdb_start() -> float:
        result = expect(tools.gdb_run(start_up, large), stop, "gdb")
        memory["gdb"] = max(memory["gdb"], result.max_rss_kb)
        return result.seconds

    print(f"start-up on {large.name}: {options.files} files x {options.functions} functions",
          file=sys.stderr)
    deet_cold, gdb_cold = alternate(options.repeat, cold, gdb_start)
    rows.append(("start-up to `break FUNC` stop, cold cache (s)", f"{deet_cold:.3f}",
                 f"{gdb_cold:.3f}", f"{deet_cold / gdb_cold:.2f}"))
    tools.deet(start_up, large)
    deet_warm, gdb_warm = alternate(
        options.repeat,
        lambda: expect(tools.deet(start_up, large), stop, "deet").seconds,
        gdb_start,
    )
    rows.append(("start-up to `break FUNC` stop, warm cache (s)", f"{deet_warm:.3f}",
                 f"{gdb_warm:.3f}", f"{deet_warm / gdb_warm:.2f}"))

    def rate(full: Callable[[], Run], base: Callable[[], Run]) -> float:
        return options.hits / max(full().seconds - base().seconds, 1e-6)

    print(f"breakpoint hits: {options.hits}", file=sys.stderr)
    deet_rate, gdb_rate = alternate(
        options.repeat,
        lambda: rate(lambda: tools.deet(loop, hits), lambda: tools.deet(loop_base, hits)),
        lambda: rate(lambda: tools.gdb_run(loop, hits), lambda: tools.gdb_run(loop_base, hits)),
    )
    rows.append(("breakpoint hits per second", f"{deet_rate:.0f}", f"{gdb_rate:.0f}",
                 f"{deet_rate / gdb_rate:.2f}"))
    spread_rate, _ = alternate(
        options.repeat,
        lambda: rate(lambda: tools.deet(loop_spread, hits),
                     lambda: tools.deet(loop_spread_base, hits)),
        lambda: 1.0,
    )
    rows.append(("breakpoint hits per second, deet `set single-cpu off`",
                 f"{spread_rate:.0f}", f"{gdb_rate:.0f}", f"{spread_rate / gdb_rate:.2f}"))

    print(f"backtrace: {options.depth} frames", file=sys.stderr)
    deet_bt, gdb_bt = alternate(
        options.repeat,
        lambda: (expect_frames(tools.deet(trace, deep), options.depth, "deet").seconds
                 - tools.deet(trace_base, deep).seconds),
        lambda: (expect_frames(tools.gdb_run(trace, deep), options.depth, "gdb").seconds
                 - tools.gdb_run(trace_base, deep).seconds),
    )
    rows.append((f"{options.depth}-frame backtrace (s)", f"{deet_bt:.3f}", f"{gdb_bt:.3f}",
                 f"{deet_bt / gdb_bt:.2f}"))
    rows.append(("peak memory, cold start-up (MB)", f"{memory['deet'] / 1024:.0f}",
                 f"{memory['gdb'] / 1024:.0f}", f"{memory['deet'] / memory['gdb']:.2f}"))

    print("the floor: a C tracer; a conditional breakpoint", file=sys.stderr)
    floor = [str(BUILD / "tracer"), f"0x{_live_address(hits, 'tick'):x}", str(hits)]
    floor_rate = statistics.median(
        options.hits / max(run([*floor, str(options.hits + 1)]).seconds
                           - run([*floor, "1"]).seconds, 1e-6)
        for _ in range(options.repeat))
    rows.append(("breakpoint hits per second, deet against a C tracer (floor)",
                 f"{deet_rate:.0f}", f"{floor_rate:.0f} (tracer)",
                 f"{deet_rate / floor_rate:.2f}"))
    condition = script([f"break tick if i == {options.hits}", f"run {options.hits + 1}"])
    no_break = script([f"run {options.hits + 1}"])
    deet_cond, gdb_cond = alternate(
        options.repeat,
        lambda: rate(lambda: tools.deet(condition, hits), lambda: tools.deet(no_break, hits)),
        lambda: rate(lambda: tools.gdb_run(condition, hits),
                     lambda: tools.gdb_run(no_break, hits)),
    )
    rows.append(("conditional breakpoint `break tick if i == N`, hits per second",
                 f"{deet_cond:.0f}", f"{gdb_cond:.0f}", f"{deet_cond / gdb_cond:.2f}"))
    rows.extend(real_program_rows(tools, options.repeat))
    print(f"forks: {options.children} children", file=sys.stderr)
    forker = BUILD / "forker"
    forks = script([f"run {options.children}"])
    forks_base = script(["run 0"])
    deet_forks, alone_forks = alternate(
        options.repeat,
        lambda: (tools.deet(forks, forker).seconds - tools.deet(forks_base, forker).seconds),
        lambda: run([str(forker), str(options.children)]).seconds,
    )

    print(f"\nMedians of {options.repeat} alternating runs; ratio = deet/gdb "
          "(for hits per second, higher is better).\n")
    print("| measure | deet | gdb | ratio |")
    print("|---|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("\n| measure | under deet | alone | ratio |")
    print("|---|---:|---:|---:|")
    print(f"| {options.children:,} short children, one after another (s) | {deet_forks:.3f} "
          f"| {alone_forks:.3f} | {deet_forks / alone_forks:.2f} |")
    print()
    print("\n".join(machine()))


def _live_address(program: Path, symbol: str) -> int:
    """Where ``symbol`` is when ``program`` runs without ASLR (as under a debugger)."""
    table = subprocess.run(["nm", str(program)], check=True, capture_output=True,
                           text=True).stdout
    address = next(int(line.split()[0], 16) for line in table.splitlines()
                   if line.endswith(f" {symbol}"))
    kind = Path(program).read_bytes()[16]
    return address + (0x555555554000 if kind == 3 else 0)  # ET_DYN: a PIE


PYTHON_DBG = Path("/usr/bin/python3.11d")
# The sessions of issue 18, on CPython's list code.
PYTHON_SESSIONS = {
    "`break PyList_Append`, `run`, `bt`":
        ["break PyList_Append", 'run -c "a=[]; a.append(1)"', "bt"],
    "`break listobject.c:333`, `run`, `bt`":
        ["break listobject.c:333", 'run -c "a=[]; a.append(1)"', "bt"],
    "that stop, `next` x2, `step`, `info locals`, `finish`, `up`, `info locals`":
        ["break listobject.c:333", 'run -c "a=[]; a.append(1)"', "next", "next", "step",
         "info locals", "finish", "up", "info locals"],
}


def real_program_rows(tools: Tools, repeat: int) -> list[tuple[str, str, str, str]]:
    """The sessions above on python3.11d, each warm (cache filled) and cold (empty)."""
    if not PYTHON_DBG.exists():
        print("python3.11d is not installed (apt-get install python3.11-dbg): "
              "no real-program rows", file=sys.stderr)
        return []
    rows = []
    for title, lines in PYTHON_SESSIONS.items():
        print(f"python3.11d: {title}", file=sys.stderr)
        commands = script(lines)
        for cold in (False, True):
            deet_s, gdb_s = _session_times(tools, commands, repeat, cold)
            rows.append((f"python3.11d: {title}, {'cold' if cold else 'warm'} cache (s)",
                         f"{deet_s:.3f}", f"{gdb_s:.3f}", f"{deet_s / gdb_s:.2f}"))
    return rows


def _session_times(tools: Tools, commands: str, repeat: int, cold: bool
                   ) -> tuple[float, float]:
    stopped = "PyList_Append|listobject"
    tools.deet(commands, PYTHON_DBG)
    return alternate(
        repeat,
        lambda: expect(tools.deet(commands, PYTHON_DBG, cold=cold), stopped, "deet").seconds,
        lambda: expect(tools.gdb_run(commands, PYTHON_DBG), stopped, "gdb").seconds,
    )


def main() -> None:
    """Measure; the scripts and the cache directory go away however it ends."""
    try:
        measure()
    finally:
        shutil.rmtree(SCRIPTS, ignore_errors=True)
        shutil.rmtree(CACHE, ignore_errors=True)


if __name__ == "__main__":
    main()
