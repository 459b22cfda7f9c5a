"""``info TOPIC``: gdb's family of status reports, one handler per topic."""

from __future__ import annotations

from collections.abc import Callable

from deet.commands.registry import command
from deet.debugger import Debugger, DebuggerError
from deet.results import Result

TopicHandler = Callable[[Debugger, str], Result]
TOPICS: dict[str, TopicHandler] = {}


def topic(*names: str):
    def register(handler: TopicHandler) -> TopicHandler:
        for name in names:
            TOPICS[name] = handler
        return handler

    return register


@command("info", "i", doc="info TOPIC: sharedlibrary")
def info(debugger: Debugger, args: str) -> Result:
    word, _, rest = args.strip().partition(" ")
    if not word:
        raise DebuggerError('"info" must be followed by the name of an info command.')
    matches = sorted({name for name in TOPICS if name.startswith(word)})
    handlers = {TOPICS[name] for name in matches}
    if word in TOPICS:
        return TOPICS[word](debugger, rest)
    if len(handlers) != 1:
        raise DebuggerError(f'Undefined info command: "{word}".  Try "help info".')
    return TOPICS[matches[0]](debugger, rest)


@topic("sharedlibrary", "dll")
def sharedlibrary(debugger: Debugger, _args: str) -> Result:
    return debugger.shared_libraries()
