"""``set`` and ``show``: the debugger's settings (the table in debugger/settings.py), and
the subcommands other modules register for what is not a setting (``set var``, ``set
args``): the first word decides."""

from __future__ import annotations

from deet.commands.registry import SET, SHOW, command, never
from deet.debugger import Debugger
from deet.debugger.settings import SettingError
from deet.results import Result, SettingValue, SettingValues


@command("set", group="settings",
         doc="set SETTING VALUE: change a setting (show lists them)", repeat=never)
def set_(debugger: Debugger, args: str) -> Result:
    word, _, rest = args.strip().partition(" ")
    if word in SET:
        return SET[word](debugger, rest.strip())
    if word.startswith("$") or ("=" in args and not _is_setting(debugger, args)):
        # gdb's ``set $n = 3``, ``set x = 3``: what is no setting is an assignment.
        return SET["variable"](debugger, args)
    setting = debugger.settings.set(args)
    debugger.settings_changed()
    return SettingValue(setting.name, debugger.settings.get(setting.name), changed=True)


def _is_setting(debugger: Debugger, args: str) -> bool:
    try:
        debugger.settings.find(args)
    except SettingError:
        return False
    return True


@command("show", group="settings",
         doc="show [SETTING]: a setting's value, or every setting")
def show(debugger: Debugger, args: str) -> Result:
    word, _, rest = args.strip().partition(" ")
    if word in SHOW:
        return SHOW[word](debugger, rest.strip())
    if args.strip():
        setting, _ = debugger.settings.find(args)
        return SettingValue(setting.name, debugger.settings.get(setting.name))
    return SettingValues(tuple(
        SettingValue(name, value) for name, value in debugger.settings.items()
    ))
