"""How a command that ran the program ended, as DAP events: ``stopped`` with its reason
and deet's text of the stop, or ``exited`` and ``terminated``; and the ``thread`` events
for threads that started or ended meanwhile."""

from __future__ import annotations

from deet import render
from deet.results import (
    Error,
    Exited,
    Finished,
    Result,
    Signaled,
    Stepped,
    Stopped,
    StopReason,
    TimedOut,
)

# An event to send: its name and body.
Event = tuple[str, dict | None]
# The exit code an editor is given for a program killed by a signal (as a shell says).
SIGNALED = 128

_REASONS = {StopReason.BREAKPOINT: "breakpoint", StopReason.SIGNAL: "signal"}


def ending(result: Result, thread: int, alive: bool, entry: bool = False,
           paused: bool = False) -> list[Event]:
    """The events for ``result``; ``thread``: the selected thread's number afterwards,
    ``alive``: the program still runs; ``entry``: the stop is ``stopOnEntry``'s;
    ``paused``: the client asked for a pause, so the SIGINT deet sent is one."""
    if isinstance(result, Error):
        events: list[Event] = [("output", {"category": "stderr",
                                           "output": result.message + "\n"})]
        if alive:
            events.append(("stopped", {"reason": "pause", "threadId": thread,
                                       "allThreadsStopped": True, "text": result.message}))
        return events
    text = render.text(result)
    if isinstance(result, Exited | Signaled):
        code = result.status if isinstance(result, Exited) else SIGNALED
        return [("output", {"category": "console", "output": text + "\n"}),
                ("exited", {"exitCode": code}), ("terminated", None)]
    events, reason, ids = [], "step", []
    if isinstance(result, Stopped):
        reason = _REASONS.get(result.reason, "step")
        ids = [result.breakpoint] if result.breakpoint is not None else []
        if entry and reason == "breakpoint":
            reason = "entry"
        elif paused and result.signal == "SIGINT":
            reason = "pause"
    elif isinstance(result, TimedOut):
        reason = "pause"
    elif not isinstance(result, Stepped | Finished) and text:
        events.append(("output", {"category": "console", "output": text + "\n"}))
    # The stop's own line, not a ``[Thread N (LWP M)]`` switch notice before it.
    lines = [line for line in text.splitlines()
             if not (line.startswith("[") and line.endswith("]"))]
    body = {"reason": reason, "threadId": thread, "allThreadsStopped": True,
            "description": lines[0] if lines else reason, "text": text}
    if ids:
        body["hitBreakpointIds"] = ids
    events.append(("stopped", body))
    return events


def thread_changes(before: set[int], after: set[int]) -> list[Event]:
    """``thread`` events for the threads (by number) that started or exited."""
    return ([("thread", {"reason": "started", "threadId": n}) for n in sorted(after - before)]
            + [("thread", {"reason": "exited", "threadId": n}) for n in sorted(before - after)])
