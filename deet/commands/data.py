"""Looking at data: print, info locals/args."""

from __future__ import annotations

import re
from dataclasses import replace
from weakref import WeakKeyDictionary

from deet.commands.registry import Needs, command, info_subcommand, onward, set_subcommand
from deet.debugger import Debugger, DebuggerError
from deet.debugger.examine import Examiner, disassemble, registers
from deet.debugger.inspection import (
    assign_expression,
    call_expression,
    print_expression,
    variables,
)
from deet.debugger.typeinfo import describe
from deet.render.values import FORMATS
from deet.results import Message, Result, Variables

# Each debugger's last x format, unit size and next address.
_EXAMINERS: WeakKeyDictionary[Debugger, Examiner] = WeakKeyDictionary()


@command("print", "p", "inspect", group="data",
         doc="print[/FMT] EXPR: the value of a C expression in the selected frame "
         "(C's operators, casts, sizeof, calls f(x), assignment x = 3, FUNC::var, "
         "{TYPE} ADDR, VALUE@N, $N, $REG, $var); FMT one of x z o t d u c a s")
def print_(debugger: Debugger, args: str) -> Result:
    fmt = None
    if args.startswith("/"):
        letters, _, args = args[1:].partition(" ")
        if len(letters) != 1 or letters not in FORMATS:
            bad = next((c for c in letters if c not in FORMATS), letters[1:2] or "/")
            raise DebuggerError(f'Undefined output format "{bad}".')
        fmt = letters
    printed = print_expression(debugger, args, fmt)
    if debugger.settings.get("print pretty") == "on":
        return replace(printed, pretty=True)
    return printed


@command("call", group="data",
         doc="call FUNC(ARGS): call a function of the program and print what it returns "
         "(nothing for a void function); any expression, as print")
def call(debugger: Debugger, args: str) -> Result:
    return call_expression(debugger, args) or Message("")


@set_subcommand("variable", "var")
def set_variable(debugger: Debugger, args: str) -> Result:
    assign_expression(debugger, args)
    return Message("")


@command("ptype", group="data",
         doc="ptype EXPR|TYPE: the type of an expression, or a type, written out "
         "(struct, union and enum bodies; typedefs looked through)")
def ptype(debugger: Debugger, args: str) -> Result:
    return describe(debugger, args, expand=True)


@command("whatis", group="data",
         doc="whatis EXPR|TYPE: the name of an expression's type (of a typedef name: "
         "what it names, one level)")
def whatis(debugger: Debugger, args: str) -> Result:
    return describe(debugger, args, expand=False)


@info_subcommand("locals", Needs.FRAME)
def info_locals(debugger: Debugger, args: str) -> Result:
    return _matching(variables(debugger, parameters=False), args, "No matching locals.")


@info_subcommand("args", Needs.FRAME)
def info_args(debugger: Debugger, args: str) -> Result:
    return _matching(variables(debugger, parameters=True), args, "No matching arguments.")


def _matching(found: Variables, pattern: str, none: str) -> Variables:
    """gdb's ``info locals REGEX``: only the names the regular expression matches."""
    if not pattern.strip():
        return found
    try:
        wanted = re.compile(pattern.strip())
    except re.error as exc:
        raise DebuggerError(f"Invalid regexp: {exc}") from None
    return Variables(tuple(item for item in found.items if wanted.search(item[0])), none)


@info_subcommand("registers", Needs.REGISTERS)
def info_registers(debugger: Debugger, args: str) -> Result:
    return registers(debugger, args)


@command("x", group="data",
         doc="x/NFU ADDR: examine memory: N units of size U (b h w g) in format F "
         "(x d u o t c a s i)", needs=Needs.STOPPED, repeat=onward)
def x(debugger: Debugger, args: str) -> Result:
    return _EXAMINERS.setdefault(debugger, Examiner()).examine(debugger, args)


@command("disassemble", group="data",
         doc="disassemble [FUNC | ADDR]: the machine code of the selected frame's function "
         "(or FUNC's, or the one holding ADDR), => marking the pc", needs=Needs.FRAME)
def disassemble_(debugger: Debugger, args: str) -> Result:
    if args.startswith("/"):
        raise DebuggerError(f"deet cannot disassemble with {args.split()[0]} yet.")
    return disassemble(debugger, args)
