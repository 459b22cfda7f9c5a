"""``info threads`` and ``thread N``: the current process's threads, each with the frame
it is stopped in."""

from __future__ import annotations

from deet.debugger.core import Debugger
from deet.debugger.errors import DebuggerError
from deet.engine import MemoryAccessError
from deet.results import CurrentThread, FrameLine, ThreadList, ThreadRow, ThreadSwitched, ThreadTag


def thread_list(debugger: Debugger) -> ThreadList:
    process = debugger.require_stopped()
    inferior = process.inferior
    selected = inferior.thread
    rows = []
    try:
        for thread in inferior.threads():
            inferior.select(thread)
            rows.append(ThreadRow(ThreadTag(thread.number, thread.tid), thread.name(),
                                  thread is selected, _innermost_line(debugger)))
    finally:
        inferior.select(selected)
    return ThreadList(tuple(rows))


def current_thread(debugger: Debugger) -> CurrentThread:
    thread = debugger.require_stopped().inferior.thread
    return CurrentThread(ThreadTag(thread.number, thread.tid))


def switch_thread(debugger: Debugger, number: int) -> ThreadSwitched:
    process = debugger.require_stopped()
    found = [thread for thread in process.inferior.threads() if thread.number == number]
    if not found:
        raise DebuggerError(f"Invalid thread ID: {number}")
    thread = found[0]
    process.inferior.select(thread)
    process.stack.selected = 0
    process.last_thread = thread.tid
    line = _innermost_line(debugger)
    if line is None:
        raise DebuggerError(f"Thread {number} has no readable frame.")
    return ThreadSwitched(ThreadTag(thread.number, thread.tid), line,
                          debugger.sources.source_line(line.location))


def _innermost_line(debugger: Debugger) -> FrameLine | None:
    """The selected thread's frame 0 as gdb lists it; None when it cannot be read."""
    try:
        return debugger.frame_line(0)
    except (DebuggerError, MemoryAccessError):
        return None
