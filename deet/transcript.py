"""Transcript tests (``deet check``): a ``.deet`` file is a session as ``deet --batch --echo``
prints it, replayed against its program and compared line by line (docs/transcripts.md).

The replay runs deet in a process of its own with its output, and so the program's, on a
pseudo-terminal: the program line-buffers as it would for a person (on a pipe, C stdio
would hold its output back and a crash would lose it), and deet's lines and the program's
reach the one terminal in the order they were written. That is the transcript a person at
the prompt would have seen.
"""

from __future__ import annotations

import difflib
import os
import re
import select
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from deet.options import UsageError, parse_timeout
from deet.render import PROMPT

CHECK_USAGE = "Usage: deet check TRANSCRIPT..."
DEFAULT_TIMEOUT = 10.0
# How long a replay may take beyond the program's own time limits before deet is presumed
# stuck; and how long to keep reading after deet has exited, in case a process the program
# started still holds the terminal.
GRACE_SECONDS = 30.0
QUIET_SECONDS = 0.5
CHUNK = 65536

WILDCARDS = {
    "{{pid}}": r"\d+",
    "{{int}}": r"-?\d+",
    "{{addr}}": r"0x[0-9a-f]+",
    "{{dir}}": r"(?:/[^/\n]+)+",
    "{{*}}": r".*?",
}
_TOKEN = re.compile("(" + "|".join(re.escape(token) for token in WILDCARDS) + ")")


class TranscriptError(Exception):
    """A transcript that cannot be replayed; ``str()`` is one line naming the file."""


@dataclass(frozen=True)
class Transcript:
    path: Path
    program: Path
    args: tuple[str, ...]
    timeout: float
    expected: tuple[str, ...]

    @property
    def commands(self) -> list[str]:
        return [line.removeprefix(PROMPT) for line in self.expected if line.startswith(PROMPT)]


@dataclass(frozen=True)
class Outcome:
    transcript: Transcript
    diff: tuple[str, ...]

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
    start = len(lines)
    for number, line in enumerate(lines, start=1):
        if line.startswith(PROMPT):
            start = number - 1
            break
        key, colon, value = line.partition(":")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not colon or key.strip() not in ("program", "args", "timeout"):
            raise TranscriptError(f"{path}:{number}: expected 'program:', 'args:' or "
                                  f"'timeout:' before the first '{PROMPT}' line")
        header[key.strip()] = value.strip()
    expected = tuple(lines[start:])
    if not expected:
        raise TranscriptError(f"{path}: no '{PROMPT}COMMAND' lines")
    return Transcript(path, _program(path, header), _args(path, header),
                      _timeout(path, header), expected)


def _lines(text: str) -> list[str]:
    """Lines split at newlines only: a program's "\\r" stays part of its line."""
    lines = text.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def _program(path: Path, header: dict[str, str]) -> Path:
    if not header.get("program"):
        raise TranscriptError(f"{path}: no 'program:' line")
    program = path.parent / header["program"]
    if not program.exists():
        raise TranscriptError(f"{path}: program {header['program']} not found ({program})")
    return program.resolve()


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

def replay(transcript: Transcript) -> list[str]:
    """The lines ``deet --batch --echo`` prints for the transcript's commands, on a terminal,
    with the transcript's directory as the working directory."""
    # -P: the transcript's directory is the working directory, and must not shadow deet.
    argv = [sys.executable, "-P", "-m", "deet", "--batch", "--echo", "--timeout",
            str(transcript.timeout)]
    for command in transcript.commands:
        argv += ["-ex", command]
    argv += [str(transcript.program), "--", *transcript.args]
    limit = transcript.timeout * (len(transcript.commands) + 1) + GRACE_SECONDS
    master, slave = os.openpty()
    try:
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                                   cwd=transcript.path.parent)
    finally:
        os.close(slave)
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

def pattern(expected_line: str) -> re.Pattern[str]:
    """The regular expression an expected line stands for: its text, with wildcards."""
    return re.compile("".join(WILDCARDS.get(part, re.escape(part))
                              for part in _TOKEN.split(expected_line)))


def differences(transcript: Transcript, actual: list[str]) -> list[str]:
    """A unified diff of expected against actual ([] when they match). Expected lines whose
    wildcards matched are shown as the actual text, so the diff shows only real changes."""
    patterns = [pattern(line) for line in transcript.expected]
    if len(patterns) == len(actual) and all(
        p.fullmatch(line) for p, line in zip(patterns, actual, strict=True)
    ):
        return []
    shown = _aligned(list(transcript.expected), patterns, actual)
    return list(difflib.unified_diff(shown, actual, fromfile=str(transcript.path),
                                     tofile="actual output", lineterm=""))


def _aligned(expected: list[str], patterns: list[re.Pattern[str]],
             actual: list[str]) -> list[str]:
    """``expected``, with each line that a longest common (wildcard-matching) subsequence
    pairs with an actual line replaced by that actual line."""
    rows, columns = len(expected), len(actual)
    matches = [[bool(p.fullmatch(line)) for line in actual] for p in patterns]
    longest = [[0] * (columns + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(columns - 1, -1, -1):
            longest[i][j] = (longest[i + 1][j + 1] + 1 if matches[i][j]
                             else max(longest[i + 1][j], longest[i][j + 1]))
    shown = list(expected)
    i = j = 0
    while i < rows and j < columns:
        if matches[i][j] and longest[i][j] == longest[i + 1][j + 1] + 1:
            shown[i] = actual[j]
            i, j = i + 1, j + 1
        elif longest[i + 1][j] >= longest[i][j + 1]:
            i += 1
        else:
            j += 1
    return shown


def check(path: Path) -> Outcome:
    """Replay one transcript; raises ``TranscriptError`` if it cannot be replayed."""
    transcript = load(path)
    actual = replay(transcript)
    return Outcome(transcript, tuple(differences(transcript, actual)))


def main(paths: list[str]) -> int:
    """``deet check TRANSCRIPT...``: 0 only if every transcript matched."""
    if not paths:
        print(CHECK_USAGE, file=sys.stderr)
        return 1
    failed = 0
    for name in paths:
        try:
            outcome = check(Path(name))
        except TranscriptError as exc:
            print(f"deet check: {exc}", file=sys.stderr)
            failed += 1
            continue
        if outcome.passed:
            print(f"{name}: ok")
        else:
            failed += 1
            print(f"{name}: FAILED")
            print("\n".join(outcome.diff))
    if len(paths) > 1:
        print(f"{len(paths) - failed} of {len(paths)} transcripts matched")
    return 1 if failed else 0
