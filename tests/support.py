"""Helpers the tests share: building C programs, driving deet as a user would, asking gdb.

Everything runs against real programs compiled during the test session; nothing here
imitates ptrace.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pexpect
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
PROGRAMS = ROOT / "tests" / "programs"
COURSE_FLAGS = ("-O0", "-g", "-no-pie", "-fno-omit-frame-pointer")
BUILD_DIR = (
    Path(os.environ.get("DEET_TEST_BUILD", tempfile.gettempdir())) / f"deet-tests-{os.getuid()}"
)

# Sample name -> its sources (most are one file of the same name).
SAMPLE_SOURCES = {
    "two_files": ("two_files_main.c", "two_files_shout.c"),
}


def build(sources: list[Path] | tuple[Path, ...], flags: tuple[str, ...] = COURSE_FLAGS,
          name: str | None = None, *, relative: bool = False) -> Path:
    """Compile ``sources`` with ``flags`` (cached by content), returning the binary's path.

    Sources are named by absolute path, so the DWARF file names are absolute, as DEET
    prints them; ``relative``: by their names from the first one's directory, where gcc
    runs, as a student types ``gcc -g prog.c`` (the DWARF then names them so)."""
    sources = [Path(s).resolve() for s in sources]
    digest = hashlib.sha256(b"relative" if relative else b"")
    for source in sources:
        digest.update(str(source).encode())
        digest.update(source.read_bytes())
    digest.update(" ".join(flags).encode())
    name = name or sources[0].stem
    out = BUILD_DIR / f"{name}-{digest.hexdigest()[:12]}"
    if not out.exists():
        BUILD_DIR.mkdir(parents=True, exist_ok=True)
        partial = out.with_suffix(f".{os.getpid()}.partial")
        where = sources[0].parent if relative else None
        names = [os.path.relpath(s, where) if where else str(s) for s in sources]
        subprocess.run(["gcc", *flags, "-o", str(partial), *names], check=True, cwd=where)
        partial.replace(out)
    elif out.stat().st_mtime_ns < (newest := max(s.stat().st_mtime_ns for s in sources)):
        # Built by an earlier session from the same text, before this checkout wrote the
        # sources: left older, gdb and deet would warn that the sources are newer.
        os.utime(out, ns=(newest, newest))
    return out


def sample(name: str, flags: tuple[str, ...] = COURSE_FLAGS) -> Path:
    files = SAMPLE_SOURCES.get(name, (f"{name}.c",))
    return build([SAMPLES / f for f in files], flags, name)


def program(name: str, flags: tuple[str, ...] = COURSE_FLAGS, *,
            relative: bool = False) -> Path:
    """A test program from tests/programs (one file, or a directory of .c files)."""
    path = PROGRAMS / name
    sources = sorted(path.glob("*.c")) if path.is_dir() else [PROGRAMS / f"{name}.c"]
    return build(sources, flags, name, relative=relative)


def deep_typedefs(depth: int = 3000) -> Path:
    """A program whose ``deep()`` has a local of a typedef chain ``depth`` deep: gdb reads
    it; deet's DWARF type reader recurses through it (RecursionError), the real bug the
    internal-error tests use as their trigger."""
    source = BUILD_DIR / f"deep_typedefs_{depth}.c"
    chain = "\n".join(f"typedef t{i - 1} t{i};" for i in range(1, depth))
    text = f"""#include <stdio.h>
