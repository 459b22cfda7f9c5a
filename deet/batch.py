"""Scripted commands: ``-ex CMD`` and ``-x FILE``, run in command-line order as gdb runs them.

A failing command does not stop the script (gdb's rule); its error names the file and line
it came from, and the console's outcome counts it for ``--batch``'s exit status.
"""

from __future__ import annotations

from dataclasses import dataclass

from deet.console import Console
from deet.options import CommandSource


class ScriptError(Exception):
    """A script file cannot be read; ``str()`` is one line for the user."""


@dataclass(frozen=True)
class ScriptLine:
    """One command to run; ``origin`` is the file and line it came from, for ``-x``."""

    command: str
    origin: tuple[str, int] | None = None


def load(sources: list[CommandSource]) -> list[ScriptLine]:
    """Every command, in order. Files are read up front, so a missing one stops deet before
    the program ever starts rather than halfway through a script."""
    lines: list[ScriptLine] = []
    for source in sources:
        if source.file is None:
            lines.append(ScriptLine(source.command or ""))
        else:
            lines.extend(_read(source.file))
    return lines


def _read(path: str) -> list[ScriptLine]:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        raise ScriptError(f"deet: {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ScriptError(f"deet: {path}: not a text file") from exc
    return [
        ScriptLine(line.strip(), (path, number))
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def run(console: Console, lines: list[ScriptLine]) -> bool:
    """Run every line; False if one of them asked to quit (the rest are not run)."""
    return all(console.execute(line.command, script=line.origin) for line in lines)
