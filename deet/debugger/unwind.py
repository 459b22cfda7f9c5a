"""Walking the stack. Each frame found is a ``FrameState``: its pc, the registers it had
as far as unwinding can recover them, and its canonical frame address (CFA: the caller's
%rsp before the call). Variables located relative to the frame use the same values.

The walk here follows the frame-pointer chain, as DEET does: %rip, then [rbp+8] / [rbp].
Every step is checked, so a damaged chain ends the walk instead of raising.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

MAX_FRAMES = 100_000

ReadWord = Callable[[int], int | None]


@dataclass(frozen=True)
class FrameState:
    pc: int
    registers: Mapping[str, int]
    cfa: int | None


def frame_pointer_walk(registers: Mapping[str, int], read_word: ReadWord) -> Iterator[FrameState]:
    """Frame 0 from the live registers, then each caller, innermost first."""
    rbp = registers["rbp"]
    yield FrameState(registers["rip"], dict(registers), _cfa(rbp))
    for _ in range(MAX_FRAMES):
        if _cfa(rbp) is None:
            return
        return_address = read_word(rbp + 8)
        caller_rbp = read_word(rbp)
        if not return_address or caller_rbp is None:
            return
        caller = {"rip": return_address, "rsp": rbp + 16, "rbp": caller_rbp}
        yield FrameState(return_address, caller, _cfa(caller_rbp))
        if caller_rbp <= rbp:
            return
        rbp = caller_rbp


def _cfa(rbp: int) -> int | None:
    """With a frame pointer set up, the CFA sits 16 bytes above it (return address + saved
    %rbp); a zero or misaligned %rbp is no frame pointer."""
    if rbp == 0 or rbp % 8:
        return None
    return rbp + 16
