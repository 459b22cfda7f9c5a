"""deet's command line: ``deet [OPTIONS] PROGRAM [PID|CORE] [-- ARGS...]``, parsed into
``Options``.

Options follow gdb's spellings where gdb has them (``-ex``, ``-x``, ``-batch``,
``-return-child-result``, with one dash or two), and may come before or after PROGRAM.
Hand-written rather than argparse because DEET's usage line must stay exactly
``Usage: deet <target program>`` and every mistake must be one line, not argparse's two.
"""

from __future__ import annotations

import errno
import math
import os
from dataclasses import dataclass, field

from deet import __version__
from deet.debuginfo import DebugInfoError
from deet.debuginfo.corefile import CoreFile
from deet.engine.attaching import refusal

USAGE = "Usage: deet <target program>"
ET_CORE = 4

HELP = f"""{USAGE}
       deet [OPTIONS] PROGRAM [-- ARGS...]
       deet [OPTIONS] PROGRAM PID | deet [OPTIONS] -p PID
       deet [OPTIONS] PROGRAM CORE | deet [OPTIONS] -c CORE PROGRAM
       deet check [--update] [--program PROGRAM]... TRANSCRIPT...
       deet dap     (the Debug Adapter Protocol on stdin/stdout, for editors)

ARGS become the arguments of `run` (a `run` with arguments replaces them).

Options:
  -ex CMD                run CMD (repeatable; -ex and -x run in the order given)
  -x FILE                run the commands in FILE (repeatable; # comments, blank lines skipped)
  --batch                exit after the -ex/-x commands instead of reading more
                         (exit status 0 if all of them succeeded, 1 otherwise)
  --return-child-result  exit with the program's exit status instead
                         (255 if it died of a signal, was killed, or never ran)
  --echo                 print each command as "(deet) CMD" before its output
  --timeout SECONDS      stop the program where it is if one command runs it longer than
                         SECONDS (as Ctrl-C would), then go on
  --json                 one JSON object per line for every result and event (docs/json.md)
  -p, --pid PID          attach to the running process PID (PROGRAM: what /proc says it
                         runs, unless given); leaving deet detaches from it
  -c, --core CORE        debug the process the core file CORE holds (PROGRAM: the one it
                         ran, unless given)
  --args PROGRAM ARGS... the program and its arguments, as gdb's --args (the rest of the line)
  -q, -nx                accepted for gdb's sake (deet prints no banner, reads no init file)
  --version              show deet's version
  -h, --help             show this help

deet check [--update] [--program PROGRAM]... TRANSCRIPT...
                          replay .deet transcripts and show a diff where the output differs;
                          --update records them, --program runs them against PROGRAM
                          (docs/transcripts.md)"""


VERSION = f"""deet {__version__}
Copyright (C) the deet authors.
License GPLv2+: GNU GPL version 2 or later <https://gnu.org/licenses/gpl.html>
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law."""


class UsageError(Exception):
    """The command line is wrong; ``str()`` is the one line to print on stderr."""


@dataclass(frozen=True)
class CommandSource:
    """One -ex or -x, in command-line order: a command, or a file of commands."""

    command: str | None = None
    file: str | None = None


@dataclass
class Options:
    program: str | None = None
    args: list[str] = field(default_factory=list)
    sources: list[CommandSource] = field(default_factory=list)
    batch: bool = False
    echo: bool = False
    json: bool = False
    timeout: float | None = None
    return_child_result: bool = False
    help: bool = False
    # ``-p PID``, or a number after PROGRAM that names no file (gdb's rule).
    pid: int | None = None
    # ``-c CORE``, or a file named after PROGRAM.
    core: str | None = None
    version: bool = False
    # gdb's -q and -nx: deet has no banner and no init file, so they change nothing.
    quiet: bool = False


