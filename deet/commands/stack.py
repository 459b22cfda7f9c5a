"""Looking at the stack: backtrace [full] [COUNT | -COUNT], and gdb's other name for it,
``info stack``."""

from __future__ import annotations

from deet.commands.registry import Needs, command, info_subcommand
from deet.debugger import Debugger, DebuggerError
from deet.debugger.cexpr import EvalError
from deet.debugger.inspection import variables
from deet.results import Backtrace, Result, Variables

# gdb's qualifiers and options that ask for each frame's locals.
_FULL = ("full", "-full")


@command("backtrace", "bt", "back", "where", group="stack",
         doc="backtrace [full] [N | -N]: the chain of calls to where the program "
         "stopped, innermost first; N: the innermost N frames, -N: the outermost N; "
         "full: each frame's locals too", needs=Needs.STACK)
@info_subcommand("stack", Needs.STACK)
def backtrace(debugger: Debugger, args: str) -> Result:
    full, count = _arguments(args)
    walk = debugger.stack.walk()
    more = False
    if count is not None and count >= 0:
        more = count < len(walk)
        walk = walk[:count]
    elif count is not None:
        walk = walk[max(len(walk) + count, 0):]
    frames = tuple(frame for frame, _level in walk)
    if not full:
        return Backtrace(frames, more)
    return Backtrace(frames, more, tuple(_locals(debugger, level) for _frame, level in walk))


def _arguments(args: str) -> tuple[bool, int | None]:
    """``full`` and the COUNT, in gdb's order: qualifiers first, then the count."""
    words = args.split()
    full = False
    while words and words[0] in _FULL:
        full = True
        words.pop(0)
    if not words:
        return full, None
    count, *rest = words
    try:
        number = int(count, 0)
    except ValueError:
        raise DebuggerError(f'No symbol "{count}" in current context.') from None
    if rest:
        raise DebuggerError(f"A syntax error in expression, near `{' '.join(rest)}'.")
    return full, number


def _locals(debugger: Debugger, level: int | None) -> Variables | None:
    if level is None:
        return None
    try:
        return variables(debugger, parameters=False, level=level)
    except (DebuggerError, EvalError) as exc:
        return Variables((), str(exc))
