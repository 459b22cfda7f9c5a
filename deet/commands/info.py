"""``info SUBCOMMAND``: one word, gdb's subcommands, unique prefixes accepted.

The subcommands are registered beside the commands they belong with (``info locals`` in
data.py, ``info threads`` in processes.py) with ``@info_subcommand``; this module only
finds the one a word names and checks the state it needs, as ``execute`` does for
commands.
"""

from __future__ import annotations

from deet.commands.registry import INFO, Needs, command, info_subcommand, lookup_info, unmet
from deet.debugger import Debugger, DebuggerError
from deet.debugger.inspection import shared_libraries
from deet.debugger.status import frame_info, line_info, source_info, symbol_info, symbol_search
from deet.results import Result


@info_subcommand("frame", Needs.STACK)
def info_frame(debugger: Debugger, args: str) -> Result:
    """gdb's ``info frame``, ``info frame N`` and ``info frame level N``; gdb's other
    frame specifications (an address, a function) are refused, not ignored."""
    words = args.split()
    if words[:1] == ["level"]:
        words = words[1:]
        if not words:
            raise DebuggerError("Argument required (expression to compute).")
    if not words:
        return frame_info(debugger)
    if len(words) == 1 and words[0].isdigit():
        return frame_info(debugger, int(words[0]))
    raise DebuggerError(f'deet\'s info frame takes a frame level (info frame [level] N), '
                        f'not "{args.strip()}".')


@info_subcommand("functions")
def info_functions(debugger: Debugger, args: str) -> Result:
    return symbol_search(debugger, True, args)


@info_subcommand("variables")
def info_variables(debugger: Debugger, args: str) -> Result:
    return symbol_search(debugger, False, args)


@info_subcommand("line", Needs.STOPPED)
def info_line(debugger: Debugger, args: str) -> Result:
    return line_info(debugger, args)


@info_subcommand("source")
def info_source(debugger: Debugger, _args: str) -> Result:
    return source_info(debugger)


@info_subcommand("symbol")
def info_symbol(debugger: Debugger, args: str) -> Result:
    return symbol_info(debugger, args)


@info_subcommand("sharedlibrary")
def info_sharedlibrary(debugger: Debugger, _args: str) -> Result:
    return shared_libraries(debugger)


@command("info", "i", group="info",
         doc="info SUBCOMMAND: args, breakpoints (b), display, frame (f), functions, inferiors, "
         "line, locals, processes, registers (r), sharedlibrary (dll), signals (handle), "
         "source, stack (s), symbol, threads, variables, watchpoints; a unique prefix, as in gdb")
def info(debugger: Debugger, args: str) -> Result:
    word, _, rest = args.strip().partition(" ")
    if not word:
        raise DebuggerError(f'List of info subcommands: {", ".join(sorted(INFO))}.')
    spec = lookup_info(word)
    if spec is None:
        raise DebuggerError(f'Undefined info command: "{word}".  Try "help info".')
    problem = unmet(spec.needs, debugger)
    if problem is not None:
        raise DebuggerError(problem)
    return spec.handler(debugger, rest.strip())
