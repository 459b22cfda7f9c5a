"""Transcript tests (``deet check``): a ``.deet`` file is a session as ``deet --batch --echo``
prints it, replayed against its program and compared line by line (docs/transcripts.md).

The replay runs deet in a process of its own with its output, and so the program's, on a
pseudo-terminal: the program line-buffers as it would for a person (on a pipe, C stdio
would hold its output back and a crash would lose it), and deet's lines and the program's
reach the one terminal in the order they were written. That is the transcript a person at
the prompt would have seen.
"""

from __future__ import annotations

import os
import select
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from deet.options import UsageError, parse_timeout
from deet.render import PROMPT
from deet.transcript_match import differences, updated

CHECK_USAGE = "Usage: deet check [--update] [--program PROGRAM]... TRANSCRIPT..."
DEFAULT_TIMEOUT = 10.0
DEFAULT_POINTS = 1.0
HEADER_KEYS = ("program", "args", "timeout", "stdin", "env", "points")
# How long a replay may take beyond the program's own time limits before deet is presumed
# stuck; and how long to keep reading after deet has exited, in case a process the program
# started still holds the terminal.
GRACE_SECONDS = 30.0
QUIET_SECONDS = 0.5
CHUNK = 65536

class TranscriptError(Exception):
    """A transcript that cannot be replayed; ``str()`` is one line naming the file."""


@dataclass(frozen=True)
class Transcript:
    """A parsed ``.deet`` file. ``program`` is as the header gives it (relative to the
    transcript's directory, where the replay runs), so that what deet prints of it is the
    same on every machine; ``header`` is the text before the session, kept as it is by
    ``--update``."""

    path: Path
    program: str
    args: tuple[str, ...]
    timeout: float
    expected: tuple[str, ...]
    header: tuple[str, ...] = ()
    stdin: Path | None = None
    env: tuple[tuple[str, str], ...] = ()
    points: float = DEFAULT_POINTS

    @property
    def commands(self) -> list[str]:
        return [line.removeprefix(PROMPT) for line in self.expected if line.startswith(PROMPT)]


@dataclass(frozen=True)
class Outcome:
    transcript: Transcript
    diff: tuple[str, ...]
    actual: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.diff


