"""The one exception debug-info code lets out; ``str()`` is one line for the user."""


class DebugInfoError(Exception):
    pass
