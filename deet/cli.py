"""``deet PROGRAM``: argument parsing and the ways out of deet.

Every way out — quit, EOF, an exception, SIGTERM or SIGHUP — goes through
``Debugger.shutdown``, which kills and reaps the program; SIGKILL is covered by
PTRACE_O_EXITKILL in the engine.
"""

from __future__ import annotations

import os
import signal
import sys

from deet.console import Console
from deet.debugger import Debugger
from deet.debuginfo import DebugInfoError
from deet.repl import run_repl

USAGE = "Usage: deet <target program>"


def _exit_on_signal(signum: int, _frame) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(USAGE, file=sys.stderr)
        return 1
    try:
        debugger = Debugger(args[0])
    except DebugInfoError as exc:
        print(f"deet: {exc}", file=sys.stderr)
        return 1
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _exit_on_signal)
    try:
        run_repl(Console(debugger))
    except Exception as exc:
        if os.environ.get("DEET_DEBUG"):
            raise
        print(f"deet: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        debugger.shutdown()
    return 0
