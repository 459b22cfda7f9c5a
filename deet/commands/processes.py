"""Threads, inferiors and signals: ``thread``, ``inferior``, ``handle`` and their
``info`` listings, by gdb's names."""

from __future__ import annotations

from deet.commands.apply import thread_apply
from deet.commands.registry import Needs, command, info_subcommand
from deet.debugger import Debugger, DebuggerError
from deet.debugger.forks import current_inferior, inferior_list, switch_to_number
from deet.debugger.proctree import process_list
from deet.debugger.signals import Disposition, SignalError
from deet.debugger.threads import current_thread, switch_thread, thread_list
from deet.results import Result, SignalRow, SignalTable


def _number(args: str, what: str) -> int:
    try:
        return int(args.strip())
    except ValueError:
        raise DebuggerError(f'Invalid {what} ID: "{args.strip()}"') from None


@command("thread", group="processes",
         doc="thread [N]: select thread N (info threads lists them); thread apply all|N... "
         "CMD: run CMD in each of those threads")
def thread(debugger: Debugger, args: str) -> Result:
    word, _, rest = args.strip().partition(" ")
    if word == "apply":
        return thread_apply(debugger, rest)
    if not args.strip():
        return current_thread(debugger)
    return switch_thread(debugger, _number(args, "thread"))


@command("inferior", group="processes",
         doc="inferior [N]: select inferior N (info inferiors lists them)")
def inferior(debugger: Debugger, args: str) -> Result:
    if not args.strip():
        return current_inferior(debugger)
    return switch_to_number(debugger, _number(args, "inferior"))


def _rows(dispositions: list[Disposition]) -> tuple[SignalRow, ...]:
    return tuple(SignalRow(d.name, d.stop, d.print, d.pass_, d.description)
                 for d in dispositions)


@command("handle", group="processes",
         doc="handle SIGNAL [stop|nostop] [print|noprint] [pass|nopass]: "
         "what a signal does to the program under deet")
def handle(debugger: Debugger, args: str) -> Result:
    try:
        changed = debugger.signals.handle(args)
    except SignalError as exc:
        raise DebuggerError(str(exc)) from exc
    debugger.settings_changed()
    return SignalTable(_rows(changed))


@info_subcommand("signals")
def info_signals(debugger: Debugger, args: str) -> Result:
    if args.strip():
        try:
            return SignalTable(_rows([debugger.signals.find(args.strip())]))
        except SignalError as exc:
            raise DebuggerError(str(exc)) from exc
    return SignalTable(_rows(debugger.signals.all()), listing=True)


@info_subcommand("threads", Needs.THREADS)
def info_threads(debugger: Debugger, _args: str) -> Result:
    return thread_list(debugger)


@info_subcommand("inferiors")
def info_inferiors(debugger: Debugger, _args: str) -> Result:
    return inferior_list(debugger)


@info_subcommand("processes")
def info_processes(debugger: Debugger, args: str) -> Result:
    """Every process of the last run: the tree ``info inferiors`` does not show."""
    return process_list(debugger)
