"""``info SUBCOMMAND``: one word, gdb's subcommands, unique prefixes accepted."""

from __future__ import annotations

from deet.commands import breakpoints, data, processes
from deet.commands.registry import Handler, command
from deet.debugger import Debugger, DebuggerError
from deet.results import Result


def info_sharedlibrary(debugger: Debugger, _args: str) -> Result:
    return debugger.shared_libraries()


# name -> (handler, needs a live program); gdb's order decides what a prefix means.
SUBCOMMANDS: dict[str, tuple[Handler, bool]] = {
    "args": (data.info_args, True),
    "breakpoints": (breakpoints.info_breakpoints, False),
    "dll": (info_sharedlibrary, False),
    "inferiors": (processes.info_inferiors, False),
    "locals": (data.info_locals, True),
    "registers": (data.info_registers, True),
    "sharedlibrary": (info_sharedlibrary, False),
    "signals": (processes.info_signals, False),
    "threads": (processes.info_threads, True),
}


@command("info", "i", doc="info SUBCOMMAND: " + ", ".join(SUBCOMMANDS))
def info(debugger: Debugger, args: str) -> Result:
    word, _, rest = args.strip().partition(" ")
    if not word:
        raise DebuggerError(f'List of info subcommands: {", ".join(SUBCOMMANDS)}.')
    matches = [name for name in SUBCOMMANDS if name.startswith(word)]
    if not matches:
        raise DebuggerError(f'Undefined info command: "{word}".  Try "help info".')
    handler, needs_program = SUBCOMMANDS[matches[0]]
    if needs_program and not debugger.alive:
        raise DebuggerError("The program is not being run.")
    return handler(debugger, rest.strip())
