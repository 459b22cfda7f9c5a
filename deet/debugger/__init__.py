"""The debugger core: target, inferior and breakpoints together."""

from deet.debugger.core import Debugger, DebuggerError, signal_name

__all__ = ["Debugger", "DebuggerError", "signal_name"]
