"""What gdb scripts write and run: echo, printf, output, shell (``!``) and source."""

from __future__ import annotations

from deet.commands.registry import command, run_command
from deet.debugger import Debugger, DebuggerError
from deet.debugger.cexpr import evaluate
from deet.debugger.hostshell import run_shell
from deet.debugger.inspection import frame_context
from deet.debugger.printf import printf_parts, unescape
from deet.debugger.values import show
from deet.results import Error, Message, OutputValue, Printf, Result, ScriptOutput


@command("echo", group="support",
         doc="echo TEXT: write TEXT (C escapes: \\n for a newline, which is not added)")
def echo(_debugger: Debugger, args: str) -> Result:
    return ScriptOutput(unescape(args))


@command("printf", group="support",
         doc='printf "FORMAT", ARGS...: write ARGS by C\'s printf FORMAT (no newline added)')
def printf(debugger: Debugger, args: str) -> Result:
    return Printf(*printf_parts(args, frame_context(debugger)))


@command("output", group="support",
         doc="output[/FMT] EXPR: EXPR's value as print shows it, without $N = or a newline")
def output(debugger: Debugger, args: str) -> Result:
    fmt = None
    if args.startswith("/"):
        fmt, _, args = args[1:].partition(" ")
    if not args.strip():
        raise DebuggerError("Argument required (expression to compute).")
    context = frame_context(debugger)
    return OutputValue(show(evaluate(args, context), context.memory), fmt or None)


@command("shell", "!", group="support",
         doc="shell CMD (also !CMD): run CMD with /bin/sh, its output where deet's goes")
def shell(_debugger: Debugger, args: str) -> Result:
    run_shell(args)
    return Message("")


@command("source", group="support",
         doc="source FILE: run the commands in FILE (# comments and blank lines skipped); "
         "the first that fails ends it")
def source(debugger: Debugger, args: str) -> Result:
    path = args.strip()
    if not path:
        raise DebuggerError("source command requires file name of file to source.")
    try:
        with open(path, encoding="utf-8") as file:
            lines = file.read().splitlines()
    except OSError as exc:
        raise DebuggerError(f"{path}: {exc.strerror}.") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        result = run_command(debugger, line)
        if isinstance(result, Error):
            return Error(f"Error in sourced command file:\n{result.message}", path, number)
        debugger.listener(result)
    return Message("")
