"""What deet does when the program receives a signal: gdb's ``handle`` table.

``stop``: report it and wait for the user; ``print``: say it arrived (implied by stop);
``pass``: deliver it to the program when it resumes. The defaults and descriptions are
gdb's, so ``info signals`` reads the same; the names are gdb's too (real-time signals are
SIG34 to SIG64, not SIGRTMIN+N).
"""

from __future__ import annotations

import signal
from dataclasses import dataclass, replace

# gdb's descriptions, which are not always strsignal()'s.
DESCRIPTIONS = {
    "SIGHUP": "Hangup", "SIGINT": "Interrupt", "SIGQUIT": "Quit",
    "SIGILL": "Illegal instruction", "SIGTRAP": "Trace/breakpoint trap",
    "SIGABRT": "Aborted", "SIGBUS": "Bus error", "SIGFPE": "Arithmetic exception",
    "SIGKILL": "Killed", "SIGUSR1": "User defined signal 1",
    "SIGSEGV": "Segmentation fault", "SIGUSR2": "User defined signal 2",
    "SIGPIPE": "Broken pipe", "SIGALRM": "Alarm clock", "SIGTERM": "Terminated",
    "SIGSTKFLT": "Stack fault", "SIGCHLD": "Child status changed", "SIGCONT": "Continued",
    "SIGSTOP": "Stopped (signal)", "SIGTSTP": "Stopped (user)",
    "SIGTTIN": "Stopped (tty input)", "SIGTTOU": "Stopped (tty output)",
    "SIGURG": "Urgent I/O condition", "SIGXCPU": "CPU time limit exceeded",
    "SIGXFSZ": "File size limit exceeded", "SIGVTALRM": "Virtual timer expired",
    "SIGPROF": "Profiling timer expired", "SIGWINCH": "Window size changed",
    "SIGIO": "I/O possible", "SIGPWR": "Power fail/restart", "SIGSYS": "Bad system call",
}
# Signals a program uses for its own business: gdb lets them through unannounced.
QUIET = frozenset({"SIGALRM", "SIGURG", "SIGCHLD", "SIGIO", "SIGVTALRM", "SIGPROF",
                   "SIGWINCH"})
# Signals that are the debugger's own business: reported, never passed on by default.
KEPT = frozenset({"SIGINT", "SIGTRAP"})
FIRST_REALTIME = 34
LAST_REALTIME = 64


def signal_name(signum: int) -> str:
    if FIRST_REALTIME <= signum <= LAST_REALTIME:
        return f"SIG{signum}"
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"SIG{signum}"


def describe(name: str, signum: int) -> str:
    if FIRST_REALTIME <= signum <= LAST_REALTIME:
        return f"Real-time event {signum}"
    return DESCRIPTIONS.get(name, name)


@dataclass(frozen=True)
class Disposition:
    name: str
    number: int
    stop: bool
    print: bool
    pass_: bool

    @property
    def description(self) -> str:
        return describe(self.name, self.number)


class SignalError(Exception):
    """A ``handle`` that names no signal or no action; one line."""


ACTIONS = {
    "stop": {"stop": True, "print": True},
    "nostop": {"stop": False},
    "print": {"print": True},
    "noprint": {"print": False, "stop": False},
    "pass": {"pass_": True},
    "nopass": {"pass_": False},
    "noignore": {"pass_": True},
    "ignore": {"pass_": False},
}


class SignalTable:
    def __init__(self) -> None:
        numbers = [int(s) for s in signal.valid_signals() if 0 < int(s) <= LAST_REALTIME
                   and not 32 <= int(s) < FIRST_REALTIME]
        self._table: dict[int, Disposition] = {}
        for number in sorted(numbers):
            name = signal_name(number)
            quiet = name in QUIET
            self._table[number] = Disposition(name, number, stop=not quiet, print=not quiet,
                                              pass_=name not in KEPT)

    def __getitem__(self, signum: int) -> Disposition:
        return self._table.get(signum) or Disposition(signal_name(signum), signum,
                                                      True, True, True)

    def all(self) -> list[Disposition]:
        return list(self._table.values())

    def find(self, word: str) -> Disposition:
        """A signal by gdb's name (``SIGUSR1``, ``SIG34``) or its number."""
        text = word.upper()
        for disposition in self._table.values():
            if text in (disposition.name, str(disposition.number)):
                return disposition
        raise SignalError(f'Unrecognized or ambiguous flag word: "{word}".')

    def handle(self, args: str) -> list[Disposition]:
        """``handle SIGNAL... ACTION...``: the changed entries."""
        words = args.split()
        names = [word for word in words if word.lower() not in ACTIONS]
        actions = [word.lower() for word in words if word.lower() in ACTIONS]
        if not names:
            raise SignalError("Argument required (signal and action to apply).")
        targets = [self.find(name) for name in names]
        changed = []
        for target in targets:
            updated = target
            for action in actions:
                updated = replace(updated, **ACTIONS[action])
            self._table[updated.number] = updated
            changed.append(updated)
        return changed

    def silent(self) -> frozenset[int]:
        """Signals the engine may hand straight back to the program."""
        return frozenset(d.number for d in self._table.values()
                         if not d.stop and not d.print and d.pass_)
