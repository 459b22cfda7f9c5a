"""Starting and steering the program as gdb does: start, starti, until, advance, jump,
return."""

from __future__ import annotations

from deet.commands.breakpoints import set_breakpoint
from deet.commands.registry import Needs, command, never
from deet.debugger import Debugger, DebuggerError
from deet.debugger.flow import Flow, force_return, jump_target
from deet.debugger.inspection import frame_report
from deet.debugger.linespec import parse_location
from deet.results import Message, Result


@command("start", group="running",
         doc="start [ARGS...]: a temporary breakpoint on main, then run", repeat=never)
def start(debugger: Debugger, args: str) -> Result:
    debugger.listener(set_breakpoint(debugger, "main", temporary=True))
    return debugger.run(args.strip() or None)


@command("starti", group="running",
         doc="starti [ARGS...]: run, stopping before the program's first instruction",
         repeat=never)
def starti(debugger: Debugger, args: str) -> Result:
    return debugger.run(args.strip() or None, first_instruction=True)


@command("until", group="stepping",
         doc="until [LOC]: next, without going back in a loop; with LOC, run until LOC "
         "in this frame or until the frame returns", needs=Needs.LIVE)
def until(debugger: Debugger, args: str) -> Result:
    if not args.strip():
        return Flow(debugger).until_next()
    return Flow(debugger).until_location(parse_location(args), anywhere=False)


@command("advance", group="stepping",
         doc="advance LOC: run until LOC (in any frame) or until this frame returns",
         needs=Needs.LIVE)
def advance(debugger: Debugger, args: str) -> Result:
    if not args.strip():
        raise DebuggerError("Argument required (a location).")
    return Flow(debugger).until_location(parse_location(args), anywhere=True)


@command("jump", group="running",
         doc="jump LOC: resume the program at LOC", needs=Needs.LIVE, repeat=never)
def jump(debugger: Debugger, args: str) -> Result:
    if not args.strip():
        raise DebuggerError("Argument required (starting address).")
    address = jump_target(debugger, parse_location(args))
    debugger.listener(Message(f"Continuing at {address:#x}."))
    return debugger.cont()


@command("return", group="stack",
         doc="return [EXPR]: pop the selected frame now, returning EXPR's value",
         needs=Needs.STACK)
def return_(debugger: Debugger, args: str) -> Result:
    if not debugger.require_stopped().inferior.live:
        # A core file's frames cannot be popped: gdb's words (it has a stack, unlike the
        # case Needs.LIVE words).
        raise DebuggerError("You can't do that without a process to debug.")
    force_return(debugger, args)
    return frame_report(debugger)
