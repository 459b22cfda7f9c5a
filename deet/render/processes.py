"""The process tree (``info processes``) and the fork diagnostics, as text and as JSON.

A diagnostic's text is one ``warning: KIND: ...`` line, said the moment it happens; the
user guide explains each with the lecture's reasoning.
"""

from __future__ import annotations

from deet.render.json import Fields, register
from deet.render.text import text
from deet.results import Diagnostic, ForkSite, ProcessList, ProcessRow


def fork_text(site: ForkSite | None) -> str:
    """``main (fork_nested.c:10)``, as DEET names a frame; "?" when unknown."""
    if site is None:
        return "?"
    where = f" ({site.file.rsplit('/', 1)[-1]}:{site.line})" if site.file else ""
    return f"{site.function or '??'}{where}"


def _state(row: ProcessRow) -> str:
    if row.state == "exited":
        return f"exited {row.code}"
    if row.state == "killed":
        return f"killed by {row.signal}"
    return row.state


@text.register
def _(result: ProcessList) -> str:
    if not result.rows:
        return "No processes."
    lines = [f"  {'PID':<8}{'Parent':<8}{'State':<18}{'Forked at':<28}Program"]
    for row in result.rows:
        parent = str(row.parent) if row.parent is not None else "-"
        fork = fork_text(row.fork) if row.parent is not None else "-"
        lines.append(f"{'*' if row.current else ' '} {row.pid:<8}{parent:<8}"
                     f"{_state(row):<18}{fork:<28}{row.executable or '?'}")
    return "\n".join(lines)


@text.register
def _(result: Diagnostic) -> str:
    return f"warning: {result.kind}: {_diagnosis(result)}"


def _diagnosis(result: Diagnostic) -> str:
    at = fork_text(result.fork)
    if result.kind == "nested-fork":
        return (f"process {result.pid} forked at {at}, the call that created it: the "
                "loop goes on in the child, which forks again")
    if result.kind == "runaway-child":
        function = result.fork.function if result.fork and result.fork.function else "?"
        return (f"process {result.pid} (forked at {at}) returned from {function} into "
                f"{fork_text(result.returned)}, code meant for its parent {result.parent}: "
                "a child should exit before the function that forked it returns")
    if result.kind == "exec-failed":
        return (f"process {result.pid} (forked at {at}) could not exec {result.program} "
                f"({result.error}) and went on running instead of exiting")
    if result.kind == "fork-with-threads":
        return (f"process {result.pid} (forked at {at}) was forked while other threads ran "
                f"({', '.join(result.threads)}) and did something other than exec: only "
                "the forking thread exists in the child, and what the others held stays held")
    if result.kind == "child-deadlock":
        holder = (f"held by {result.owner}, a thread" if result.owner
                  else "held at the fork by a thread")
        return (f"process {result.pid} (forked at {at}) waits for ever on the lock at "
                f"{result.lock}, {holder} that does not exist in the child")
    if result.kind == "unreaped-child":
        if result.seconds is None:
            return (f"process {result.pid} (forked at {at}) exited and its parent "
                    f"{result.parent} ended without waiting for it")
        return (f"process {result.pid} (forked at {at}) exited {result.seconds:.1f} s "
                f"ago and its parent {result.parent} has not waited for it (a zombie)")
    pids = ", ".join(str(pid) for pid in result.pids)
    count = len(result.pids)
    return (f"process {result.pid} ended, leaving {count} "
            f"process{'es' if count != 1 else ''} it started running: {pids}")


def _fork_fields(site: ForkSite | None) -> Fields | None:
    if site is None:
        return None
    return {"function": site.function, "file": site.file, "line": site.line}


@register
def _(result: ProcessList) -> tuple[str, Fields]:
    return "processes", {"processes": [{
        "pid": row.pid, "parent": row.parent, "state": row.state, "exit_code": row.code,
        "signal": row.signal, "fork": _fork_fields(row.fork), "program": row.executable,
        "execs": list(row.execs), "current": row.current,
    } for row in result.rows]}


@register
def _(result: Diagnostic) -> tuple[str, Fields]:
    return "diagnostic", {
        "kind": result.kind, "pid": result.pid, "fork": _fork_fields(result.fork),
        "parent": result.parent, "seconds": result.seconds, "pids": list(result.pids),
        "program": result.program, "error": result.error, "threads": list(result.threads),
        "lock": result.lock, "owner": result.owner, "returned": _fork_fields(result.returned),
    }
