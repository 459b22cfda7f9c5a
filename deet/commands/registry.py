"""The one command table: name, aliases, help, the state a command needs, its handler.

Handlers take the debugger and the argument text and return a result; they never print.
Modules register their commands with ``@command`` (pwndbg's and delve's pattern).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from deet.debugger import Debugger
from deet.results import Result

Handler = Callable[[Debugger, str], Result]


class Needs(enum.Enum):
    NOTHING = "nothing"
    STOPPED = "stopped"


@dataclass(frozen=True)
class CommandSpec:
    name: str
    aliases: tuple[str, ...]
    doc: str
    needs: Needs
    handler: Handler


COMMANDS: dict[str, CommandSpec] = {}


def command(name: str, *aliases: str, doc: str, needs: Needs = Needs.NOTHING):
    def register(handler: Handler) -> Handler:
        spec = CommandSpec(name, aliases, doc, needs, handler)
        for word in (name, *aliases):
            if word in COMMANDS:
                raise ValueError(f"command word {word!r} registered twice")
            COMMANDS[word] = spec
        return handler

    return register


def lookup(word: str) -> CommandSpec | None:
    return COMMANDS.get(word)


# The order ``help`` lists the groups in: what a session does first comes first.
GROUPS = ("running", "breakpoints", "stepping", "stack", "frames", "data", "source",
          "processes", "info", "settings", "support")


def unique_commands() -> list[CommandSpec]:
    seen: dict[str, CommandSpec] = {}
    for spec in COMMANDS.values():
        seen.setdefault(spec.name, spec)

    def group(spec: CommandSpec) -> int:
        module = spec.handler.__module__.rsplit(".", 1)[-1]
        return GROUPS.index(module) if module in GROUPS else len(GROUPS)

    return sorted(seen.values(), key=group)
