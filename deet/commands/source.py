"""Reading the program's source: list."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from deet.commands.registry import command
from deet.debugger import Debugger
from deet.debugger.listing import Lister
from deet.results import Result

# Where each debugger's last listing ended, so that ``list`` again goes on from there.
_LISTERS: WeakKeyDictionary[Debugger, Lister] = WeakKeyDictionary()


def _list_again(args: str) -> str:
    """gdb's ``list`` goes on after the lines it showed, and ``list -`` before them."""
    return "-" if args.strip() == "-" else ""


@command("list", "l", group="source",
         doc="list [FUNC | LINE | FILE:LINE]: ten source lines around the place "
         "(or the stop); again: the next ten", repeat=_list_again)
def list_(debugger: Debugger, args: str) -> Result:
    return _LISTERS.setdefault(debugger, Lister()).list(debugger, args)
