"""The x86 debug registers, for hardware watchpoints.

DR0-DR3 hold addresses; DR7 enables each (its local-enable bit) and says what access to
catch (write, or read/write: x86 has no read-only kind) and how many bytes (1, 2, 4 or 8,
at an address aligned to that length); DR6 says which of them fired. They belong to each
thread, so the same slots are written into every thread of the process, and into each new
one as it appears. The kernel exposes them to the tracer at ``offsetof(struct user,
u_debugreg)``, through ``PTRACE_PEEKUSER``/``PTRACE_POKEUSER``.
"""

from __future__ import annotations

import contextlib
import enum
from dataclasses import dataclass

from ptrace.binding.func import ptrace_peekuser, ptrace_pokeuser
from ptrace.error import PtraceError

from deet.engine.tracing import EngineError

# offsetof(struct user, u_debugreg) on x86-64: regs (216), u_fpvalid + padding (8), i387
# (512), u_tsize/u_dsize/u_ssize (24), start_code/start_stack (16), signal (8), reserved +
# padding (8), u_ar0 (8), u_fpstate (8), magic (8), u_comm (32).
DEBUGREG_OFFSET = 848
SLOTS = 4
_LENGTH_BITS = {1: 0b00, 2: 0b01, 4: 0b11, 8: 0b10}


class Access(enum.Enum):
    """What a slot catches: DR7's R/W field."""

    WRITE = 0b01
    READ_WRITE = 0b11


@dataclass(frozen=True)
class Slot:
    """One debug register's watch: ``length`` bytes at ``address`` (aligned to it)."""

    address: int
    length: int
    access: Access


def aligned_pieces(address: int, size: int) -> list[tuple[int, int]]:
    """Cover ``size`` bytes at ``address`` with as few aligned 1/2/4/8-byte pieces as the
    hardware allows (gdb's x86_handle_nonaligned_watchpoint)."""
    pieces = []
    while size > 0:
        length = next(n for n in (8, 4, 2, 1) if address % n == 0 and n <= size)
        pieces.append((address, length))
        address, size = address + length, size - length
    return pieces


def _control(slots: list[Slot | None]) -> int:
    dr7 = 0
    for index, slot in enumerate(slots):
        if slot is not None:
            dr7 |= 1 << (2 * index)
            dr7 |= slot.access.value << (16 + 4 * index)
            dr7 |= _LENGTH_BITS[slot.length] << (18 + 4 * index)
    return dr7


def _poke(tid: int, register: int, value: int) -> None:
    ptrace_pokeuser(tid, DEBUGREG_OFFSET + 8 * register, value)


class DebugRegisters:
    """The slots one process's threads share; ``None`` is a free slot."""

    def __init__(self) -> None:
        self.slots: list[Slot | None] = [None] * SLOTS

    @property
    def active(self) -> bool:
        return any(slot is not None for slot in self.slots)

    def assign(self, slots: list[Slot], tids: list[int]) -> None:
        """Watch ``slots`` (at most four) in every thread ``tids``."""
        if len(slots) > SLOTS:
            raise EngineError("You may have requested too many hardware "
                              "breakpoints/watchpoints.")
        self.slots = [*slots, *([None] * (SLOTS - len(slots)))]
        for tid in tids:
            self.apply(tid)

    def apply(self, tid: int) -> None:
        """Write the slots into thread ``tid`` (a new thread starts with none)."""
        try:
            _poke(tid, 7, 0)
            for index, slot in enumerate(self.slots):
                if slot is not None:
                    _poke(tid, index, slot.address)
            if self.active:
                _poke(tid, 7, _control(self.slots))
        except PtraceError as exc:
            raise EngineError(f"Could not insert hardware watchpoint: {exc}") from exc

    def triggered(self, tid: int) -> int:
        """Which slots fired in thread ``tid`` (DR6's B0-B3 as a bit mask), cleared for the
        next stop; 0, without asking the kernel, when nothing is watched."""
        if not self.active:
            return 0
        try:
            status = ptrace_peekuser(tid, DEBUGREG_OFFSET + 8 * 6)
            if status & 0xF:
                _poke(tid, 6, 0)
        except PtraceError:
            return 0
        return status & 0xF

    @staticmethod
    def clear(tid: int) -> None:
        """Disable every slot in ``tid``: a fork child deet lets go of keeps no watch."""
        with contextlib.suppress(PtraceError):
            _poke(tid, 7, 0)
