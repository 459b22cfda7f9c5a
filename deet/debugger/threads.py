"""``info threads`` and ``thread N``: the current process's threads, each with the frame
it is stopped in."""

from __future__ import annotations

from deet.debugger.core import Debugger, DebuggerError
from deet.debugger.inspection import frame_line, source_line
from deet.engine import MemoryAccessError
from deet.results import FrameLine, ThreadList, ThreadRow, ThreadSwitched, ThreadTag


def thread_list(debugger: Debugger) -> ThreadList:
    inferior = debugger._require_stopped()
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


def switch_thread(debugger: Debugger, number: int) -> ThreadSwitched:
    inferior = debugger._require_stopped()
    found = [thread for thread in inferior.threads() if thread.number == number]
    if not found:
        raise DebuggerError(f"Invalid thread ID: {number}")
    thread = found[0]
    inferior.select(thread)
    debugger.selected_frame = 0
    debugger._last_thread = thread.tid
    line = _innermost_line(debugger)
    if line is None:
        raise DebuggerError(f"Thread {number} has no readable frame.")
    return ThreadSwitched(ThreadTag(thread.number, thread.tid), line,
                          source_line(debugger, line))


def _innermost_line(debugger: Debugger) -> FrameLine | None:
    try:
        return frame_line(debugger, [debugger.innermost_frame()], 0)
    except (DebuggerError, MemoryAccessError):
        return None
