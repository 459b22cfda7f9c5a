"""deet as a Python library: a ``Session`` whose methods mirror the commands.

Each method runs the command through ``deet.commands.execute``, the dispatcher every front
end uses, and returns the same typed result the REPL would render, never text. A failed
command raises ``SessionError`` carrying its ``Error`` result: a script that goes on after
a failed ``break`` would only fail later and more confusingly.

A session owns a live process, so it is a context manager, and dropping it kills and reaps
the program too (the seed lecture's "a struct whose Drop calls wait"). Like all of deet it
must stay on the thread that created it, the main thread: ptrace answers only the thread
that attached, and the time limit and Ctrl-C handling use signals.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence
from types import TracebackType

from deet.commands import execute
from deet.debugger import Debugger
from deet.debuginfo import DebugInfoError
from deet.results import Backtrace, BreakpointSet, Error, ProgramOutput, Result

__all__ = ["Session", "SessionError"]


class SessionError(Exception):
    """A command failed, or the program cannot be debugged; ``error`` is the ``Error``
    result (``str()`` is its one-line message)."""

    def __init__(self, error: Error) -> None:
        super().__init__(error.message)
        self.error = error


class Session:
    """One program under deet.

    ``args`` are the default arguments of ``run`` (``deet PROGRAM -- ARGS``); ``timeout`` is
    ``--timeout``. With ``capture_output`` (the default) the program's stdout and stderr do
    not reach this process's own: they arrive, line by line, as ``ProgramOutput`` results in
    ``events`` (see ``output()``), in order with the other events deet announces along the
    way (a program killed for a new ``run``, a breakpoint that could not be inserted).
    """

    def __init__(self, program: str | os.PathLike[str], args: Sequence[str] = (), *,
                 timeout: float | None = None, capture_output: bool = True) -> None:
        self.events: list[Result] = []
        try:
            self._debugger: Debugger | None = Debugger(
                os.fspath(program), self.events.append, capture_output=capture_output
            )
        except DebugInfoError as exc:
            raise SessionError(Error(str(exc))) from exc
        self._debugger.default_args = list(args)
        self._debugger.timeout = timeout

    # -- the commands ----------------------------------------------------------------------

    def execute(self, command: str) -> Result:
        """Run any command line, as typed at the prompt."""
        if self._debugger is None:
            raise SessionError(Error("The session is closed."))
        result = execute(self._debugger, command)
        if result is None:
            raise SessionError(Error("No command given."))
        if isinstance(result, Error):
            raise SessionError(result)
        return result

    def run(self, *args: str) -> Result:
        """Start the program (killing a live one first); without ``args``, the previous ones.
        Returns how it stopped or ended: ``Stopped``, ``Exited``, ``Signaled``, ``TimedOut``."""
        return self.execute(shlex.join(["run", *args]))

    def cont(self) -> Result:
        return self.execute("continue")

    def break_(self, location: str) -> BreakpointSet:
        """``break LOCATION`` (``break`` itself is a Python keyword)."""
        result = self.execute(f"break {location}")
        assert isinstance(result, BreakpointSet)
        return result

    def backtrace(self) -> Backtrace:
        result = self.execute("backtrace")
        assert isinstance(result, Backtrace)
        return result

    def kill(self) -> Result:
        return self.execute("kill")

    # -- state -----------------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        return self._debugger is not None and self._debugger.alive

    @property
    def pid(self) -> int | None:
        """The process id of the program deet is stopped in, None when none runs."""
        current = self._debugger.current if self._debugger is not None else None
        return current.pid if current is not None else None

    def output(self, stream: str = "stdout") -> str:
        """Everything the program has written to ``stream`` so far (captured output only)."""
        return "".join(event.text for event in self.events
                       if isinstance(event, ProgramOutput) and event.stream == stream)

    # -- the end ---------------------------------------------------------------------------

    def close(self) -> None:
        """Kill and reap the program if it is alive, and let go of everything; idempotent."""
        if self._debugger is not None:
            debugger, self._debugger = self._debugger, None
            debugger.shutdown()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_debugger", None) is not None:
            self.close()
