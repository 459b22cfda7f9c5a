"""The program's world as ``show``/``set`` answer about it (arguments, environment,
working directory), and the closing event of a command for clients on a pipe."""

from __future__ import annotations

from deet.results.reprs import result


@result
class ProgramArguments:
    """``show args`` (``changed``: ``set args`` gave them, and gdb then says nothing)."""

    args: str
    changed: bool = False


@result
class WorkingDirectory:
    """``show cwd``: the directory ``run`` starts the program in; None: deet's own."""

    cwd: str | None
    changed: bool = False


@result
class EnvironmentVariables:
    """``show environment [VAR]``: the variables and their values (None: not defined);
    ``listing``: the whole environment was asked for."""

    variables: tuple[tuple[str, str | None], ...]
    listing: bool = False


@result
class EnvironmentChanged:
    """``set environment VAR VALUE`` or ``unset environment [VAR]``: ``value`` None for an
    unset, ``name`` None when every variable was unset."""

    name: str | None
    value: str | None


@result
class CommandDone:
    """A command has finished (``--json`` without ``--batch``, MI's ``^done``): so a client
    on a pipe knows which results were its command's; ``ok`` is False when it failed."""

    command: str
    ok: bool
