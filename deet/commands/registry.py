"""The one command table: name, aliases, group, help, the state a command needs, its handler.

Handlers take the debugger and the argument text and return a result; they never print.
Modules register their commands with ``@command`` (pwndbg's and delve's pattern), and
``info``'s subcommands with ``@info_subcommand``, both with the same ``Needs``.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from deet.commands import gdbwords
from deet.debugger import Debugger, DebuggerError
from deet.debugger.cexpr import EvalError
from deet.debugger.linespec import LocationError
from deet.debugger.settings import SettingError
from deet.debuginfo import DebugInfoError
from deet.engine import EngineError
from deet.results import Error, Message, Result

_WORD = re.compile(r"[A-Za-z0-9_.-]+")
# The failures a command reports as its one-line Error (anything else is deet's bug).
COMMAND_ERRORS = (DebuggerError, LocationError, DebugInfoError, EvalError, SettingError,
                  EngineError)

Handler = Callable[[Debugger, str], Result]
# What an empty line repeats after this command's arguments: the arguments to run it with
# again (gdb's ``x`` and ``list`` go on where they stopped, so theirs are empty), or None
# where gdb does not repeat the command at all (``run``, ``delete``, ``jump``).
Repeat = Callable[[str], str | None]


def same(args: str) -> str | None:
    """Most commands repeat as they were typed (``next 3`` steps three more lines)."""
    return args


def never(_args: str) -> str | None:
    """Commands gdb never repeats: they start over, change state or would do harm twice."""
    return None


def onward(_args: str) -> str | None:
    """Commands that go on from where they stopped when repeated without arguments."""
    return ""

# The order ``help`` lists the groups in: what a session does first comes first.
GROUPS = ("running", "breakpoints", "stepping", "stack", "frames", "data", "source",
          "processes", "info", "settings", "support")


class Needs(enum.Enum):
    """What a command needs of the program, with gdb's words for when it is not there:
    the same lack is "No stack." to ``bt`` and "No frame selected." to ``info locals``.
    ``LIVE``: a process that runs (to resume, step, kill or detach), which a core file is
    not; gdb says the same words as for no process at all."""

    NOTHING = ("", False)
    STOPPED = ("The program is not being run.", False)
    LIVE = ("The program is not being run.", True)
    STACK = ("No stack.", False)
    FRAME = ("No frame selected.", False)
    REGISTERS = ("The program has no registers now.", False)
    THREADS = ("No threads.", False)

    @property
    def message(self) -> str:
        return self.value[0]


def unmet(needs: Needs, debugger: Debugger) -> str | None:
    """Why a command that needs ``needs`` cannot run now; None when it can."""
    if needs is not Needs.NOTHING and not debugger.alive:
        return needs.message
    if needs is Needs.LIVE and not debugger.require_stopped().inferior.live:
        return needs.message
    return None


@dataclass(frozen=True)
class CommandSpec:
    name: str
    aliases: tuple[str, ...]
    group: str
    doc: str
    needs: Needs
    handler: Handler
    repeat: Repeat = same


@dataclass(frozen=True)
class SubcommandSpec:
    name: str
    needs: Needs
    handler: Handler


COMMANDS: dict[str, CommandSpec] = {}
# ``info``'s subcommands in gdb's order, which decides what a prefix means.
INFO: dict[str, SubcommandSpec] = {}
# ``set WORD ...`` and ``show WORD`` that are not settings of the table in
# debugger/settings.py (``set var``, ``set args``): the first word names them.
SET: dict[str, Handler] = {}
SHOW: dict[str, Handler] = {}


def command(name: str, *aliases: str, group: str, doc: str, needs: Needs = Needs.NOTHING,
            repeat: Repeat = same):
    if group not in GROUPS:
        raise ValueError(f"command {name!r}: unknown group {group!r}")

    def register(handler: Handler) -> Handler:
        spec = CommandSpec(name, aliases, group, doc, needs, handler, repeat)
        for word in (name, *aliases):
            if word in COMMANDS:
                raise ValueError(f"command word {word!r} registered twice")
            COMMANDS[word] = spec
        return handler

    return register


def info_subcommand(name: str, needs: Needs = Needs.NOTHING):
    def register(handler: Handler) -> Handler:
        if name in INFO:
            raise ValueError(f"info subcommand {name!r} registered twice")
        INFO[name] = SubcommandSpec(name, needs, handler)
        return handler

    return register


def set_subcommand(*words: str):
    """Register the handler of ``set WORD REST`` (it is given REST)."""
    return _register_words(SET, words)


def show_subcommand(*words: str):
    """Register the handler of ``show WORD REST`` (it is given REST)."""
    return _register_words(SHOW, words)


def _register_words(table: dict[str, Handler], words: tuple[str, ...]):
    def register(handler: Handler) -> Handler:
        for word in words:
            if word in table:
                raise ValueError(f"subcommand word {word!r} registered twice")
            table[word] = handler
        return handler

    return register


def lookup(word: str) -> CommandSpec | None:
    """The command ``word`` names as gdb reads it: a command's name or alias, gdb's own alias
    of a command deet has (``dis`` is ``disable``, ``u`` is ``until``), or a unique prefix
    of gdb's words and deet's (``disas``, ``tb``); None if it names no command deet has.
    Raises DebuggerError with gdb's words for a prefix of several (``de``)."""
    spec = COMMANDS.get(word)
    if spec is not None:
        return spec
    primary = _gdb_primary()
    if word in primary:
        return COMMANDS.get(primary[word])
    matches = [known for known in _words() if known.startswith(word)]
    if len(matches) > 1:
        raise DebuggerError(ambiguous("command", word, matches))
    if not matches:
        return None
    return COMMANDS.get(matches[0]) or COMMANDS.get(primary.get(matches[0], ""))


