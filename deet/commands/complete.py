"""What Tab completes, and gdb's ``complete TEXT`` that shows it: command words, info's
subcommands, settings, function and file names for locations, variables in scope for
expressions, file names for ``source``.

Plain Python over the command table and the debugger: the REPL adapts it to
prompt_toolkit's completer, so nothing here knows about the terminal.
"""

from __future__ import annotations

import glob
import os
import re

from deet.commands.registry import COMMANDS, INFO, SET, SHOW, command, lookup, split
from deet.debugger import Debugger, DebuggerError
from deet.debugger.settings import SETTINGS
from deet.results import Completions, Result

# Commands whose argument is a location (FUNC, FILE:LINE), or an expression.
_LOCATIONS = {"break", "tbreak", "list", "until", "advance", "jump", "disassemble"}
_EXPRESSIONS = {"print", "output", "x", "call", "display", "ptype", "whatis", "watch",
                "rwatch", "awatch", "printf", "return", "condition"}
_FILES = {"source", "shell", "run", "start", "starti"}
_TOKEN = re.compile(r"[A-Za-z0-9_.$/~:!-]*$")
# gdb's complete lists at most this many (max-completions).
LIMIT = 200


def partial_word(text: str) -> str:
    """The word Tab completes: the end of ``text`` after its last blank or comma."""
    found = _TOKEN.search(text)
    return found.group(0) if found else ""


def completions(debugger: Debugger, text: str) -> list[str]:
    """The words that could stand for the last (partial) word of ``text``, sorted."""
    parsed = split(text)
    if parsed is None or (" " not in text.lstrip() and not parsed[1]):
        # A command's own abbreviations (``fin``, ``cont``) are not offered beside it.
        words = [word for word, spec in COMMANDS.items()
                 if word == spec.name or not spec.name.startswith(word)]
        return _matching(sorted(words), text.strip())
    name, args = parsed
    try:
        spec = lookup(name)
    except DebuggerError:
        return []
    if spec is None:
        return []
    word = partial_word(args) if not text.endswith(" ") else ""
    before = args[: len(args) - len(word)].split()
    return _matching(_candidates(debugger, spec.name, before, word), word)


def _candidates(debugger: Debugger, name: str, before: list[str], word: str) -> list[str]:
    if name == "info":
        return sorted(INFO) if not before else _for("print", debugger, word)
    if name == "set" and before[:1] in (["var"], ["variable"]):
        return _for("print", debugger, word)
    if name in ("set", "show"):
        return _settings(before, SET if name == "set" else SHOW)
    if name in _LOCATIONS:
        return _locations(debugger, word)
    if name in _EXPRESSIONS:
        return _for("print", debugger, word)
    if name in _FILES:
        return _paths(word)
    return []


def _for(_name: str, debugger: Debugger, word: str) -> list[str]:
    """Names an expression may use here: the selected frame's variables, then the
    program's globals and functions."""
    names: set[str] = set()
    if debugger.alive:
        try:
            scope = debugger.frame_context().scope
        except DebuggerError:
            scope = None
        if scope is not None:
            names.update(v.name for v in (*scope.locals(), *scope.parameters) if v.name)
    names.update(debugger.target.data_symbols.names())
    names.update(debugger.target.symbols.names())
    return sorted(names)


def _locations(debugger: Debugger, word: str) -> list[str]:
    """Function names and source files, a file with gdb's ``:`` after it (the linespec
    goes on with a line or a function); after ``FILE:``, the functions FILE defines."""
    file, colon, function = word.rpartition(":")
    if colon:
        return [f"{file}:{name}" for name in _functions_in(debugger, file, function)]
    names = set(debugger.target.symbols.names())
    names.update(os.path.basename(path) + ":" for path in debugger.target.all_source_files())
    return sorted(names)


def _functions_in(debugger: Debugger, file: str, prefix: str) -> list[str]:
    """The functions starting with ``prefix`` whose code lies in the program's ``file``
    (only names that match are looked up: a program may have 30,000 functions)."""
    target = debugger.target
    try:
        files = target.source_files(file)
    except DebuggerError:
        return []
    found = set()
    for name in target.symbols.names():
        if not name.startswith(prefix):
            continue
        for symbol in target.symbols.named(name):
            location = target.location_for(symbol.address)
            if location is not None and location.file in files:
                found.add(name)
    return sorted(found)


def _settings(before: list[str], table: dict) -> list[str]:
    """The next word of a setting's name after the ones typed (``print`` -> ``pretty``)."""
    depth = len(before)
    words = {name.split()[depth] for name in SETTINGS
             if name.split()[:depth] == before and len(name.split()) > depth}
    if depth == 0:
        words.update(table)
    return sorted(words)


def _paths(word: str) -> list[str]:
    found = glob.glob(os.path.expanduser(word) + "*")
    return sorted(path + "/" if os.path.isdir(path) else path for path in found)


def _matching(words: list[str], prefix: str) -> list[str]:
    return [word for word in words if word.startswith(prefix)][:LIMIT]


@command("complete", group="support",
         doc="complete TEXT: what Tab would complete TEXT with, one a line (gdb's)")
def complete(debugger: Debugger, args: str) -> Result:
    word = partial_word(args) if not args.endswith(" ") else ""
    head = args[: len(args) - len(word)]
    # Tab puts a ``/`` after a directory's name (readline's mark-directories); gdb's
    # ``complete`` lists the name without it.
    return Completions(tuple(head + found.removesuffix("/")
                             for found in completions(debugger, args)))
