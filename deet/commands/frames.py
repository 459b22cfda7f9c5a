"""Choosing the frame that print, info locals, finish and list look at: frame, up, down."""

from __future__ import annotations

from deet.commands.registry import Needs, command
from deet.debugger import Debugger, DebuggerError
from deet.debugger.inspection import frame_report
from deet.results import Result


def _number(args: str, default: int) -> int:
    text = args.strip()
    if not text:
        return default
    try:
        return int(text, 0)
    except ValueError:
        raise DebuggerError(f'No symbol "{text}" in current context.') from None


@command("frame", "f", group="frames",
         doc="frame [N]: select frame N (0 is innermost) and describe it")
def frame(debugger: Debugger, args: str) -> Result:
    if not debugger.alive:
        # gdb's words: a frame to select needs registers, one to show needs a stack.
        raise DebuggerError("No registers." if args.strip() else "No stack.")
    stack = debugger.stack
    level = _number(args, stack.selected)
    if level < 0 or stack.frame(level) is None:
        raise DebuggerError(f"No frame at level {args.strip()}.")
    stack.select(level)
    return frame_report(debugger)


@command("up", group="frames",
         doc="up [N]: select the frame N (default 1) levels out, the caller",
         needs=Needs.STACK)
def up(debugger: Debugger, args: str) -> Result:
    count = _number(args, 1)
    stack = debugger.stack
    if count > 0 and stack.frame(stack.selected + 1) is None:
        raise DebuggerError("Initial frame selected; you cannot go up.")
    stack.select(stack.counted_out(count))
    return frame_report(debugger)


@command("down", group="frames",
         doc="down [N]: select the frame N (default 1) levels in, the callee",
         needs=Needs.STACK)
def down(debugger: Debugger, args: str) -> Result:
    count = _number(args, 1)
    stack = debugger.stack
    if stack.selected == 0 and count > 0:
        raise DebuggerError("Bottom (innermost) frame selected; you cannot go down.")
    stack.select(stack.counted_out(-count))
    return frame_report(debugger)
