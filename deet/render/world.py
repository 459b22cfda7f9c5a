"""The text and JSON of the program's world as ``show`` answers about it (gdb's
sentences), and of a command's closing event (no text: it exists for JSON clients only).

These register with ``text.text`` and the JSON shapes; ``deet.render`` imports this module
so they always do.
"""

from __future__ import annotations

from deet.render.json import Fields, _json
from deet.render.text import text
from deet.results import (
    CommandDone,
    EnvironmentChanged,
    EnvironmentVariables,
    ProgramArguments,
    WorkingDirectory,
)


@text.register
def _(result: ProgramArguments) -> str:
    if result.changed:
        return ""
    return ("Argument list to give program being debugged when it is started is "
            f'"{result.args}".')


@text.register
def _(result: WorkingDirectory) -> str:
    if result.changed:
        return ""
    if result.cwd is None:
        return ("You have not set the inferior's current working directory.\n"
                "The inferior will inherit GDB's cwd if native debugging, or the remote\n"
                "server's cwd if remote debugging.")
    return ("Current working directory that will be used when starting the inferior is "
            f'"{result.cwd}".')


@text.register
def _(result: EnvironmentVariables) -> str:
    if result.listing:
        return "\n".join(f"{name}={value}" for name, value in result.variables)
    return "\n".join(f"{name} = {value}" if value is not None
                     else f'Environment variable "{name}" not defined.'
                     for name, value in result.variables)


@text.register
def _(result: EnvironmentChanged) -> str:
    if result.name is not None and result.value == "":
        return f'Setting environment variable "{result.name}" to null value.'
    return ""


@text.register
def _(_result: CommandDone) -> str:
    return ""


@_json.register
def _(result: ProgramArguments) -> tuple[str, Fields]:
    return "arguments", {"args": result.args, "changed": result.changed}


@_json.register
def _(result: WorkingDirectory) -> tuple[str, Fields]:
    return "cwd", {"cwd": result.cwd, "changed": result.changed}


@_json.register
def _(result: EnvironmentVariables) -> tuple[str, Fields]:
    return "environment", {"variables": [{"name": name, "value": value}
                                         for name, value in result.variables]}


@_json.register
def _(result: EnvironmentChanged) -> tuple[str, Fields]:
    return "environment_changed", {"name": result.name, "value": result.value}


@_json.register
def _(result: CommandDone) -> tuple[str, Fields]:
    return "done", {"command": result.command, "ok": result.ok}
