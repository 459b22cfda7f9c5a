"""Executing command lines and showing their results: shared by every text front end."""

from __future__ import annotations

import sys
from typing import TextIO

from deet import render
from deet.commands import execute
from deet.debugger import Debugger
from deet.results import Quit, Result


class Console:
    """Runs lines against one debugger and writes what they produce, flushed at once so
    deet's lines and the program's own output appear in the order they happened."""

    def __init__(self, debugger: Debugger, out: TextIO | None = None) -> None:
        self.debugger = debugger
        self.out = out or sys.stdout
        debugger.listener = self.show

    def show(self, result: Result) -> None:
        text = render.text(result)
        if text:
            self.out.write(text + "\n")
        self.out.flush()

    def execute(self, line: str) -> bool:
        """Run one line; False once the user has asked to quit."""
        result = execute(self.debugger, line)
        if result is None:
            return True
        self.show(result)
        return not isinstance(result, Quit)

    def quit(self) -> None:
        self.execute("quit")
