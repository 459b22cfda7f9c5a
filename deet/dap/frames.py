"""The DAP shapes of what a stopped program shows a client: its threads, a thread's stack
frames, and a frame's scopes (arguments, locals, registers), from deet's own results."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from deet.dap.variables import Node, References
from deet.debugger import Debugger
from deet.results import RegisterTable, Result, ThreadList, Variables

# How frame ids are made: thread number * FRAMES + level.
FRAMES = 100_000


def thread_list(threads: ThreadList) -> dict:
    return {"threads": [{"id": row.thread.number, "name": f"{row.name} (LWP {row.thread.tid})"}
                        for row in threads.rows]}


def stack_frames(debugger: Debugger, thread: int, first: int, count: int) -> dict:
    """Frames ``first``.. of the selected thread (``count`` 0: all of them)."""
    frames = debugger.stack.frames
    count = count or len(frames)
    shown = []
    for level in range(first, min(len(frames), first + count)):
        line = debugger.frame_line(level)
        frame = {"id": thread * FRAMES + level, "name": line.function or "??",
                 "line": 0, "column": 0, "instructionPointerReference": f"{line.pc:#x}"}
        if line.location is not None:
            frame["line"] = line.location.line
            frame["column"] = 1
            frame["source"] = {"name": Path(line.location.file).name,
                               "path": line.location.file}
        shown.append(frame)
    return {"stackFrames": shown, "totalFrames": len(frames)}


def scopes(frame: int, run: Callable[[str], Result], references: References) -> dict:
    """The selected frame's scopes; ``frame`` is what their references remember of it."""
    found_scopes = []
    for name, command in (("Arguments", "info args"), ("Locals", "info locals")):
        found = run(command)
        items = found.items if isinstance(found, Variables) else ()
        node = Node(frame, tuple((item, value, item) for item, value in items))
        found_scopes.append({"name": name, "presentationHint": name.lower(),
                             "variablesReference": references.add(node),
                             "namedVariables": len(items), "expensive": False})
    registers = run("info registers")
    texts: tuple = ()
    if isinstance(registers, RegisterTable):
        texts = tuple((row.name, f"{row.value:#x}" if row.value is not None else "<not saved>")
                      for row in registers.rows)
    found_scopes.append({"name": "Registers", "presentationHint": "registers",
                         "variablesReference": references.add(Node(frame, texts=texts)),
                         "expensive": True})
    return {"scopes": found_scopes}
