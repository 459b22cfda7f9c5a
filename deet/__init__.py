"""deet: a ptrace debugger for x86-64 Linux that answers the way gdb does.

``deet.Session`` is the Python API (deet/api.py, docs/api.md). It is imported on first use,
so that ``import deet`` stays cheap for the pytest plugin and the command line.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["Session", "SessionError"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from deet import api

        return getattr(api, name)
    raise AttributeError(f"module 'deet' has no attribute {name!r}")
