"""The one exception the debugger raises for a request it cannot carry out.

It lives apart from ``core`` so that every module of the debugger can raise it without
importing the ``Debugger`` that uses them (which would be an import cycle).
"""

from __future__ import annotations


class DebuggerError(Exception):
    """A request that cannot be carried out; ``str()`` is one line for the user."""
