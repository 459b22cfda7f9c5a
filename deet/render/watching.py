"""The text and JSON of watchpoints and auto-displays, in gdb's words: ``Hardware
watchpoint 2: x``, the stop with ``Old value``/``New value`` (or ``Value``) and the frame,
``1: x = 3``, ``info display``.

These register with ``text.text`` and the JSON dispatcher; ``deet.render`` imports this
module so they always do.
"""

from __future__ import annotations

import dataclasses

from deet.render.json import Fields, _address, _json, frame_fields, thread_fields
from deet.render.text import frame_description, source_text, text
from deet.render.values import value_text
from deet.results import (
    DisplayItem,
    Displays,
    DisplayTable,
    Examined,
    MemoryRow,
    WatchHit,
    WatchpointSet,
    WatchpointStopped,
)

_TITLES = {"watch": "Hardware watchpoint", "rwatch": "Hardware read watchpoint",
           "awatch": "Hardware access (read/write) watchpoint"}


def _title(kind: str, hardware: bool) -> str:
    return _TITLES[kind] if hardware else "Watchpoint"


@text.register
def _(result: WatchpointSet) -> str:
    return f"{_title(result.kind, result.hardware)} {result.number}: {result.expression}"


@text.register
def _(result: WatchpointStopped) -> str:
    lines = []
    if result.thread is not None and result.switched:
        lines.append(f"[Switching to thread {result.thread.number} (LWP {result.thread.tid})]")
    for hit in result.hits:
        lines += ["", f"{_title(hit.kind, hit.hardware)} {hit.number}: {hit.expression}", ""]
        if hit.old is not None:
            lines += [f"Old value = {value_text(hit.old)}", f"New value = {value_text(hit.new)}"]
        else:
            lines.append(f"Value = {value_text(hit.new)}")
    for number in result.left_scope:
        lines += ["", f"Watchpoint {number} deleted because the program has left the block in",
                  "which its expression is valid."]
    lines.append(frame_description(result.frame))
    if result.source is not None:
        lines.append(source_text(result.source))
    return "\n".join(lines)


def _hit_fields(hit: WatchHit) -> Fields:
    return {"number": hit.number, "kind": hit.kind, "hardware": hit.hardware,
            "expression": hit.expression,
            "old": value_text(hit.old) if hit.old is not None else None,
            "new": value_text(hit.new)}


@_json.register
def _(result: WatchpointSet) -> tuple[str, Fields]:
    return "watchpoint", {"number": result.number, "kind": result.kind,
                          "hardware": result.hardware, "expression": result.expression}


@_json.register
def _(result: WatchpointStopped) -> tuple[str, Fields]:
    return "watchpoint_stopped", {
        "pc": _address(result.pc),
        "hits": [_hit_fields(hit) for hit in result.hits],
        "left_scope": list(result.left_scope),
        "frame": frame_fields(result.frame),
        "source": result.source.text if result.source is not None else None,
        "thread": thread_fields(result.thread),
    }


# -- auto-display ---------------------------------------------------------------------------


def _errors_as_values(examined: Examined) -> Examined:
    """A display shows memory it cannot read as gdb shows a value's error:
    ``0x0:\t<error: Cannot access memory at address 0x0>``."""
    rows = tuple(dataclasses.replace(row, error=f"<error: {row.error}>")
                 if isinstance(row, MemoryRow) and row.error is not None else row
                 for row in examined.rows)
    return dataclasses.replace(examined, rows=rows)


def display_line(item: DisplayItem) -> str:
    """``1: x = 3``, ``2: /x y = 0x10``, ``3: x/i $pc`` and the ``x`` lines under it."""
    if item.examine is not None or item.examine_style:
        head = f"{item.number}: x/{item.format} {item.expression}"
        if item.examine is not None:
            return f"{head}\n{text(_errors_as_values(item.examine))}"
        where = ""
        if item.error_address is not None:
            where = f"{'   ' if (item.format or '').endswith('i') else ''}"
            where += f"{item.error_address:#x}:\t"
        return f"{head}\n{where}<error: {item.error}>"
    fmt = f"/{item.format} " if item.format else ""
    shown = (value_text(item.value, fmt=item.format) if item.value is not None
             else f"<error: {item.error}>")
    return f"{item.number}: {fmt}{item.expression} = {shown}"


@text.register
def _(result: Displays) -> str:
    return "\n".join(display_line(item) for item in result.items)


@text.register
def _(result: DisplayTable) -> str:
    if not result.rows:
        return "There are no auto-display expressions now."
    lines = ["Auto-display expressions now in effect:", "Num Enb Expression"]
    for row in result.rows:
        fmt = f"/{row.format} " if row.format else ""
        enabled = "y" if row.enabled else "n"
        where = " (cannot be evaluated in the current context)" if row.elsewhere else ""
        lines.append(f"{f'{row.number}:':<4} {enabled}  {fmt}{row.expression}{where}")
    return "\n".join(lines)


@_json.register
def _(result: Displays) -> tuple[str, Fields]:
    return "displays", {"displays": [
        {"number": item.number, "expression": item.expression, "format": item.format,
         "value": value_text(item.value, fmt=item.format) if item.value is not None else None,
         "examine": text(item.examine) if item.examine is not None else None,
         "error": item.error}
        for item in result.items
    ]}


@_json.register
def _(result: DisplayTable) -> tuple[str, Fields]:
    return "display_table", {"displays": [
        {"number": row.number, "enabled": row.enabled, "format": row.format,
         "expression": row.expression, "elsewhere": row.elsewhere}
        for row in result.rows
    ]}
