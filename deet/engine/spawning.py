"""Starting a program traced: the launcher's ``Command`` with ``PTRACE_TRACEME`` in its
``pre_exec``, stopped at its exec with deet's ptrace options set, as an ``Inferior``."""

from __future__ import annotations

import os
from collections.abc import Mapping

from ptrace.binding.func import ptrace_setoptions

from deet.engine.capture import OutputCapture
from deet.engine.inferior import Inferior
from deet.engine.launcher import Command
from deet.engine.tracing import OPTIONS, EngineError, become_tracee


def launch(program: str, args: list[str], *, stdin: int | None = None,
           stdout: int | None = None, stderr: int | None = None,
           capture: OutputCapture | None = None, env: Mapping[str, str] | None = None,
           cwd: str | None = None, fds: Mapping[int, int | None] | None = None,
           arg0: str | None = None) -> Inferior:
    """Spawn ``program`` traced and return it stopped at its exec, before any of its code.
    With ``capture``, the program's stdout and stderr go to it and are read while the
    program runs; ``fds`` (a shell's redirections) win over both. ``arg0``: the
    program's ``argv[0]``, when it is not ``program``. Raises ``LaunchError`` when it
    cannot be executed.
    """
    if capture is not None:
        stdout, stderr = capture.stdout, capture.stderr
    command = Command(program, list(args), env=env, cwd=cwd, stdin=stdin, stdout=stdout,
                      stderr=stderr, fds=dict(fds or {}), arg0=arg0)
    child = command.pre_exec(become_tracee).spawn()
    status = child.wait()
    if status is None or not os.WIFSTOPPED(status):
        child.kill()
        raise EngineError(f"{program}: did not stop at exec under ptrace")
    ptrace_setoptions(child.pid, OPTIONS)
    inferior = Inferior(child.pid, capture)
    inferior.tree.started(child.pid)
    return inferior
