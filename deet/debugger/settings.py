"""Settings changed with ``set NAME VALUE`` and shown with ``show NAME``, by gdb's names."""

from __future__ import annotations

from dataclasses import dataclass

from deet.debuginfo import DEBUG_ROOT


@dataclass(frozen=True)
class Setting:
    """``choices`` empty: any value (a directory, say)."""

    name: str
    choices: tuple[str, ...]
    default: str
    doc: str


SETTINGS = {
    setting.name: setting
    for setting in (
        Setting(
            "breakpoint pending", ("auto", "on", "off"), "auto",
            "whether break FUNC on a function no loaded object defines makes a pending "
            "breakpoint: on = always, off = never, auto = when the program imports FUNC",
        ),
        Setting(
            "can-use-hw-watchpoints", ("0", "1"), "1",
            "1: watchpoints go into the debug registers while they last; 0: every "
            "watchpoint is a software one (the program is single-stepped and compared)",
        ),
        Setting(
            "debug-file-directory", (), DEBUG_ROOT,
            "where separate debug files (Debian's -dbg packages) are looked for, by "
            "build-id; for libraries loaded from then on",
        ),
        Setting(
            "detach-on-fork", ("on", "off"), "on",
            "whether the process deet does not follow after a fork is let go of (on) or "
            "kept stopped, to switch to with inferior N (off)",
        ),
        Setting(
            "fork-diagnostics", ("on", "off"), "on",
            "whether deet warns of the fork bugs it sees (nested-fork, unreaped-child, "
            "leftover-process) as they happen",
        ),
        Setting(
            "follow-fork-mode", ("parent", "child"), "parent",
            "which process deet goes on debugging after a fork",
        ),
        Setting(
            "confirm", ("on", "off"), "on",
            "gdb's: whether to ask before killing or deleting; deet never asks, so it is "
            "accepted for gdb scripts' sake",
        ),
        Setting(
            "height", (), "unlimited",
            "gdb's lines per page; deet does not page, so any value is accepted",
        ),
        Setting(
            "pagination", ("on", "off"), "off",
            "gdb's paging of long output; deet does not page, so it is accepted",
        ),
        Setting(
            "print pretty", ("on", "off"), "off",
            "whether print shows a struct's members one a line, indented (gdb's layout)",
        ),
        Setting(
            "width", (), "unlimited",
            "gdb's line width for wrapping; deet does not wrap, so any value is accepted",
        ),
        Setting(
            "single-cpu", ("on", "off"), "on",
            "whether deet and the program it runs share one CPU: breakpoints are hit up to "
            "twice as fast, but all of a multi-threaded program's threads share that CPU; "
            "takes effect at the next run",
        ),
    )
}


class SettingError(Exception):
    """A ``set``/``show`` that names no setting or gives a bad value; one line."""


class Settings:
    def __init__(self) -> None:
        self._values = {name: setting.default for name, setting in SETTINGS.items()}

    def get(self, name: str) -> str:
        return self._values[name]

    def items(self) -> list[tuple[str, str]]:
        return sorted(self._values.items())

    def find(self, words: str) -> tuple[Setting, str]:
        """The setting named at the start of ``words`` and the rest of them."""
        text = " ".join(words.split())
        for name in sorted(SETTINGS, key=len, reverse=True):
            if text == name or text.startswith(name + " "):
                return SETTINGS[name], text[len(name) :].strip()
        raise SettingError(f'No setting named "{text}". Settings: {", ".join(sorted(SETTINGS))}.')

    def set(self, words: str) -> Setting:
        setting, value = self.find(words)
        if not setting.choices and not value:
            raise SettingError(f'"{setting.name}" needs a value.')
        if setting.choices and value not in setting.choices:
            raise SettingError(
                f'"{setting.name}" must be one of: {", ".join(setting.choices)}.'
            )
        self._values[setting.name] = value
        return setting
