"""A Command-style process builder, in the spirit of Rust's ``std::process::Command``.

Why not ``subprocess.Popen``: Popen reaps its child behind the caller's back (``poll()``,
even ``__del__``), and a debugger whose traced child was reaped elsewhere waits forever.
This launcher forks, runs a ``pre_exec`` hook in the child, and execs; it never waits on
the child unless asked to, so the debugger engine stays the only reaper.

Exec failures come back through a close-on-exec pipe (as in sdb's launcher): the child
writes what went wrong and ``_exit``s, and the parent reaps it and raises ``LaunchError``.
No code of the parent ever runs in a child whose exec failed.
"""

from __future__ import annotations

import contextlib
import errno as errno_codes
import fcntl
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

PreExec = Callable[[], None]

# What the failed child reports on the error pipe: errno, then the failing step's name.
_ERR_HEADER = 4


class LaunchError(Exception):
    """The program could not be started; ``str()`` is one line for the user."""


@dataclass(frozen=True)
class ExitStatus:
    """How a child ended: exactly one of ``code`` and ``signal`` is set."""

    code: int | None = None
    signal: int | None = None

    @classmethod
    def from_wait_status(cls, status: int) -> ExitStatus:
        if os.WIFSIGNALED(status):
            return cls(signal=os.WTERMSIG(status))
        return cls(code=os.WEXITSTATUS(status))


@dataclass
class Child:
    """A spawned process. Reaping it is the owner's job: call ``wait`` or ``kill``."""

    pid: int
    reaped: bool = False

    def wait(self, options: int = 0) -> int | None:
        """``waitpid`` on this child; the raw status, or None when WNOHANG found nothing."""
        pid, status = os.waitpid(self.pid, options)
        if pid == 0:
            return None
        if os.WIFEXITED(status) or os.WIFSIGNALED(status):
            self.reaped = True
        return status

    def send_signal(self, signum: int) -> None:
        if not self.reaped:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def kill(self) -> ExitStatus:
        """SIGKILL and reap. Stop statuses of a traced child are consumed on the way."""
        self.send_signal(signal.SIGKILL)
        while True:
            try:
                status = self.wait()
            except ChildProcessError:
                self.reaped = True
                return ExitStatus(signal=signal.SIGKILL)
            if status is not None and self.reaped:
                return ExitStatus.from_wait_status(status)


@dataclass
class Command:
    """Builder for a child process: set what to run, then ``spawn()``."""

    program: str
    args: list[str] = field(default_factory=list)
    env: Mapping[str, str] | None = None
    cwd: str | None = None
    stdin: int | None = None
    stdout: int | None = None
    stderr: int | None = None
    # More of the child's descriptors: each is a copy of the parent's descriptor named,
    # or closed (None); they win over stdin/stdout/stderr. A shell's redirections.
    fds: Mapping[int, int | None] = field(default_factory=dict)
    # The program's argv[0] when it is not the path executed (the path as the user gave
    # it, while a relative one must be made absolute to survive ``cwd``).
    arg0: str | None = None
    pre_exec_hooks: list[PreExec] = field(default_factory=list)

    def arg(self, value: str) -> Command:
        self.args.append(value)
        return self

    def extend_args(self, values: Sequence[str]) -> Command:
        self.args.extend(values)
        return self

    def pre_exec(self, hook: PreExec) -> Command:
        """Run ``hook`` in the child between fork and exec; keep it small and lock-free."""
        self.pre_exec_hooks.append(hook)
        return self

    def spawn(self) -> Child:
        argv = [self.arg0 if self.arg0 is not None else self.program, *self.args]
        env = dict(os.environ if self.env is None else self.env)
        sys.stdout.flush()
        sys.stderr.flush()
        err_r, err_w = os.pipe2(os.O_CLOEXEC)
        pid = os.fork()
        if pid == 0:
            os.close(err_r)
            self._become_program(argv, env, err_w)
        os.close(err_w)
        try:
            report = _read_all(err_r)
        finally:
            os.close(err_r)
        child = Child(pid)
        if report:
            child.wait()
            raise LaunchError(_describe_failure(self.program, report))
        return child

    def _become_program(self, argv: list[str], env: dict[str, str], err_w: int) -> None:
        """Child side of spawn: never returns, whatever happens."""
        step = "pre_exec"
        try:
            for hook in self.pre_exec_hooks:
                hook()
            step = "redirect"
            self._redirect()
            if self.cwd is not None:
                step = "chdir"
                os.chdir(self.cwd)
            step = "exec"
            os.execve(self.program, argv, env)
        except OSError as exc:
            _report_failure(err_w, exc.errno or errno_codes.EINVAL, step)
        except BaseException:  # noqa: BLE001 - anything raised here must not reach the parent's code
            _report_failure(err_w, errno_codes.EINVAL, step)
        finally:
            os._exit(127)


    def _redirect(self) -> None:
        """Give the child its descriptors. Every source is first copied above all of
        them (close-on-exec), so that one redirection cannot overwrite the source of
        another (``2>&1 >out`` swaps nothing away)."""
        table: dict[int, int | None] = {
            fd: target for fd, target in ((0, self.stdin), (1, self.stdout), (2, self.stderr))
            if target is not None
        }
        table.update(self.fds)
        floor = max([*table, *(t for t in table.values() if t is not None), 2]) + 1
        copies = {fd: None if source is None else fcntl.fcntl(source, fcntl.F_DUPFD_CLOEXEC, floor)
                  for fd, source in table.items()}
        for fd, copy in copies.items():
            if copy is None:
                with contextlib.suppress(OSError):
                    os.close(fd)
            else:
                os.dup2(copy, fd)


def _report_failure(err_w: int, err: int, step: str) -> None:
    with contextlib.suppress(OSError):
        os.write(err_w, err.to_bytes(_ERR_HEADER, "little") + step.encode())


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 256):
        chunks.append(chunk)
    return b"".join(chunks)


def _describe_failure(program: str, report: bytes) -> str:
    err = int.from_bytes(report[:_ERR_HEADER], "little")
    step = report[_ERR_HEADER:].decode(errors="replace")
    reason = os.strerror(err)
    if step == "exec" and err == errno_codes.ENOEXEC:
        reason = "not an executable program"
    if step == "exec":
        return f"{program}: {reason}"
    return f"{program}: cannot start ({step} failed: {reason})"
