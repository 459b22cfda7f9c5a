"""Setting breakpoints."""

from __future__ import annotations

from deet.commands.registry import command
from deet.debugger import Debugger
from deet.debugger.linespec import parse_location
from deet.results import Result


@command("break", "b", doc="break LOC: stop at LOC, one of *ADDR, LINE, FILE:LINE, FUNC")
def break_(debugger: Debugger, args: str) -> Result:
    return debugger.add_breakpoint(parse_location(args))
