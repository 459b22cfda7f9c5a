"""Where an assignment goes: the program's memory, the innermost frame's registers, and
the debugger's own convenience variables (``set $n = 3``).

A ``FrameContext`` holds one; before the program runs there is only the convenience
variables (gdb: "cannot access memory" for a variable of the executable file).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from deet.debugger.values import Value
from deet.debuginfo.types import Type


class Caller(Protocol):
    """Calls into the program (``calls.Caller``), and finds functions in its libraries."""

    def call(self, function: Value, arguments: list[Value], returns: Type | None,
             name: str) -> Value: ...

    def function(self, name: str) -> Value | None: ...


@dataclass
class Store:
    """``write_memory`` and ``write_register`` are None where there is nothing to write
    to (no process; registers of a frame other than the innermost)."""

    convenience: dict[str, Value] = field(default_factory=dict)
    write_memory: Callable[[int, bytes], None] | None = None
    write_register: Callable[[str, int], None] | None = None