typedef int t0;
{chain}
static int deep(void) {{
    t{depth - 1} value = 7;
    return value;
}}
int main(void) {{
    printf("%d\\n", deep());
    return 0;
}}
"""
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    if not source.exists() or source.read_text() != text:
        partial = source.with_suffix(f".{os.getpid()}.partial")
        partial.write_text(text)
        partial.replace(source)
    return build([source])


def deet_command() -> list[str]:
    return [sys.executable, "-m", "deet"]


@dataclass
class Run:
    stdout: str
    stderr: str
    returncode: int

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def deet_script(target: Path | str, script: str, *args: str, timeout: float = 60,
                env: dict[str, str] | None = None) -> Run:
    """Run deet with ``script`` on a pipe as its stdin (no prompt), as a script user would."""
    done = subprocess.run(
        [*deet_command(), *args, str(target)],
        input=script,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )
    return Run(done.stdout, done.stderr, done.returncode)


def deet(*argv: str | Path, stdin: str = "", timeout: float = 60) -> Run:
    """deet with the command line ``argv`` (options, program, ``--`` and its arguments), and
    ``stdin`` on a pipe."""
    done = subprocess.run(
        [*deet_command(), *map(str, argv)],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
    return Run(done.stdout, done.stderr, done.returncode)


def deet_terminal_output(target: Path | str, script: str, *args: str,
                         timeout: float = 60) -> list[str]:
    """deet reading ``script`` from a pipe while its output (and so the program's) goes to a
    terminal: the program line-buffers as it would for a person, and the lines come out
    in the order a person would see them."""
    return terminal_output(*args, target, stdin=script, timeout=timeout)


def terminal_output(*argv: str | Path, stdin: str = "", timeout: float = 60) -> list[str]:
    """``deet_terminal_output`` for any command line (options, program, ``--``, arguments)."""
    master, slave = os.openpty()
    process = subprocess.Popen([*deet_command(), *map(str, argv)], stdin=subprocess.PIPE,
                               stdout=slave, stderr=slave, cwd=ROOT)
    os.close(slave)
    assert process.stdin is not None
    process.stdin.write(stdin.encode())
    process.stdin.close()
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: every writer has closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    process.wait(timeout=timeout)
    return b"".join(chunks).decode().replace("\r\n", "\n").splitlines()


def deet_pty(target: Path | str, *args: str, env: dict[str, str] | None = None,
             timeout: float = 20) -> pexpect.spawn:
    """deet on a pseudo-terminal, as a person at the prompt sees it. The caller must close
    it (the ``pty_session`` fixture does)."""
    return pexpect.spawn(
        deet_command()[0], [*deet_command()[1:], *args, str(target)],
        cwd=str(ROOT), env=env, encoding="utf-8", timeout=timeout, dimensions=(40, 200),
    )


def gdb_batch(target: Path | str, *commands: str, args: tuple[str, ...] = (),
              orphans: bool = False, errors: bool = False) -> str:
    """gdb's answer to ``commands`` on ``target`` (the oracle). ``orphans``: gdb lets go of
    processes (a fork's parent or child) that outlive it; wait for them and reap them.
    ``errors``: gdb's stderr too, in order (where deet prints a line gdb writes there:
    ``74\tFILE: No such file or directory.``)."""
    argv = ["gdb", "-nx", "-batch", "-ex", "set startup-with-shell off"]
    for command in commands:
        argv += ["-ex", command]
    argv += ["--args", str(target), *args]
    done = subprocess.run(argv, stdout=subprocess.PIPE, text=True, timeout=120,
                          stderr=subprocess.STDOUT if errors else subprocess.PIPE,
                          stdin=subprocess.DEVNULL)
    if orphans:
        reap_orphans_of()
    if GDB_CANNOT_CALL in done.stdout + (done.stderr or ""):
        pytest.skip("gdb 13 makes no call into the program on this CPU (it cannot write "
                    "an XSAVE area with AMX state back): there is no oracle to compare with")
    return done.stdout


# gdb 13's words when PTRACE_SETREGSET of the XSAVE area fails (EFAULT on a CPU with AMX,
# whose area is larger than gdb's buffer), on every call it makes into the program.
GDB_CANNOT_CALL = "Couldn't write extended state status"

_GDB_FRAME = re.compile(
    r"^#(\d+)\s+(?:0x[0-9a-f]+ in )?(\S+) \(.*?\)(?: at (\S+):(\d+))?(?: from (\S+))?$"
)


@dataclass(frozen=True)
class GdbFrame:
    function: str
    file: str | None
    line: int | None


def gdb_frames(text: str) -> list[GdbFrame]:
    """The frames of a gdb ``bt`` in ``text``: function, file (as gdb names it), line."""
    frames = []
    for line in text.splitlines():
        match = _GDB_FRAME.match(line.strip())
        if match:
            frames.append(GdbFrame(match[2], match[3], int(match[4]) if match[4] else None))
    return frames


_DEET_FRAME = re.compile(r"^(\S+) \((?:(.+):(\d+)|0x[0-9a-f]+)\)$")


def deet_frames(lines: list[str]) -> list[GdbFrame]:
    """The frames of deet's backtrace lines, in the same shape as ``gdb_frames``."""
    frames = []
    for line in lines:
        match = _DEET_FRAME.match(line)
        if match:
            frames.append(GdbFrame(match[1], match[2], int(match[3]) if match[3] else None))
    return frames


def same_file(deet_path: str | None, gdb_path: str | None) -> bool:
    """gdb prints file names as the DWARF spells them; deet prints them absolute."""
    if deet_path is None or gdb_path is None:
        return deet_path == gdb_path
    return deet_path == gdb_path or deet_path.endswith("/" + gdb_path.lstrip("./"))


def have_gdb() -> bool:
    return shutil.which("gdb") is not None


def gdb_script(target: Path | str, script: str, args: tuple[str, ...] = (),
               timeout: float = 120) -> Run:
    """gdb's answer to a command file (the oracle). A file, unlike ``-ex`` commands, can hold
    ``while`` loops and ``python`` blocks, so one gdb session can follow a whole run."""
    with tempfile.NamedTemporaryFile("w", suffix=".gdb", prefix="deet-test-") as file:
        file.write(script)
        file.flush()
        done = subprocess.run(
            ["gdb", "-nx", "-batch", "-x", file.name, "--args", str(target), *args],
            capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
        )
    return Run(done.stdout, done.stderr, done.returncode)


def reap_orphans_of(seconds: float = 5.0) -> None:
    """Wait for, and reap, processes re-parented to this (subreaper) test process after a
    debugger that let go of them exited: gdb leaves a parent it detached from running."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        mine = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2:].split()[1]) == os.getpid():
                mine.append(int(entry.name))
        if not mine:
            return
        for pid in mine:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                continue
        time.sleep(0.02)
