"""``info threads`` and ``thread N``: the current process's threads, each with the frame
it is stopped in."""

from __future__ import annotations

from dataclasses import replace

from deet.debugger.core import Debugger, DebuggerError
from deet.debugger.inspection import frame_line, source_line
from deet.debugger.symbolize import place_of
from deet.debuginfo import DebugInfoError
from deet.engine import MemoryAccessError
from deet.results import FrameLine, ThreadList, ThreadRow, ThreadSwitched, ThreadTag


def thread_list(debugger: Debugger) -> ThreadList:
    inferior = debugger.require_stopped()
    selected = inferior.thread
    rows = []
    try:
        for thread in inferior.threads():
            inferior.select(thread)
            rows.append(ThreadRow(ThreadTag(thread.number, thread.tid), thread.name(),
                                  thread is selected, innermost_line(debugger)))
    finally:
        inferior.select(selected)
    return ThreadList(tuple(rows))


def switch_thread(debugger: Debugger, number: int) -> ThreadSwitched:
    inferior = debugger.require_stopped()
    found = [thread for thread in inferior.threads() if thread.number == number]
    if not found:
        raise DebuggerError(f"Invalid thread ID: {number}")
    thread = found[0]
    inferior.select(thread)
    debugger.selected_frame = 0
    debugger.last_thread = thread.tid
    line = innermost_line(debugger)
    if line is None:
        raise DebuggerError(f"Thread {number} has no readable frame.")
    return ThreadSwitched(ThreadTag(thread.number, thread.tid), line,
                          source_line(debugger, line))


def innermost_line(debugger: Debugger) -> FrameLine | None:
    """The selected thread's frame 0 as gdb lists it. A thread waiting in a library
    (in ``pthread_join``, ``clone3``) is named by the library's symbols and lines, as in a
    backtrace."""
    try:
        line = frame_line(debugger, [debugger.innermost_frame()], 0)
    except (DebuggerError, MemoryAccessError):
        return None
    if line.function is None and debugger.space is not None:
        place = place_of(debugger.space, line.pc)
        line = replace(line, function=place.function, location=place.location,
                       show_address=not _at_line_start(debugger, line.pc))
    return line


def _at_line_start(debugger: Debugger, pc: int) -> bool:
    """gdb shows a frame's address only when the pc is inside a line."""
    assert debugger.space is not None
    obj = debugger.space.object_at(pc)
    if obj is None:
        return False
    try:
        row = obj.info.line_row(pc - obj.bias)
    except DebugInfoError:
        return False
    return row is not None and row.address == pc - obj.bias