def load(path: Path) -> Transcript:
    """Read a transcript: ``key: value`` header lines, then the session from the first
    ``(deet) `` line on."""
    try:
        lines = _lines(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TranscriptError(f"{path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise TranscriptError(f"{path}: not a text file") from exc
    header: dict[str, str] = {}
    env: list[tuple[str, str]] = []
    start = len(lines)
    for number, line in enumerate(lines, start=1):
        if line.startswith(PROMPT):
            start = number - 1
            break
        key, colon, value = line.partition(":")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not colon or key.strip() not in HEADER_KEYS:
            named = ", ".join(f"'{key}:'" for key in HEADER_KEYS)
            raise TranscriptError(f"{path}:{number}: expected one of {named} before the "
                                  f"first '{PROMPT}' line")
        if key.strip() == "env":
            env.extend(_assignments(path, number, value))
        header[key.strip()] = value.strip()
    expected = tuple(lines[start:])
    if not expected:
        raise TranscriptError(f"{path}: no '{PROMPT}COMMAND' lines")
    return Transcript(path, _program(path, header), _args(path, header),
                      _timeout(path, header), expected, tuple(lines[:start]),
                      _stdin(path, header), tuple(env), _points(path, header))
def _lines(text: str) -> list[str]:
    """Lines split at newlines only: a program's "\\r" stays part of its line."""
    lines = text.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def _program(path: Path, header: dict[str, str]) -> str:
    if not header.get("program"):
        raise TranscriptError(f"{path}: no 'program:' line")
    program = path.parent / header["program"]
    if not program.exists():
        raise TranscriptError(f"{path}: program {header['program']} not found ({program})")
    return header["program"]


def _stdin(path: Path, header: dict[str, str]) -> Path | None:
    """``stdin: FILE``, relative to the transcript: what the program reads (else nothing)."""
    if not header.get("stdin"):
        return None
    stdin = path.parent / header["stdin"]
    if not stdin.is_file():
        raise TranscriptError(f"{path}: stdin {header['stdin']} not found ({stdin})")
    return stdin


def _assignments(path: Path, number: int, text: str) -> list[tuple[str, str]]:
    """``env: NAME=VALUE ...`` (shell quoting), added to the program's environment."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise TranscriptError(f"{path}:{number}: env: {exc}") from exc
    pairs = []
    for word in words:
        name, equals, value = word.partition("=")
        if not equals or not name:
            raise TranscriptError(f"{path}:{number}: env: '{word}' is not NAME=VALUE")
        pairs.append((name, value))
    return pairs


def _points(path: Path, header: dict[str, str]) -> float:
    """``points: N``: what the transcript is worth in a Gradescope report."""
    if "points" not in header:
        return DEFAULT_POINTS
    try:
        points = float(header["points"])
    except ValueError:
        points = -1.0
    if not (0 <= points < float("inf")):
        raise TranscriptError(f"{path}: points: '{header['points']}' is not a number of "
                              "points (0 or more)")
    return points


def _args(path: Path, header: dict[str, str]) -> tuple[str, ...]:
    try:
        return tuple(shlex.split(header.get("args", "")))
    except ValueError as exc:
        raise TranscriptError(f"{path}: args: {exc}") from exc


def _timeout(path: Path, header: dict[str, str]) -> float:
    if "timeout" not in header:
        return DEFAULT_TIMEOUT
    try:
        return parse_timeout(header["timeout"])
    except UsageError as exc:
        raise TranscriptError(
            f"{path}: timeout: '{header['timeout']}' is not a number of seconds greater than 0"
        ) from exc


# -- replaying ----------------------------------------------------------------------------------

def replay(transcript: Transcript, program: str | None = None) -> list[str]:
    """The lines ``deet --batch --echo`` prints for the transcript's commands, on a terminal,
    with the transcript's directory as the working directory, ``stdin:`` as the program's
    standard input (else nothing) and ``env:`` added to its environment. ``program``
    replaces the header's (a student's program)."""
    # -P: the transcript's directory is the working directory, and must not shadow deet.
    argv = [sys.executable, "-P", "-m", "deet", "--batch", "--echo", "--timeout",
            str(transcript.timeout)]
    for command in transcript.commands:
        argv += ["-ex", command]
    argv += [program or transcript.program, "--", *transcript.args]
    limit = transcript.timeout * (len(transcript.commands) + 1) + GRACE_SECONDS
    env = {**os.environ, **dict(transcript.env)}
    stdin = os.open(transcript.stdin or os.devnull, os.O_RDONLY | os.O_CLOEXEC)
    master, slave = os.openpty()
    try:
        process = subprocess.Popen(argv, stdin=stdin, stdout=slave, stderr=slave,
                                   cwd=transcript.path.parent, env=env)
    finally:
        os.close(slave)
        os.close(stdin)
    try:
        output = _read_until_done(process, master, limit)
    except TranscriptError:
        _stop(process)
        raise TranscriptError(
            f"{transcript.path}: deet did not finish within {limit:g} s"
        ) from None
    finally:
        os.close(master)
    process.wait()
    return _lines(output.decode(errors="replace").replace("\r\n", "\n"))


def _read_until_done(process: subprocess.Popen[bytes], master: int, limit: float) -> bytes:
    """Everything written to the terminal until every writer has closed it, or deet has
    exited and the terminal stays quiet (a process the program started may hold it open)."""
    chunks = []
    deadline = time.monotonic() + limit
    while True:
        finished = process.poll() is not None
        wait = QUIET_SECONDS if finished else min(QUIET_SECONDS, deadline - time.monotonic())
        if wait <= 0:
            raise TranscriptError("deet did not finish")
        ready, _, _ = select.select([master], [], [], wait)
        if not ready:
            if finished:
                return b"".join(chunks)
            continue
        try:
            chunk = os.read(master, CHUNK)
        except OSError:  # EIO: every writer has closed the terminal
            chunk = b""
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM first: deet then kills and reaps its program on the way out."""
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# -- comparing ----------------------------------------------------------------------------------

def check(path: Path, program: str | None = None, name: str | None = None) -> Outcome:
    """Replay one transcript (against ``program`` instead of the header's, when given);
    raises ``TranscriptError`` if it cannot be replayed. ``name``: the transcript's name
    in the diff (its path by default)."""
    transcript = load(path)
    actual = replay(transcript, program)
    diff = differences(list(transcript.expected), actual, name or str(transcript.path))
    return Outcome(transcript, tuple(diff), tuple(actual))


def update(path: Path, program: str | None = None) -> bool:
    """``deet check --update``: record what the session prints now, keeping the header and
    the lines that still match; whether the file changed."""
    outcome = check(path, program)
    transcript = outcome.transcript
    session = updated(list(transcript.expected), list(outcome.actual))
    text = "".join(line + "\n" for line in (*transcript.header, *session))
    if text == path.read_text(encoding="utf-8"):
        return False
    path.write_text(text, encoding="utf-8")
    return True


def main(argv: list[str]) -> int:
    """``deet check [--update] [--program PROGRAM]... TRANSCRIPT...``: 0 only if every
    transcript matched (with ``--update``: could be recorded) against every program."""
    try:
        recording, programs, paths = _arguments(argv)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 1
    runs = [(name, program) for name in paths for program in programs or [None]]
    failed = 0
    for name, program in runs:
        label = name if program is None else f"{name} ({program})"
        try:
            if recording:
                print(f"{label}: {'updated' if update(Path(name), program) else 'ok'}")
                continue
            outcome = check(Path(name), program)
        except TranscriptError as exc:
            print(f"deet check: {exc}", file=sys.stderr)
            failed += 1
            continue
        if outcome.passed:
            print(f"{label}: ok")
        else:
            failed += 1
            print(f"{label}: FAILED")
            print("\n".join(outcome.diff))
    if len(runs) > 1 and not recording:
        print(f"{len(runs) - failed} of {len(runs)} transcripts matched")
    return 1 if failed else 0


def _arguments(argv: list[str]) -> tuple[bool, list[str], list[str]]:
    """``--update``, the ``--program``s (absolute: the replay runs elsewhere), the files."""
    recording, programs, paths = False, [], []
    words = iter(argv)
    for word in words:
        if word == "--update":
            recording = True
        elif word == "--program" or word.startswith("--program="):
            value = word.partition("=")[2] if "=" in word else next(words, None)
            if not value:
                raise UsageError("deet check: option '--program' requires an argument")
            programs.append(os.path.abspath(value))
        elif word.startswith("--"):
            raise UsageError(f"deet check: unrecognized option '{word}'\n{CHECK_USAGE}")
        else:
            paths.append(word)
    if not paths:
        raise UsageError(CHECK_USAGE)
    if recording and len(programs) > 1:
        raise UsageError("deet check: --update records against one program at most")
    return recording, programs, paths
