"""The program's process tree (``info processes``) and the fork diagnostics deet gives
as the lecture's fork bugs happen."""

from __future__ import annotations

from deet.results.reprs import result


@result
class ForkSite:
    """Where user code called fork: the function and its file:line (None when the
    program's debug info does not say)."""

    function: str | None
    file: str | None
    line: int | None


@result
class ProcessRow:
    """One process of the tree. ``state``: "stopped" (held by deet for the user),
    "running", "zombie" (exited, not yet waited for by its parent), "exited" (``code``) or
    "killed" (``signal``, its name). ``parent``: None for the process deet started;
    ``fork``: where it was forked; ``execs``: the programs it exec'd, in order."""

    pid: int
    parent: int | None
    state: str
    code: int | None
    signal: str | None
    fork: ForkSite | None
    executable: str | None
    execs: tuple[str, ...]
    current: bool


@result
class ProcessList:
    """``info processes``: every process of the last run, in the order they appeared."""

    rows: tuple[ProcessRow, ...]


@result
class Diagnostic:
    """A fork bug of the lecture's, seen as it happens. ``kind``: "nested-fork",
    "runaway-child", "exec-failed", "fork-with-threads", "child-deadlock", "unreaped-child" or
    "leftover-process"; ``pid``: the process it is
    about; ``fork``: where that process was forked; ``parent``: its parent; ``seconds``:
    how long it has been a zombie (unreaped-child); ``pids``: the processes still running
    (leftover-process); ``program`` and ``error`` (``ENOENT: No such file or
    directory``): the exec that failed (exec-failed); ``threads``: the parent's other
    threads at the fork, each ``LWP TID "name"`` and where (fork-with-threads); ``lock``
    (its address and symbol) and ``owner`` (the thread that held it, if known): the lock
    the child waits on for ever (child-deadlock); ``returned``: the caller the child
    returned into (runaway-child)."""

    kind: str
    pid: int
    fork: ForkSite | None
    parent: int | None = None
    seconds: float | None = None
    pids: tuple[int, ...] = ()
    program: str | None = None
    error: str | None = None
    threads: tuple[str, ...] = ()
    lock: str | None = None
    owner: str | None = None
    returned: ForkSite | None = None
