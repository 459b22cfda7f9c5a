"""deet's command line: ``deet [OPTIONS] PROGRAM [-- ARGS...]``, parsed into ``Options``.

Options follow gdb's spellings where gdb has them (``-ex``, ``-x``, ``-batch``,
``-return-child-result``, with one dash or two), and may come before or after PROGRAM.
Hand-written rather than argparse because DEET's usage line must stay exactly
``Usage: deet <target program>`` and every mistake must be one line, not argparse's two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from deet import __version__

USAGE = "Usage: deet <target program>"

HELP = f"""{USAGE}
       deet [OPTIONS] PROGRAM [-- ARGS...]
       deet check [--update] [--program PROGRAM]... TRANSCRIPT...

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
        else:
            raise UsageError(USAGE)
    if options.program is None and not (options.help or options.version):
        raise UsageError(USAGE)
    return options


def _set_valued(options: Options, name: str, value: str) -> None:
    if name == "ex":
        options.sources.append(CommandSource(command=value))
    elif name == "x":
        options.sources.append(CommandSource(file=value))
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
