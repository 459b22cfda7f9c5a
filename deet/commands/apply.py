"""``thread apply all|N... COMMAND``: a command run in each thread, as gdb runs it.

The command is looked up and run here, through the table, with each thread selected in
turn; each result goes to the listener under gdb's ``Thread N (...):`` header, an error
included, and the thread selected before is selected again at the end.
"""

from __future__ import annotations

from deet.commands.registry import run_command
from deet.debugger import Debugger, DebuggerError
from deet.results import Message, Result, ThreadApplied, ThreadTag


def thread_apply(debugger: Debugger, args: str) -> Result:
    """``args``: what follows ``thread apply``."""
    words = args.split(maxsplit=1)
    if not words:
        raise DebuggerError("Please specify a thread ID list")
    process = debugger.require_stopped()
    threads = {thread.number: thread for thread in process.inferior.threads()}
    if words[0] == "all":
        numbers = sorted(threads, reverse=True)
        command = words[1] if len(words) > 1 else ""
    else:
        numbers, command = _numbers(args)
    if not command.strip():
        raise DebuggerError("Please specify a command following the thread ID list")
    selected = process.inferior.thread
    try:
        for number in numbers:
            thread = threads.get(number)
            if thread is None:
                debugger.listener(Message(f"warning: Unknown thread {number}"))
                continue
            process.inferior.select(thread)
            process.stack.selected = 0
            debugger.listener(ThreadApplied(ThreadTag(number, thread.tid), thread.name()))
            debugger.listener(run_command(debugger, command))
    finally:
        process.inferior.select(selected)
    return Message("")


def _numbers(args: str) -> tuple[list[int], str]:
    """gdb's thread ID list: numbers and ranges (``1 3-4``), then the command."""
    numbers: list[int] = []
    words = args.split()
    while words and (words[0].isdigit() or _is_range(words[0])):
        low, _, high = words.pop(0).partition("-")
        numbers += range(int(low), int(high or low) + 1)
    if not numbers:
        raise DebuggerError(f"Invalid thread ID: {args.strip()}")
    return numbers, " ".join(words)


def _is_range(word: str) -> bool:
    low, dash, high = word.partition("-")
    return bool(dash) and low.isdigit() and high.isdigit()
