"""The traced program, through python-ptrace's binding layer (imported nowhere else)."""

from deet.engine.affinity import CpuPin
from deet.engine.attaching import attach
from deet.engine.capture import OutputCapture
from deet.engine.debugregs import SLOTS, Access, Slot, aligned_pieces
from deet.engine.events import StopEvent, StopKind
from deet.engine.inferior import ForkPolicy, Inferior
from deet.engine.launcher import LaunchError
from deet.engine.memory import MemoryAccessError
from deet.engine.orphans import (
    become_subreaper,
    kill_descendants,
    reap_adopted,
    reap_orphan,
    reap_released,
)
from deet.engine.tracing import AT_BASE, AT_ENTRY, EngineError

__all__ = [
    "AT_BASE", "AT_ENTRY", "SLOTS", "Access", "CpuPin", "EngineError",
    "ForkPolicy", "Inferior", "LaunchError",
    "MemoryAccessError", "OutputCapture", "Slot", "StopEvent", "StopKind", "aligned_pieces",
    "attach", "become_subreaper",
    "kill_descendants", "reap_adopted", "reap_orphan", "reap_released",
]
