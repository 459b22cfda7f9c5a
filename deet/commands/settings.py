"""``set`` and ``show``: the debugger's settings (the table in debugger/settings.py), and
the subcommands other modules register for what is not a setting (``set var``, ``set
args``): the first word decides."""

from __future__ import annotations

from deet.commands.registry import SET, SHOW, command, never
from deet.debugger import Debugger
from deet.results import Result, SettingValue, SettingValues


@command("set", group="settings",
         doc="set SETTING VALUE: change a setting (show lists them)", repeat=never)
def set_(debugger: Debugger, args: str) -> Result:
    word, _, rest = args.strip().partition(" ")
    if word in SET:
        return SET[word](debugger, rest.strip())
    setting = debugger.settings.set(args)
    debugger.settings_changed()
    return SettingValue(setting.name, debugger.settings.get(setting.name), changed=True)


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
