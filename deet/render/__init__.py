"""The only place results become text and JSON, so every front end says the same thing.

``text`` (``render/text.py``) is what a person sees, ``json_object``/``json_line``
(``render/json.py``) what a program reads; both turn C values into gdb's text through
``render/values.py``; ``render/formats.py`` writes gdb's output-format letters for both
``print/FMT`` and ``x/FMT``; ``render/announcements.py`` has the text of what deet
announces while the program runs, ``render/world.py`` that of the program's world (``show
args``, ``show environment``, ``show cwd``), ``render/status.py`` that of the script
and status commands (``echo``, ``ignore``, ``thread apply``, ``info line``), ``render/processes.py``
that of the process tree and the fork diagnostics, in both forms.
"""

from deet.render import (  # noqa: F401 - their renderings register with text and JSON
    announcements,
    machine,
    processes,
    status,
    targets,
    watching,
    world,
)
from deet.render.json import SCHEMA_VERSION, json_line, json_object
from deet.render.text import PROMPT, frame_description, frame_text, text

__all__ = [
    "PROMPT",
    "SCHEMA_VERSION",
    "frame_description",
    "frame_text",
    "json_line",
    "json_object",
    "text",
]
