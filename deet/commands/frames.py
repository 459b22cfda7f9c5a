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


@command("frame", "f", doc="frame [N]: select frame N (0 is innermost) and describe it",
         needs=Needs.STOPPED)
def frame(debugger: Debugger, args: str) -> Result:
    level = _number(args, debugger.selected_frame)
    if not 0 <= level < len(debugger.frames()):
        raise DebuggerError(f"No frame at level {args.strip()}.")
    debugger.selected_frame = level
    return frame_report(debugger, level)


@command("up", doc="up [N]: select the frame N (default 1) levels out, the caller",
         needs=Needs.STOPPED)
def up(debugger: Debugger, args: str) -> Result:
    count = _number(args, 1)
    top = len(debugger.frames()) - 1
    if debugger.selected_frame == top and count > 0:
        raise DebuggerError("Initial frame selected; you cannot go up.")
    debugger.selected_frame = max(0, min(top, debugger.selected_frame + count))
    return frame_report(debugger, debugger.selected_frame)


@command("down", doc="down [N]: select the frame N (default 1) levels in, the callee",
         needs=Needs.STOPPED)
def down(debugger: Debugger, args: str) -> Result:
    count = _number(args, 1)
    if debugger.selected_frame == 0 and count > 0:
        raise DebuggerError("Bottom (innermost) frame selected; you cannot go down.")
    top = len(debugger.frames()) - 1
    debugger.selected_frame = max(0, min(top, debugger.selected_frame - count))
    return frame_report(debugger, debugger.selected_frame)
