"""Looking at the stack."""

from __future__ import annotations

from deet.commands.registry import Needs, command
from deet.debugger import Debugger
from deet.results import Result


@command("backtrace", "bt", "back", "where", group="stack",
         doc="backtrace: the chain of calls to where the "
         "program stopped, innermost first", needs=Needs.STACK)
def backtrace(debugger: Debugger, _args: str) -> Result:
    return debugger.stack.backtrace()
