"""The program's world: what ``run`` starts it with. Its arguments (kept, as gdb keeps
them, as the text of a ``run`` line: ``set args``, ``run ARGS``), its environment (deet's
own when deet started, then ``set environment`` / ``unset environment``), its working
directory (``set cwd``; deet's own by default) and the standard input it gets when the
``run`` line redirects none (``deet.Session(stdin=...)``, a transcript's ``stdin:``).

``Launch`` is one ``run``'s share of it: the words of the line after the shell's work
(deet/debugger/shell.py), the files its redirections opened, and the descriptor table the
program starts with. The files are opened here, in deet, relative to the program's
working directory, so that a file that cannot be opened is one line and no program.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from deet.debugger.errors import DebuggerError
from deet.debugger.shell import Redirection, parse
from deet.engine import EngineError, Inferior, LaunchError, OutputCapture, launch

_OPEN_FLAGS = {
    "<": os.O_RDONLY,
    ">": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
    ">>": os.O_WRONLY | os.O_CREAT | os.O_APPEND,
    "<>": os.O_RDWR | os.O_CREAT,
}


@dataclass
class Launch:
    """What one ``run`` hands the launcher: ``fds`` maps each descriptor the program starts
    with to deet's descriptor it is a copy of (None: closed)."""

    words: tuple[str, ...]
    environment: dict[str, str]
    cwd: str
    fds: dict[int, int | None]

    def start(self, program: str, capture: OutputCapture | None) -> Inferior:
        """Start ``program`` traced, stopped at its exec. It is executed by its absolute
        path (a relative one would not survive ``cwd``) with the path as given for
        ``argv[0]``."""
        try:
            return launch(os.path.abspath(program), list(self.words),
                                   env=self.environment, cwd=self.cwd, fds=self.fds,
                                   capture=capture, arg0=program)
        except (LaunchError, EngineError) as exc:
            raise DebuggerError(str(exc)) from exc


@dataclass
class ProgramWorld:
    args: str = ""
    environment: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    cwd: str | None = None
    # bytes: fed to the program; str: a file to read; None: deet's own stdin.
    stdin: bytes | str | None = None

    def directory(self) -> str:
        """Where the program runs: ``set cwd`` (``~`` expanded, relative to deet's own
        working directory), or deet's own."""
        if self.cwd is None:
            return os.getcwd()
        return os.path.abspath(_expand_home(self.cwd, self.environment))

    @contextlib.contextmanager
    def launch(self, capture: OutputCapture | None) -> Iterator[Launch]:
        """The next ``run``'s words and descriptors: what nothing redirects is deet's own
        (stdout and stderr: the capture's terminals, with ``capture``). The files opened
        for it are closed when the block ends, once the program has its copies."""
        cwd = self.directory()
        line = parse(self.args, self.environment, cwd)
        opened: list[int] = []
        try:
            fds: dict[int, int | None] = {0: 0, 1: 1, 2: 2}
            if capture is not None:
                fds.update({1: capture.stdout, 2: capture.stderr})
            if self.stdin is not None:
                fds[0] = self._standard_input(opened)
            for redirection in line.redirections:
                fds[redirection.fd] = _apply(redirection, fds, cwd, opened)
            yield Launch(line.words, dict(self.environment), cwd, fds)
        finally:
            for fd in opened:
                os.close(fd)

    def _standard_input(self, opened: list[int]) -> int:
        if isinstance(self.stdin, bytes):
            fd = os.memfd_create("deet-stdin", os.MFD_CLOEXEC)
            opened.append(fd)
            os.write(fd, self.stdin)
            os.lseek(fd, 0, os.SEEK_SET)
            return fd
        assert self.stdin is not None
        return _open(self.stdin, os.O_RDONLY, opened)


def _apply(redirection: Redirection, fds: dict[int, int | None], cwd: str,
           opened: list[int]) -> int | None:
    if redirection.op in (">&", "<&"):
        if redirection.target == "-":
            return None
        source = int(redirection.target)
        if source not in fds or fds[source] is None:
            raise DebuggerError(f"{source}: Bad file descriptor")
        return fds[source]
    path = redirection.target
    return _open(path if os.path.isabs(path) else os.path.join(cwd, path),
                 _OPEN_FLAGS[redirection.op], opened, shown=path)


def _open(path: str, flags: int, opened: list[int], shown: str | None = None) -> int:
    try:
        fd = os.open(path, flags | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise DebuggerError(f"{shown or path}: {exc.strerror}") from exc
    opened.append(fd)
    return fd


def _expand_home(path: str, environment: Mapping[str, str]) -> str:
    """``~`` at the start of ``set cwd``'s directory, from the program's HOME, as gdb does."""
    if path == "~" or path.startswith("~/"):
        home = environment.get("HOME")
        if home is not None:
            return home + path[1:]
    return os.path.expanduser(path) if path.startswith("~") else path
