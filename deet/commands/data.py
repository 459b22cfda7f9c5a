"""Looking at data: print, info locals/args."""

from __future__ import annotations

from deet.commands.registry import Needs, command
from deet.debugger import Debugger
from deet.debugger.inspection import print_expression, variables
from deet.results import Result


@command("print", "p", "inspect", doc="print EXPR: the value of a C expression in the selected "
         "frame (names, *p, &x, a[i], s.f, p->f, + - * / %, comparisons, $N, $REG)",
         needs=Needs.STOPPED)
def print_(debugger: Debugger, args: str) -> Result:
    return print_expression(debugger, args)


def info_locals(debugger: Debugger, _args: str) -> Result:
    return variables(debugger, parameters=False)


def info_args(debugger: Debugger, _args: str) -> Result:
    return variables(debugger, parameters=True)
