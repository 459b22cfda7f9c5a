"""The debugger core: the program, its processes, breakpoints and the stop policy."""

from deet.debugger.core import Debugger
from deet.debugger.errors import DebuggerError

__all__ = ["Debugger", "DebuggerError"]
