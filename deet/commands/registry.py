"""The one command table: name, aliases, group, help, the state a command needs, its handler.

Handlers take the debugger and the argument text and return a result; they never print.
Modules register their commands with ``@command`` (pwndbg's and delve's pattern), and
``info``'s subcommands with ``@info_subcommand``, both with the same ``Needs``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from deet.debugger import Debugger
from deet.results import Result

Handler = Callable[[Debugger, str], Result]

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


def command(name: str, *aliases: str, group: str, doc: str, needs: Needs = Needs.NOTHING):
    if group not in GROUPS:
        raise ValueError(f"command {name!r}: unknown group {group!r}")

    def register(handler: Handler) -> Handler:
        spec = CommandSpec(name, aliases, group, doc, needs, handler)
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
    return COMMANDS.get(word)


def unique_commands() -> list[CommandSpec]:
    seen: dict[str, CommandSpec] = {}
    for spec in COMMANDS.values():
        seen.setdefault(spec.name, spec)
    return sorted(seen.values(), key=lambda spec: GROUPS.index(spec.group))
