"""The shell's work on a ``run`` line, done by deet: quoting, ``$VAR``, ``~``, globs and
redirections, as ``/bin/sh`` would do them for gdb's ``run``.

gdb starts the program through the shell (``startup-with-shell``): ``/bin/sh -c exec
PROGRAM ARGS``. deet does not, for three reasons. Its launcher forks, runs its
``pre_exec`` hooks (``PTRACE_TRACEME``, no address randomisation, SIGINT back to its
default) and execs the program itself, so the first exec deet sees is the program's and
nothing of the user's runs in between; through a shell, deet would trace the shell and
have to count its way through its execs as gdb's ``startup_inferior`` does, under a shell
that ``$SHELL`` may name and whose start-up files may do anything. A program that cannot
be started would be the shell's exit status 127 rather than one clear line. And the
program's files would be opened where deet cannot see what went wrong. So deet splits the
line into words, expands them and opens the redirections' files itself, with the
program's environment and working directory, exactly where the shell would.

What is supported is what a command line of one simple command uses: ``'...'``,
``"..."``, backslashes, ``$NAME`` and ``${NAME}`` (from the program's environment; unset is
empty), field splitting of unquoted expansions, ``~`` and ``~user``, ``*``, ``?`` and
``[...]`` (sorted by byte value; a pattern that matches nothing stays as it is), ``#``
comments, and ``[N]<``, ``[N]>``, ``[N]>>``, ``[N]>|``, ``[N]<>``, ``[N]>&M``, ``[N]<&M``,
``[N]>&-``. Pipes, lists, subshells, command substitution, here-documents and the other
``${...}`` forms are refused with one line.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
from collections.abc import Mapping
from dataclasses import dataclass

from deet.debugger.errors import DebuggerError

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BLANKS = " \t\n"
_OPERATORS = (">>", ">|", ">&", "<>", "<&", ">", "<")
_REFUSED = {"|": "|", "&": "&", ";": ";", "(": "(", ")": ")", "`": "`"}
# The characters gdb escapes when it turns an argument list into the text of ``run``.
_SPECIAL = set("\"!#$&*()\\|[]{}<>?'`~^; \t\n")


@dataclass(frozen=True)
class Redirection:
    """``fd``'s redirection: ``op`` is ``<``, ``>``, ``>>``, ``<>`` (``>|`` is ``>``), with a
    file name as ``target``; or ``>&``/``<&`` with a descriptor number or ``-`` (close)."""

    fd: int
    op: str
    target: str


@dataclass(frozen=True)
class CommandLine:
    words: tuple[str, ...]
    redirections: tuple[Redirection, ...]


def quote(words: list[str] | tuple[str, ...]) -> str:
    """The text of a ``run`` line that gives the program exactly ``words``, escaped as gdb
    escapes ``gdb --args`` arguments (``a\\ b``, ``''`` for an empty one)."""
    quoted = []
    for word in words:
        if not word:
            quoted.append("''")
        else:
            quoted.append("".join(
                "'\n'" if char == "\n" else "\\" + char if char in _SPECIAL else char
                for char in word
            ))
    return " ".join(quoted)


def parse(line: str, env: Mapping[str, str], cwd: str) -> CommandLine:
    """Split and expand ``line`` as ``sh`` would with ``env`` as its environment and ``cwd``
    as its working directory (globs are matched there). Raises ``DebuggerError``."""
    return _Parser(line, env, cwd).command_line()


# A field being built: each character, and whether it came unquoted (a glob may match it).
_Field = list[tuple[str, bool]]


class _Parser:
    def __init__(self, line: str, env: Mapping[str, str], cwd: str) -> None:
        self.text = line
        self.at = 0
        self.env = env
        self.cwd = cwd

    def command_line(self) -> CommandLine:
        words: list[str] = []
        redirections: list[Redirection] = []
        while True:
            self._skip_blanks()
            if self.at >= len(self.text) or self.text[self.at] == "#":
                return CommandLine(tuple(words), tuple(redirections))
            fields, number = self._word(stop_at_operator=True)
            if self._operator() is not None:
                redirections.append(self._redirection(number))
                for field in fields:
                    # ``a>f``: the word before the operator is a word of its own.
                    words.extend(self._globbed_all(field))
                continue
            for field in fields:
                words.extend(self._globbed_all(field))

    # -- words -----------------------------------------------------------------------------

    def _word(self, stop_at_operator: bool) -> tuple[list[_Field], int | None]:
        """The fields one word expands to (several when an unquoted ``$VAR`` holds blanks,
        none when it is empty and unquoted), and the descriptor number when the word is
        only digits and an operator follows it (``2>``)."""
        fields: list[_Field] = []
        current: _Field = []
        # Whether ``current`` is a field even while empty: ``""`` is an empty argument.
        exists = False
        start = self.at
        while self.at < len(self.text):
            char = self.text[self.at]
            if char in _BLANKS:
                break
            if char in "<>":
                if stop_at_operator:
                    break
                raise DebuggerError(f'Shell syntax "{char}" is not supported here.')
            if char in _REFUSED or self.text.startswith("$(", self.at):
                found = "$(" if char == "$" else char
                raise DebuggerError(f'Shell syntax "{found}" is not supported in the '
                                    "program's arguments (deet runs no shell).")
            if char == "$":
                value = self._dollar()
                if value is None:
                    current.append(("$", True))
                    exists = True
                    continue
                for c in value:
                    if c not in _BLANKS:
                        current.append((c, True))
                        exists = True
                    elif exists:
                        fields.append(current)
                        current, exists = [], False
                continue
            exists = True
            if char == "'":
                current.extend((c, False) for c in self._single_quoted())
            elif char == '"':
                current.extend((c, False) for c in self._double_quoted())
            elif char == "\\":
                self.at += 1
                if self.at < len(self.text):
                    if self.text[self.at] != "\n":
                        current.append((self.text[self.at], False))
                    self.at += 1
                else:
                    current.append(("\\", False))  # sh keeps a backslash that ends the line
            elif char == "~" and self.at == start:
                current.extend((c, False) for c in self._tilde())
            else:
                current.append((char, True))
                self.at += 1
        if exists:
            fields.append(current)
        word = self.text[start : self.at]
        if word.isdigit() and self._operator() is not None:
            return [], int(word)
        return fields, None

    def _single_quoted(self) -> str:
        end = self.text.find("'", self.at + 1)
        if end < 0:
            raise DebuggerError("Unterminated quoted string in the program's arguments.")
        value, self.at = self.text[self.at + 1 : end], end + 1
        return value

    def _double_quoted(self) -> str:
        self.at += 1
        chars = []
        while True:
            if self.at >= len(self.text):
                raise DebuggerError("Unterminated quoted string in the program's arguments.")
            char = self.text[self.at]
            if char == '"':
                self.at += 1
                return "".join(chars)
            following = self.text[self.at + 1 : self.at + 2]
            if char == "\\" and following and following in '$`"\\\n':
                if following != "\n":
                    chars.append(following)
                self.at += 2
            elif char == "$":
                value = self._dollar()
                chars.append("$" if value is None else value)
            elif char == "`":
                raise DebuggerError('Shell syntax "`" is not supported in the program\'s '
                                    "arguments (deet runs no shell).")
            else:
                chars.append(char)
                self.at += 1

    def _dollar(self) -> str | None:
        """The value of the ``$NAME`` or ``${NAME}`` at ``self.at``, None for a lone ``$``."""
        rest = self.text[self.at + 1 :]
        if rest.startswith("{"):
            close = rest.find("}")
            name = rest[1:close] if close > 0 else ""
            if close < 0 or not _NAME.fullmatch(name):
                shown = rest[: close + 1] if close > 0 else rest
                raise DebuggerError(f'Shell expansion "${shown}" is not supported in the '
                                    "program's arguments.")
            self.at += close + 2
            return self.env.get(name, "")
        match = _NAME.match(rest)
        if match:
            self.at += 1 + match.end()
            return self.env.get(match[0], "")
        if rest[:1] and (rest[0].isdigit() or rest[0] in "#?$!@*-"):
            raise DebuggerError(f'Shell parameter "${rest[0]}" is not supported in the '
                                "program's arguments.")
        self.at += 1
        return None

    def _tilde(self) -> str:
        """``~`` and ``~user`` at the start of a word, up to a ``/``."""
        match = re.match(r"~([A-Za-z0-9._-]*)(?=/|$|[ \t\n<>])", self.text[self.at :])
        if match is None:
            self.at += 1
            return "~"
        user = match[1]
        if not user:
            home = self.env.get("HOME")
        else:
            try:
                home = pwd.getpwnam(user).pw_dir
            except KeyError:
                home = None
        if home is None:
            self.at += 1
            return "~"
        self.at += match.end()
        return home

    def _globbed_all(self, field: _Field) -> list[str]:
        """Pathname expansion: the sorted matches, or the word itself when none match."""
        word = "".join(c for c, _ in field)
        if not any(unquoted and c in "*?[" for c, unquoted in field):
            return [word]
        pattern = "".join(c if unquoted else glob.escape(c) for c, unquoted in field)
        matches = glob.glob(pattern, root_dir=self.cwd)
        return sorted(matches, key=os.fsencode) or [word]

    # -- redirections ----------------------------------------------------------------------

    def _operator(self) -> str | None:
        for operator in _OPERATORS:
            if self.text.startswith(operator, self.at):
                return operator
        return None

    def _redirection(self, number: int | None) -> Redirection:
        operator = self._operator()
        assert operator is not None
        self.at += len(operator)
        if operator == "<" and self.text.startswith("<", self.at):
            raise DebuggerError('Shell syntax "<<" is not supported in the program\'s '
                                "arguments (deet runs no shell).")
        fd = number if number is not None else (0 if operator[0] == "<" else 1)
        self._skip_blanks()
        fields, _ = self._word(stop_at_operator=False) if self.at < len(self.text) else ([], None)
        if len(fields) != 1 or not fields[0]:
            raise DebuggerError(f'Missing file name after "{operator}" in the program\'s '
                                "arguments.")
        target = "".join(c for c, _ in fields[0])
        if operator in (">&", "<&"):
            if not (target.isdigit() or target == "-"):
                raise DebuggerError(f'"{operator}{target}": a descriptor number or "-" '
                                    "is needed after it.")
            return Redirection(fd, operator, target)
        return Redirection(fd, ">" if operator == ">|" else operator, target)

    def _skip_blanks(self) -> None:
        while self.at < len(self.text) and self.text[self.at] in _BLANKS:
            self.at += 1
