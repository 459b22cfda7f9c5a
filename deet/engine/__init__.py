"""The traced program, through python-ptrace's binding layer (imported nowhere else)."""

from deet.engine.events import StopEvent, StopKind
from deet.engine.inferior import EngineError, Inferior
from deet.engine.memory import MemoryAccessError

__all__ = ["EngineError", "Inferior", "MemoryAccessError", "StopEvent", "StopKind"]