def lookup_info(word: str) -> SubcommandSpec | None:
    """The ``info`` subcommand ``word`` names as gdb reads it: a name or one of gdb's
    aliases (``info s`` is ``info stack``, ``info b`` ``info breakpoints``), or a unique
    prefix of gdb's words and deet's; None if it names none deet has. Raises
    DebuggerError with gdb's words for a prefix of several (``info l``: line, locals)."""
    spec = INFO.get(word)
    if spec is not None:
        return spec
    primary = _gdb_info_primary()
    if word in primary:
        return INFO.get(primary[word])
    matches = [known for known in sorted({*primary, *INFO}) if known.startswith(word)]
    if len(matches) > 1:
        raise DebuggerError(ambiguous("info", word, matches))
    if not matches:
        return None
    return INFO.get(matches[0]) or INFO.get(primary.get(matches[0], ""))


def split(line: str) -> tuple[str, str] | None:
    """The command word and its arguments, as gdb splits them: a word is letters, digits,
    ``-``, ``_`` and ``.``, so ``x/4xw $sp`` is ``x`` with ``/4xw $sp`` and ``p$rax`` is
    ``p`` with ``$rax``; ``!`` and ``|`` are words by themselves. None for a blank line."""
    text = line.strip()
    if not text:
        return None
    match = _WORD.match(text)
    end = match.end() if match else 1
    return text[:end], text[end:].strip()


def run_command(debugger: Debugger, line: str) -> Result:
    """One command line run from inside another (``thread apply``, ``source``): looked up
    and checked as at the prompt, any failure its ``Error``."""
    parsed = split(line)
    if parsed is None:
        return Message("")
    word, rest = parsed
    try:
        spec = lookup(word)
        if spec is None:
            return Error("Unrecognized command.")
        problem = unmet(spec.needs, debugger)
        if problem is not None:
            return Error(problem)
        return spec.handler(debugger, rest)
    except COMMAND_ERRORS as exc:
        return Error(str(exc))


def ambiguous(kind: str, word: str, matches: list[str]) -> str:
    """gdb's refusal of an ambiguous prefix: the words it could be, as many as fit gdb's
    100-byte buffer, then "..."."""
    listed = ""
    for match in matches:
        if len(listed) + len(match) + 6 >= 100:
            listed += ".."
            break
        listed += (", " if listed else "") + match
    kind = f"{kind} " if kind != "command" else ""
    return f'Ambiguous {kind}command "{word}": {listed}.'


@functools.cache
def _gdb_primary() -> dict[str, str]:
    """Each of gdb's command words -> the name of its command."""
    return {word: entry.split()[0] for entry in gdbwords.COMMANDS for word in entry.split()}


@functools.cache
def _gdb_info_primary() -> dict[str, str]:
    """Each of gdb's ``info`` words -> the name of its subcommand."""
    return {word: entry.split()[0] for entry in gdbwords.INFO_COMMANDS
            for word in entry.split()}


def _words() -> list[str]:
    """Every word a prefix may stand for, in gdb's order (strcmp's). deet's own spellings
    that only abbreviate their command (``cont``, ``back``) are not words of their own:
    they would make ``co`` and ``ba`` mean more than they do in gdb."""
    own = {word for word, spec in COMMANDS.items()
           if word == spec.name or not spec.name.startswith(word)}
    return sorted({*_gdb_primary(), *gdbwords.CLASSES, *own})


def unique_commands() -> list[CommandSpec]:
    seen: dict[str, CommandSpec] = {}
    for spec in COMMANDS.values():
        seen.setdefault(spec.name, spec)
    return sorted(seen.values(), key=lambda spec: GROUPS.index(spec.group))