# Every spelling -> the canonical option name; single and double dashes as gdb accepts.
_FLAGS = {
    "batch": ("-batch", "--batch"),
    "echo": ("--echo",),
    "json": ("--json",),
    "return_child_result": ("-return-child-result", "--return-child-result"),
    "help": ("-h", "-help", "--help"),
    "version": ("-version", "--version"),
    "quiet": ("-q", "-quiet", "--quiet", "-silent", "--silent", "-nx", "--nx", "-n"),
}
_VALUED = {
    "ex": ("-ex", "--ex", "-eval-command", "--eval-command"),
    "x": ("-x", "--x", "-command", "--command"),
    "timeout": ("-timeout", "--timeout"),
    "pid": ("-p", "-pid", "--pid"),
    "core": ("-c", "-core", "--core"),
}
_FLAG_OF = {spelling: name for name, spellings in _FLAGS.items() for spelling in spellings}
_VALUED_OF = {spelling: name for name, spellings in _VALUED.items() for spelling in spellings}


def parse(argv: list[str]) -> Options:
    """Raises ``UsageError`` for anything deet cannot act on."""
    options = Options()
    words = iter(argv)
    for word in words:
        if word in ("--args", "-args") and options.program is None:
            rest = list(words)
            if not rest:
                raise UsageError(USAGE)
            options.program, options.args = rest[0], rest[1:]
            break
        if word == "--":
            rest = list(words)
            if options.program is None and rest:
                options.program = rest.pop(0)
            options.args = rest
            break
        name, _, inline = word.partition("=")
        if word in _FLAG_OF:
            setattr(options, _FLAG_OF[word], True)
        elif name in _VALUED_OF:
            value = inline if "=" in word else next(words, None)
            if value is None:
                raise UsageError(f"deet: option '{name}' requires an argument")
            _set_valued(options, _VALUED_OF[name], value)
        elif word.startswith("-") and word != "-":
            raise UsageError(f"deet: unrecognized option '{word}' (deet --help lists them)")
        elif options.program is None:
            options.program = word
        elif options.pid is None and word.isdigit() and not os.path.exists(word):
            options.pid = _pid(word)
        elif options.core is None and options.pid is None and _is_core(word):
            options.core = word
        else:
            raise UsageError(USAGE)
    if options.program is None and options.pid is not None:
        options.program = _program_of(options.pid)
    if options.program is None and options.core is not None:
        options.program = _program_in(options.core)
    if options.program is None and not (options.help or options.version):
        raise UsageError(USAGE)
    return options


def _is_core(path: str) -> bool:
    """Whether ``path`` is an ELF core file (``e_type`` ET_CORE): a second word that is
    neither a core nor a process id keeps DEET's usage line."""
    try:
        with open(path, "rb") as file:
            header = file.read(18)
    except OSError:
        return False
    return header[:4] == b"\x7fELF" and int.from_bytes(header[16:18], "little") == ET_CORE


def _program_in(core: str) -> str:
    """The program a core file's process ran, from the files it had mapped."""
    try:
        program = CoreFile.open(core).executable
    except DebugInfoError as exc:
        raise UsageError(f"deet: {exc}") from None
    if program is None:
        raise UsageError(f"deet: {core}: the core does not say which program it ran")
    return program


def _pid(value: str) -> int:
    if not value.isdigit() or int(value) == 0:
        raise UsageError(f"deet: invalid process id '{value}'")
    return int(value)


def _program_of(pid: int) -> str:
    """The program process ``pid`` runs, as /proc names it (gdb's ``attach`` finds it so)."""
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except FileNotFoundError:
        raise UsageError(f"deet: process {pid}: No such process.") from None
    except PermissionError:
        # /proc hides the program of a process deet may not trace: say why, as attach does.
        raise UsageError(f"deet: {refusal(pid, errno.EPERM)}") from None
    except OSError as exc:
        raise UsageError(f"deet: process {pid}: {exc.strerror}") from None


def _set_valued(options: Options, name: str, value: str) -> None:
    if name == "ex":
        options.sources.append(CommandSource(command=value))
    elif name == "x":
        options.sources.append(CommandSource(file=value))
    elif name == "pid":
        options.pid = _pid(value)
    elif name == "core":
        options.core = value
    else:
        options.timeout = parse_timeout(value)


def parse_timeout(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise UsageError(
            f"deet: invalid --timeout value '{value}' (a number of seconds greater than 0)"
        )
    return seconds
