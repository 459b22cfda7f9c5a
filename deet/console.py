"""Executing command lines and showing their results: shared by every text front end."""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from typing import TextIO

from deet import render
from deet.commands import after, execute, repeat_of
from deet.debugger import Debugger
from deet.debugger.proctree import service
from deet.results import (
    CommandDone,
    CommandEcho,
    Diagnostic,
    Error,
    Exited,
    InferiorKilled,
    OutputValue,
    Printf,
    Quit,
    Result,
    ScriptOutput,
    Signaled,
    Stopped,
    TimedOut,
)

# The child status when the program never ran or did not exit on its own (gdb's -1).
NO_CHILD_STATUS = -1


@dataclass
class Outcome:
    """How a session went, for deet's exit status: how many commands failed, and how the
    program's last run ended (its exit status, or ``NO_CHILD_STATUS`` if it died of a signal,
    was killed, or never ran: what gdb's ``--return-child-result`` reports)."""

    errors: int = 0
    child_status: int = NO_CHILD_STATUS
    # Fork diagnostics given (an autograder's grade: deet --batch exits with 2).
    diagnostics: int = 0

    def record(self, result: Result) -> None:
        if isinstance(result, Error):
            self.errors += 1
        elif isinstance(result, Diagnostic):
            self.diagnostics += 1
        elif isinstance(result, Exited):
            self.child_status = result.status
        elif isinstance(result, Signaled | InferiorKilled | Stopped | TimedOut):
            # A program that stopped has not exited (yet): if a batch ends here, it is
            # killed quietly, and this is what stays.
            self.child_status = NO_CHILD_STATUS


class Console:
    """Runs lines against one debugger and writes what they produce, flushed at once so
    deet's lines and the program's own output appear in the order they happened.

    ``json`` writes each result as one JSON object a line instead of text; ``echo`` shows
    each command before its results, so a script's output reads like a session; ``done``
    closes each command with a ``CommandDone`` (MI's ``^done``)."""

    def __init__(self, debugger: Debugger, out: TextIO | None = None, *, json: bool = False,
                 echo: bool = False, done: bool = False) -> None:
        self.debugger = debugger
        self.out = out or sys.stdout
        self.json = json
        self.echo = echo
        self.done = done
        self.outcome = Outcome()
        # What an empty line typed next runs (gdb's repetition), None for nothing.
        self.again: str | None = None
        debugger.listener = self.show

    def show(self, result: Result) -> None:
        self.outcome.record(result)
        line = render.json_line(result) if self.json else render.text(result)
        if isinstance(result, ScriptOutput | Printf | OutputValue) and not self.json:
            self.out.write(line)
        elif line:
            self.out.write(line + "\n")
        self.out.flush()

    def execute(self, line: str, *, typed: bool = False,
                script: tuple[str, int] | None = None, repeat: bool = False) -> bool:
        """Run one line; False once the user has asked to quit.

        ``typed``: the user typed it at the prompt, where it is already on the screen, so it
        is not echoed again. ``script``: the file and line it was read from, named in its
        error. ``repeat``: the line was read at the prompt or from standard input, where gdb
        makes an empty line repeat the command before it (not in a script file)."""
        command = line.strip()
        if not command:
            if not repeat or self.again is None:
                return True
            command = self.again
            if self.echo and not typed:
                self.show(CommandEcho(""))
        elif self.echo and not typed:
            self.show(CommandEcho(command))
        if repeat:
            self.again = repeat_of(command)
        result = execute(self.debugger, command)
        if result is None:
            return True
        if isinstance(result, Error) and script is not None:
            result = replace(result, script=script[0], script_line=script[1])
        self.show(result)
        displayed = after(self.debugger, result)
        if displayed is not None:
            self.show(displayed)
        if self.done:
            self.show(CommandDone(command, not isinstance(result, Error)))
        return not isinstance(result, Quit)

    def service(self) -> bool:
        """Between commands: what the program's free-running processes did meanwhile is
        handled; whether any still runs free (the caller waits for input in ticks then)."""
        service(self.debugger)
        return self.debugger.tree.busy()

    def quit(self) -> None:
        """The end of the input: ``quit``, which the user did not send, so not closed
        with a ``CommandDone``."""
        done, self.done = self.done, False
        self.execute("quit", typed=True)
        self.done = done
