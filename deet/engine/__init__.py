"""The traced program, through python-ptrace's binding layer (imported nowhere else)."""

from deet.engine.affinity import CpuPin
from deet.engine.attaching import attach
from deet.engine.capture import OutputCapture
from deet.engine.debugregs import SLOTS, Access, Slot, aligned_pieces
from deet.engine.events import StopEvent, StopKind
from deet.engine.execwatch import trap_address
from deet.engine.forkthreads import ThreadAtFork
from deet.engine.inferior import Inferior
from deet.engine.launcher import LaunchError
from deet.engine.memory import MemoryAccessError
from deet.engine.orphans import (
    become_subreaper,
    kill_descendants,
    reap_adopted,
    reap_orphan,
)
from deet.engine.policy import ForkPolicy
from deet.engine.runaway import stopped_frame
from deet.engine.spawning import launch
from deet.engine.tracing import AT_BASE, AT_ENTRY, EngineError
from deet.engine.tree import (
    ProcessTree,
    TreeEnded,
    TreeEvent,
    TreeExeced,
    TreeExecFailed,
    TreeForked,
    TreeProcess,
    TreeReturned,
    TreeThreadedChild,
)

__all__ = [
    "AT_BASE",
    "AT_ENTRY",
    "SLOTS",
    "Access",
    "CpuPin",
    "EngineError",
    "ForkPolicy",
    "Inferior",
    "LaunchError",
    "MemoryAccessError",
    "OutputCapture",
    "ProcessTree",
    "Slot",
    "StopEvent",
    "StopKind",
    "ThreadAtFork",
    "TreeEnded",
    "TreeEvent",
    "TreeExecFailed",
    "TreeExeced",
    "TreeForked",
    "TreeProcess",
    "TreeReturned",
    "TreeThreadedChild",
    "aligned_pieces",
    "attach",
    "become_subreaper",
    "kill_descendants",
    "launch",
    "reap_adopted",
    "reap_orphan",
    "stopped_frame",
    "trap_address",
]
