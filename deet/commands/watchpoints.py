"""Watchpoints: watch, rwatch, awatch [-l|-location] EXPR [if COND], info watchpoints."""

from __future__ import annotations

import re

from deet.commands.breakpoints import CONDITION
from deet.commands.registry import Needs, command, info_subcommand
from deet.debugger import Debugger, DebuggerError
from deet.debugger.cexpr import tokenize
from deet.debugger.watchpoints import Kind, watchpoints_of
from deet.results import BreakpointTable, Result

_LOCATION = re.compile(r"^(?:-l|-location)(?:\s+|$)")


def _watch(debugger: Debugger, args: str, kind: Kind) -> Result:
    text = args.strip()
    located = bool(_LOCATION.match(text))
    if located:
        text = _LOCATION.sub("", text, count=1)
    condition = None
    match = CONDITION.match(text)
    if match:
        text, condition = match["location"].strip(), match["condition"].strip()
        if not condition:
            raise DebuggerError("Argument required (boolean expression).")
        tokenize(condition)
    if not text:
        raise DebuggerError("Argument required (expression to compute).")
    return watchpoints_of(debugger).add(text, kind, located, condition)


@command("watch", group="breakpoints", needs=Needs.LIVE,
         doc="watch [-l] EXPR [if COND]: stop when the value of EXPR changes; -l watches "
         "the memory EXPR names now, wherever the program is")
def watch(debugger: Debugger, args: str) -> Result:
    return _watch(debugger, args, Kind.WRITE)


@command("rwatch", group="breakpoints", needs=Needs.LIVE,
         doc="rwatch [-l] EXPR [if COND]: stop when the program reads EXPR")
def rwatch(debugger: Debugger, args: str) -> Result:
    return _watch(debugger, args, Kind.READ)


@command("awatch", group="breakpoints", needs=Needs.LIVE,
         doc="awatch [-l] EXPR [if COND]: stop when the program reads or writes EXPR")
def awatch(debugger: Debugger, args: str) -> Result:
    return _watch(debugger, args, Kind.ACCESS)


@info_subcommand("watchpoints")
def info_watchpoints(debugger: Debugger, _args: str) -> Result:
    rows = watchpoints_of(debugger).rows() if debugger.watcher is not None else []
    return BreakpointTable(tuple(rows), watchpoints_only=True)
