"""The program's world, gdb's commands for it: ``set args``/``show args``, ``set
environment``/``show environment``/``unset environment``, ``set cwd``/``show cwd``.

They change what the next ``run`` starts the program with (deet/debugger/world.py), never
a program already running, as in gdb.
"""

from __future__ import annotations

from deet.commands.registry import command, never, set_subcommand, show_subcommand
from deet.debugger import Debugger, DebuggerError
from deet.results import (
    EnvironmentChanged,
    EnvironmentVariables,
    ProgramArguments,
    Result,
    WorkingDirectory,
)


@set_subcommand("args")
def set_args(debugger: Debugger, args: str) -> Result:
    debugger.world.args = args
    return ProgramArguments(args, changed=True)


@show_subcommand("args")
def show_args(debugger: Debugger, _args: str) -> Result:
    return ProgramArguments(debugger.world.args)


@set_subcommand("cwd")
def set_cwd(debugger: Debugger, args: str) -> Result:
    debugger.world.cwd = args or None
    return WorkingDirectory(debugger.world.cwd, changed=True)


@show_subcommand("cwd")
def show_cwd(debugger: Debugger, _args: str) -> Result:
    return WorkingDirectory(debugger.world.cwd)


@set_subcommand("environment", "env")
def set_environment(debugger: Debugger, args: str) -> Result:
    name, value = split_assignment(args)
    debugger.world.environment[name] = value
    return EnvironmentChanged(name, value)


@show_subcommand("environment", "env")
def show_environment(debugger: Debugger, args: str) -> Result:
    environment = debugger.world.environment
    if not args:
        return EnvironmentVariables(tuple(environment.items()), listing=True)
    return EnvironmentVariables(((args, environment.get(args)),))


@command("unset", group="settings",
         doc="unset environment [VAR]: remove VAR (or every variable) from the "
         "environment the program is started with", repeat=never)
def unset(debugger: Debugger, args: str) -> Result:
    word, _, rest = args.strip().partition(" ")
    if not word:
        raise DebuggerError('"unset" must be followed by the name of an unset subcommand.')
    if word not in ("environment", "env"):
        raise DebuggerError(f'Undefined unset command: "{word}".  Try "help unset".')
    name = rest.strip()
    if not name:
        debugger.world.environment.clear()
        return EnvironmentChanged(None, None)
    debugger.world.environment.pop(name, None)
    return EnvironmentChanged(name, None)


def split_assignment(text: str) -> tuple[str, str]:
    """``VAR VALUE``, ``VAR=VALUE``, ``VAR = VALUE`` or ``VAR`` (the null value): gdb's
    ``set environment`` rules, where the first ``=`` wins unless a space comes first and
    something other than ``=`` follows it (``A B=C`` sets A to ``B=C``)."""
    text = text.strip()
    if not text:
        raise DebuggerError("Argument required (environment variable and value).")
    equals, space = text.find("="), text.find(" ")
    split = equals
    if equals >= 0 and space >= 0 and equals > space:
        after = len(text) - len(text[space:].lstrip(" "))
        if equals > after:
            split = after - 1
    elif equals < 0:
        split = space
    if split == 0:
        raise DebuggerError("Argument required (environment variable to set).")
    if split < 0:
        return text, ""
    return text[:split].rstrip(" \t"), text[split + 1 :].lstrip(" \t")
