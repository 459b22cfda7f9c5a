"""Text and JSON of programs deet did not start: ``attach`` and ``detach`` in gdb's words.

These register with ``text.text`` and the JSON shapes of ``json.py``; ``deet.render``
imports this module so they always do.
"""

from __future__ import annotations

from deet.render.json import Fields, frame_fields, register, source_field
from deet.render.text import frame_description, source_text, text
from deet.results import Attached, Detached


@text.register
def _(result: Attached) -> str:
    lines = [f"Attaching to program: {result.executable}, process {result.pid}",
             frame_description(result.frame)]
    if result.source is not None:
        lines.append(source_text(result.source))
    return "\n".join(lines)


@register
def _(result: Attached) -> tuple[str, Fields]:
    return "attached", {"pid": result.pid, "executable": result.executable,
                        "frame": frame_fields(result.frame), "source": source_field(result.source)}


@text.register
def _(result: Detached) -> str:
    return (f"Detaching from program: {result.executable}, process {result.pid}\n"
            f"[Inferior {result.number} (process {result.pid}) detached]")


@register
def _(result: Detached) -> tuple[str, Fields]:
    return "detached_program", {"inferior": result.number, "pid": result.pid,
                                "executable": result.executable}
