"""A core file as a process that no longer runs: ``deet PROGRAM CORE``, ``-c CORE`` and
``core-file CORE`` (gdb's post-mortem debugging).

``CoreInferior`` stands where the engine's ``Inferior`` stands in a ``Process``: the
same threads, registers and memory questions, answered from the core's notes and
segments (``debuginfo/corefile.py``), so the stack, frames, values, ``x`` and ``info
registers`` work unchanged. It cannot run: commands that would resume it are refused
before they start (``commands/registry.unmet``, "The program is not being run.", gdb's
words), and breakpoints set meanwhile are kept for the next ``run`` without int3s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from deet.debugger.errors import DebuggerError
from deet.debugger.process import Process
from deet.debugger.signals import signal_name
from deet.debuginfo import DebugInfoError
from deet.debuginfo.corefile import CoreFile, CoreThread
from deet.engine import EngineError, ForkPolicy, MemoryAccessError, StopEvent
from deet.results import CoreLoaded, ThreadTag

if TYPE_CHECKING:
    from deet.debugger.core import Debugger


class CoreRegisters:
    """A thread's registers at the dump, read-only."""

    def __init__(self, values: dict[str, int]) -> None:
        self._values = values

    def __getitem__(self, name: str) -> int:
        return self._values[name]

    def __setitem__(self, name: str, value: int) -> None:
        # gdb's words for ``print $rax = 1`` on a core.
        raise MemoryAccessError("You can't do that without a process to debug.")

    @property
    def pc(self) -> int:
        return self._values["rip"]

    def as_dict(self) -> dict[str, int]:
        return dict(self._values)


class CoreMemory:
    """The process's memory as the core holds it; nothing can be written."""

    def __init__(self, core: CoreFile) -> None:
        self._core = core

    def read(self, address: int, size: int) -> bytes:
        data = self._core.read(address, size)
        if len(data) != size:
            raise MemoryAccessError(f"Cannot access memory at address {address + len(data):#x}")
        return data

    def read_word(self, address: int) -> int:
        return int.from_bytes(self.read(address, 8), "little")


class NoSites:
    """Breakpoints in a core have nowhere to go: they wait for the next ``run``."""

    def add(self, address: int) -> None:
        return None

    def remove(self, address: int) -> None:
        return None

    def __contains__(self, address: object) -> bool:
        return False


class DumpedThread:
    """A thread of the core, numbered as ``info threads`` shows it."""

    def __init__(self, thread: CoreThread, number: int, name: str) -> None:
        self.tid = thread.tid
        self.number = number
        self.signal = thread.signal
        self.registers = CoreRegisters(thread.registers)
        self.fp_area = thread.fp_area
        self.exited = False
        self._name = name
        self._xsave_area = thread.xsave_area

    def name(self) -> str:
        return self._name

    def xsave_area(self) -> bytes:
        return self._xsave_area


class CoreInferior:
    """The engine's ``Inferior``, for a process that exists only in a core file."""

    live = False
    attached = False
    alive = True

    def __init__(self, core: CoreFile) -> None:
        self.core = core
        self.pid = core.pid
        self.memory = CoreMemory(core)
        self.sites = NoSites()
        self._threads = [DumpedThread(t, n, core.program_name)
                         for n, t in enumerate(core.threads, start=1)]
        self.thread = self._threads[0]
        self.policy = ForkPolicy()
        self.silent_signals: frozenset[int] = frozenset()
        self.on_released: Callable[[int, bool], None] = lambda _pid, _vfork: None
        self.on_kept: Callable[[object], None] = lambda _child: None

    @property
    def registers(self) -> CoreRegisters:
        return self.thread.registers

    @property
    def pc(self) -> int:
        return self.registers.pc

    def threads(self) -> list[DumpedThread]:
        return list(self._threads)

    def select(self, thread: DumpedThread) -> None:
        self.thread = thread

    def read(self, address: int, size: int) -> bytes:
        return self.memory.read(address, size)

    def write(self, address: int, _data: bytes) -> None:
        """A core's memory cannot change: ``set var`` says so, as gdb does."""
        raise MemoryAccessError(f"Cannot access memory at address {address:#x}")

    def fp_area(self) -> bytes:
        if not self.thread.fp_area:
            raise EngineError("the core file has no floating-point registers")
        return self.thread.fp_area

    def auxv(self) -> dict[int, int]:
        return dict(self.core.auxv)

    def mapped_file(self, address: int) -> str | None:
        return self.core.mapped_file(address)

    def cont(self, signum: int = 0, timeout: float | None = None) -> StopEvent:
        raise EngineError("The program is not being run.")

    def step_instruction(self, signum: int = 0) -> StopEvent:
        raise EngineError("The program is not being run.")

    def kill(self) -> None:
        """Nothing runs: forgetting the core is all there is to do."""

    def detach(self) -> None:
        """Nothing runs: forgetting the core is all there is to do."""


def load_core(debugger: Debugger, path: str) -> CoreLoaded:
    """Debug the process a core file holds, with the program deet was given; a live
    program is killed first (gdb's ``core-file``)."""
    if not path.strip():
        raise DebuggerError("No core file now.")
    try:
        core = CoreFile.open(path.strip())
    except DebugInfoError as exc:
        raise DebuggerError(str(exc)) from None
    debugger.kill()
    inferior = CoreInferior(core)
    process = Process.from_core(1, inferior, debugger.program_info, debugger.files)
    debugger.begin(process)
    line = debugger.frame_line(0)
    signum = inferior.thread.signal
    description = debugger.signals[signum].description if signum else None
    thread = inferior.thread
    tag = ThreadTag(thread.number, thread.tid) if len(inferior.threads()) > 1 else None
    return CoreLoaded(core.path, core.command, signal_name(signum) if signum else None,
                      description, line, debugger.sources.source_line(line.location), tag)
