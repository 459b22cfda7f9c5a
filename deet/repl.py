"""The interactive front end: a prompt_toolkit prompt on a terminal, plain lines otherwise.

prompt_toolkit is imported here only, and only when stdin is a terminal: with a pipe it
misbehaves (warnings, a lost last line without newline), so scripts get plain reading and
no prompt. A plain ``prompt()`` starts no threads, which keeps the debugger one thread.
"""

from __future__ import annotations

import os
import select
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from deet.commands.complete import completions, partial_word
from deet.console import Console
from deet.history import HistoryFile, default_path
from deet.render import PROMPT
from deet.results import Message

INTERRUPT_HINT = 'Type "quit" to exit'
# How often free-running processes are serviced while deet waits for a line.
IDLE_TICK = 0.05


def run_repl(console: Console, stdin: TextIO | None = None) -> None:
    stdin = stdin or sys.stdin
    typed = stdin.isatty()
    lines = _terminal_lines(console) if typed else _plain_lines(console, stdin)
    for line in lines:
        if not console.execute(line, typed=typed, repeat=True):
            return
    console.quit()


def _plain_lines(console: Console, stdin: TextIO) -> Iterator[str]:
    """Lines from a pipe or a file. While none has come, processes of the program that
    run free are serviced: a parent deet let go of stops at its SIGCHLD, and must not
    wait there for the next command."""
    fd = stdin.fileno()
    pending = b""
    ended = False
    while True:
        try:
            while b"\n" not in pending and not ended:
                while console.service() and not select.select([fd], [], [], IDLE_TICK)[0]:
                    pass
                chunk = os.read(fd, 65536)
                ended = not chunk
                pending += chunk
        except KeyboardInterrupt:
            console.show(Message(INTERRUPT_HINT))
            continue
        if not pending:
            return
        line, newline, pending = pending.partition(b"\n")
        yield (line + newline).decode(errors="replace")


def _terminal_lines(console: Console) -> Iterable[str]:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import CompleteEvent, Completer, Completion
    from prompt_toolkit.document import Document
    from prompt_toolkit.history import History
    from prompt_toolkit.output.vt100 import Vt100_Output
    from prompt_toolkit.shortcuts import CompleteStyle

    history_file = HistoryFile(default_path())

    class DeetHistory(History):
        """Adapts the DEET-rules history file to prompt_toolkit's interface."""

        def load_history_strings(self) -> Iterable[str]:
            return reversed(history_file.entries)

        def store_string(self, string: str) -> None:
            warning = history_file.add(string)
            if warning:
                console.show(Message(warning))

    class DeetCompleter(Completer):
        """Adapts deet's completions (commands/complete.py) to prompt_toolkit's interface."""

        def get_completions(self, document: Document,
                            complete_event: CompleteEvent) -> Iterator[Completion]:
            text = document.text_before_cursor
            word = "" if text.endswith(" ") else partial_word(text)
            for found in completions(console.debugger, text):
                yield Completion(found, start_position=-len(word))

    output = Vt100_Output.from_pty(sys.stdout)
    # Cursor-position requests only size completion menus, which deet does not draw (Tab
    # completes as readline does, listing the choices below when there are several), and
    # terminals (or test harnesses) that never answer them get a warning.
    output.enable_cpr = False
    session: PromptSession[str] = PromptSession(
        history=DeetHistory(), output=output, completer=DeetCompleter(),
        complete_style=CompleteStyle.READLINE_LIKE, complete_while_typing=False)
    while True:
        try:
            line = session.prompt(PROMPT)
        except KeyboardInterrupt:
            console.show(Message(INTERRUPT_HINT))
            continue
        except EOFError:
            return
        yield line
