"""deet as a Python library: a ``Session`` whose methods mirror the commands.

Each method runs the command through ``deet.commands.execute``, the dispatcher every front
end uses, and returns the same typed result the REPL would render, never text. A failed
command raises ``SessionError`` carrying its ``Error`` result: a script that goes on after
a failed ``break`` would only fail later and more confusingly.

A session owns a live process, so it is a context manager, and dropping it kills and reaps
the program too (the seed lecture's "a struct whose Drop calls wait"). Like all of deet it
must stay on the thread that created it, the main thread: ptrace answers only the thread
that attached, and the time limit and Ctrl-C handling use signals. ``interrupt`` is the
one method made to be called while another is running: from a signal handler.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TypeVar

from deet.commands import execute, internal_error
from deet.debugger import Debugger
from deet.debugger.shell import quote
from deet.debuginfo import DebugInfoError
from deet.results import (
    Attached,
    Backtrace,
    BreakpointSet,
    CoreLoaded,
    Detached,
    Diagnostic,
    Error,
    FrameReport,
    Printed,
    ProcessList,
    ProgramOutput,
    Result,
    Variables,
)

__all__ = ["Session", "SessionError"]

Kind = TypeVar("Kind")


class SessionError(Exception):
    """A command failed, or the program cannot be debugged; ``error`` is the ``Error``
    result (``str()`` is its one-line message)."""

    def __init__(self, error: Error) -> None:
        super().__init__(error.message)
        self.error = error


class Session:
    """One program under deet.

    ``args`` are the default arguments of ``run`` (``deet PROGRAM -- ARGS``), each word as
    it is; ``stdin`` what the program reads (bytes, or the path of a file; nothing by
    default: never this process's own stdin); ``env`` variables added to the environment
    it inherits (None as a value removes one); ``cwd`` the directory it runs in;
    ``timeout`` is ``--timeout``. With ``capture_output`` (the default) the program's
    stdout and stderr do not reach this process's own: they arrive, line by line, as
    ``ProgramOutput`` results in ``events`` (see ``output()``), in order with the other
    events deet announces along the way (a program killed for a new ``run``, a breakpoint
    that could not be inserted).
    """

    def __init__(self, program: str | os.PathLike[str], args: Sequence[str] = (), *,
                 stdin: bytes | str | os.PathLike[str] | None = None,
                 env: Mapping[str, str | None] | None = None,
                 cwd: str | os.PathLike[str] | None = None,
                 timeout: float | None = None, capture_output: bool = True) -> None:
        self.events: list[Result] = []
        try:
            self._debugger: Debugger | None = Debugger(
                os.fspath(program), self.events.append, capture_output=capture_output
            )
        except DebugInfoError as exc:
            raise SessionError(Error(str(exc))) from exc
        except Exception as exc:  # a bug in deet is a SessionError too
            raise SessionError(internal_error("loading", exc)) from exc
        world = self._debugger.world
        world.args = quote(list(args))
        world.stdin = stdin if isinstance(stdin, bytes) else os.path.abspath(
            os.devnull if stdin is None else os.fspath(stdin))
        for name, value in (env or {}).items():
            if value is None:
                world.environment.pop(name, None)
            else:
                world.environment[name] = value
        world.cwd = None if cwd is None else os.path.abspath(os.fspath(cwd))
        self._debugger.clock.timeout = timeout

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
        Each of ``args`` is one word, as it is (no globs, no redirections: ``execute("run
        ...")`` reads a line as a shell would). Returns how it stopped or ended:
        ``Stopped``, ``Exited``, ``Signaled``, ``TimedOut``."""
        return self.execute(shlex.join(["run", *args]) if args else "run")

    def cont(self) -> Result:
        """``continue``: ``Stopped``, ``WatchpointStopped``, ``Exited``, ``Signaled`` or
        ``TimedOut``."""
        return self.execute("continue")

    def next(self, count: int = 1) -> Result:
        """``next``: ``Stepped`` where it ended, or how it stopped on the way (``Stopped``,
        ``Exited``, ``Signaled``, ``TimedOut``)."""
        return self.execute(f"next {count}")

    def step(self, count: int = 1) -> Result:
        """``step``: as ``next``, entering functions that have line information."""
        return self.execute(f"step {count}")

    def stepi(self, count: int = 1) -> Result:
        return self.execute(f"stepi {count}")

    def nexti(self, count: int = 1) -> Result:
        return self.execute(f"nexti {count}")

    def finish(self) -> Result:
        """``finish``: ``Finished`` (with the returned value), or how it stopped on the way."""
        return self.execute("finish")

    def break_(self, location: str) -> BreakpointSet:
        """``break LOCATION`` (``break`` itself is a Python keyword)."""
        return self._expect(f"break {location}", BreakpointSet)

    def tbreak(self, location: str) -> BreakpointSet:
        return self._expect(f"tbreak {location}", BreakpointSet)

    def delete(self, *numbers: int) -> Result:
        """``delete N...``; without numbers, every breakpoint."""
        return self.execute(" ".join(["delete", *map(str, numbers)]))

    def backtrace(self) -> Backtrace:
        return self._expect("backtrace", Backtrace)

    def print(self, expression: str) -> Printed:
        """``print EXPRESSION``: the value as a tree (``value``) and its history number."""
        return self._expect(f"print {expression}", Printed)

    def locals(self) -> Variables:
        """``info locals`` of the selected frame."""
        return self._expect("info locals", Variables)

    def args(self) -> Variables:
        """``info args`` of the selected frame."""
        return self._expect("info args", Variables)

    def frame(self, level: int | None = None) -> FrameReport:
        """``frame [LEVEL]``: the selected frame (after selecting ``level``)."""
        return self._expect("frame" if level is None else f"frame {level}", FrameReport)

    def up(self, count: int = 1) -> FrameReport:
        return self._expect(f"up {count}", FrameReport)

    def down(self, count: int = 1) -> FrameReport:
        return self._expect(f"down {count}", FrameReport)

    def kill(self) -> Result:
        return self.execute("kill")

    def attach(self, pid: int) -> Attached:
        """``attach PID``: debug a running process (leaving the session detaches)."""
        return self._expect(f"attach {int(pid)}", Attached)

    def detach(self) -> Detached:
        return self._expect("detach", Detached)

    def core(self, path: str | os.PathLike[str]) -> CoreLoaded:
        """``core-file CORE``: the crash a core file holds, for ``backtrace``, ``print``..."""
        return self._expect(f"core-file {os.fspath(path)}", CoreLoaded)

    def interrupt(self) -> bool:
        """Stop the program while a method of this session is running it, as Ctrl-C at
        the prompt would: the method returns ``Stopped`` with signal SIGINT, and the
        program can be looked at and continued. The methods block, so call this from a
        signal handler (``signal.alarm`` and a handler, in the main thread); it only
        sends the program a signal. False, and nothing sent, when no method is running
        the program; one that arrives as a command is ending may stop the program at the
        start of the next. (Under ``handle SIGINT nostop`` the program does not stop.)"""
        debugger = self._debugger
        return debugger is not None and debugger.clock.interrupt(debugger.current)

    def _expect(self, command: str, kind: type[Kind]) -> Kind:
        result = self.execute(command)
        if not isinstance(result, kind):
            raise SessionError(Error(f"{command}: unexpected {type(result).__name__}"))
        return result

    # -- state -----------------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        return self._debugger is not None and self._debugger.alive

    @property
    def pid(self) -> int | None:
        """The process id of the program deet is stopped in, None when none runs."""
        current = self._debugger.current if self._debugger is not None else None
        return current.pid if current is not None else None

    def processes(self) -> ProcessList:
        """``info processes``: every process of the last run (pid, parent, state, where
        it was forked, what it exec'd)."""
        return self._expect("info processes", ProcessList)

    def diagnostics(self) -> list[Diagnostic]:
        """The fork diagnostics deet has given so far, in order."""
        return [event for event in self.events if isinstance(event, Diagnostic)]

    def output(self, stream: str = "stdout") -> str:
        """Everything the program has written to ``stream`` so far (captured output only)."""
        return "".join(event.text for event in self.events
                       if isinstance(event, ProgramOutput) and event.stream == stream)

    # -- the end ---------------------------------------------------------------------------

    def close(self) -> None:
        """Kill and reap the program (and what it started) if it is alive, and let go of
        everything; idempotent."""
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
