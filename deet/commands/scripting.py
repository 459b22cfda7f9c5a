"""What gdb scripts write and run: echo (printf, output, source and shell join it)."""

from __future__ import annotations

from deet.commands.registry import command
from deet.debugger import Debugger
from deet.results import Result, ScriptOutput

# C's escapes as gdb's parse_escape reads them (\e is gdb's too).
_ESCAPES = {"n": "\n", "t": "\t", "a": "\a", "b": "\b", "f": "\f", "r": "\r", "v": "\v",
            "e": "\x1b"}


def unescape(text: str) -> str:
    """``text`` with C's backslash escapes replaced, as gdb's ``echo`` and ``printf`` read
    them: ``\\n``, ``\\t``, octal ``\\101``; any other escaped character stands for itself,
    and a backslash at the very end means nothing."""
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        index += 1
        if char != "\\":
            out.append(char)
            continue
        if index == len(text):
            break
        char = text[index]
        index += 1
        if char in "01234567":
            digits = char
            while index < len(text) and len(digits) < 3 and text[index] in "01234567":
                digits += text[index]
                index += 1
            out.append(chr(int(digits, 8)))
        else:
            out.append(_ESCAPES.get(char, char))
    return "".join(out)


@command("echo", group="support",
         doc="echo TEXT: write TEXT (C escapes: \\n for a newline, which is not added)")
def echo(_debugger: Debugger, args: str) -> Result:
    return ScriptOutput(unescape(args))
