"""Help on the commands themselves."""

from __future__ import annotations

from deet.commands.registry import command, lookup, unique_commands
from deet.debugger import Debugger
from deet.results import Error, Message, Result


@command("help", "h", group="support",
         doc="help [COMMAND]: list the commands, or describe one")
def help_(_debugger: Debugger, args: str) -> Result:
    word = args.strip()
    if word:
        spec = lookup(word)
        if spec is None:
            return Error(f'Undefined command: "{word}".  Try "help".')
        return Message(_describe(spec.name, spec.aliases, spec.doc))
    lines = [_describe(spec.name, spec.aliases, spec.doc) for spec in unique_commands()]
    return Message("\n".join(lines))


def _describe(name: str, aliases: tuple[str, ...], text: str) -> str:
    also = f" (also {', '.join(aliases)})" if aliases else ""
    return f"{name}{also} -- {text}"
