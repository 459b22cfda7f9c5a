"""``deet [OPTIONS] PROGRAM [-- ARGS...]`` and ``deet check``: the ways into and out of deet.

Every way out — quit, EOF, the end of a batch, an exception, SIGTERM or SIGHUP — goes
through ``Debugger.shutdown``, which kills and reaps the program and what it started,
then ``reap_adopted``, which kills and reaps whatever of it is left under deet; SIGKILL is
covered by PTRACE_O_EXITKILL in the engine.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import NoReturn

from deet import batch, render
from deet.commands import internal_error
from deet.console import Console, Outcome
from deet.debugger import Debugger
from deet.debugger.shell import quote
from deet.debuginfo import DebugInfoError
from deet.engine import become_subreaper, reap_adopted
from deet.options import HELP, VERSION, Options, UsageError, parse
from deet.repl import run_repl


def _exit_on_signal(signum: int, _frame) -> None:
    raise SystemExit(128 + signum)


def _hang_up(signum: int, _frame) -> None:
    """The terminal is gone: what deet (or prompt_toolkit, leaving its prompt) would still
    write to it fails with EIO, and would end in a traceback nobody can read, so the
    descriptors that were the terminal are pointed at /dev/null first; the way out then
    kills the program as ever."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in _TERMINAL_FDS:
        os.dup2(devnull, fd)
    os.close(devnull)
    raise SystemExit(128 + signum)


# deet's own descriptors that are a terminal (set at start-up).
_TERMINAL_FDS: list[int] = []


def entry() -> NoReturn:
    """The ``deet`` command: ``main``, then out without the interpreter's teardown. By
    then everything deet owns is let go of (``Debugger.shutdown``, ``reap_adopted``, the
    cache written); freeing the objects of its 260 modules one by one took 20 ms of every
    session."""
    status = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        status = 128 + signal.SIGPIPE
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    except BrokenPipeError:
        # Whoever read our output has gone (``deet ... | head``): end quietly, as a shell
        # tool does; the program was already killed on the way out.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 128 + signal.SIGPIPE


def _main(args: list[str]) -> int:
    if args[:1] == ["check"]:
        from deet.transcript import main as check

        return check(args[1:])
    if args[:1] == ["dap"]:
        from deet.dap.server import main as dap

        become_subreaper()
        try:
            return dap(args[1:])
        finally:
            reap_adopted()
    try:
        options = parse(args)
        if options.help:
            print(HELP)
            return 0
        if options.version:
            print(VERSION)
            return 0
        script = batch.load(options.sources)
    except (UsageError, batch.ScriptError) as exc:
        print(exc, file=sys.stderr)
        return 1
    assert options.program is not None
    try:
        debugger = Debugger(options.program, capture_output=options.json)
    except DebugInfoError as exc:
        print(f"deet: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a bug in deet: one line, not a traceback
        print(render.text(internal_error("loading", exc)), file=sys.stderr)
        return 1
    become_subreaper()
    debugger.world.args = quote(options.args)
    debugger.clock.timeout = options.timeout
    signal.signal(signal.SIGTERM, _exit_on_signal)
    _TERMINAL_FDS[:] = [fd for fd in (0, 1, 2) if os.isatty(fd)]
    signal.signal(signal.SIGHUP, _hang_up)
    # Over a pipe without --batch, a JSON client is told where each command's results end.
    console = Console(debugger, json=options.json, echo=options.echo,
                      done=options.json and not options.batch)
    try:
        # Before the -ex commands, as gdb does, and not echoed: the user typed no command.
        if options.core is not None:
            console.execute(f"core-file {options.core}", typed=True)
        if options.pid is not None:
            console.execute(f"attach {options.pid}", typed=True)
        # The end of a batch kills a live program quietly (in ``shutdown``), as gdb's
        # batch mode does, so that the same script prints the same bytes on every run.
        if batch.run(console, script) and not options.batch:
            run_repl(console)
    except KeyboardInterrupt:
        return 128 + signal.SIGINT
    except BrokenPipeError:
        raise
    except Exception as exc:
        if os.environ.get("DEET_DEBUG"):
            raise
        print(f"deet: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        debugger.shutdown()
        reap_adopted()
    return _exit_status(options, console.outcome)


def _exit_status(options: Options, outcome: Outcome) -> int:
    """gdb's rules: the program's status with --return-child-result (-1, so 255, when there
    is none); otherwise, in batch mode, 1 if any command failed, else 2 if deet gave a
    fork diagnostic (deet's own rule, for autograders)."""
    if options.return_child_result:
        return outcome.child_status & 0xFF
    if options.batch and outcome.errors:
        return 1
    if options.batch and outcome.diagnostics:
        return 2
    return 0
