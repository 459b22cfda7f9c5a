"""Walking the stack by the frame-pointer chain, as DEET does: %rip, then [rbp+8] / [rbp].

Every step is checked, so a damaged chain ends the walk instead of raising.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

MAX_FRAMES = 100_000


def frame_pointer_walk(
    pc: int, rbp: int, read_word: Callable[[int], int | None]
) -> Iterator[int]:
    """Yield the pc of frame 0, then each caller's return address, innermost first."""
    yield pc
    for _ in range(MAX_FRAMES):
        if rbp == 0 or rbp % 8:
            return
        return_address = read_word(rbp + 8)
        caller_rbp = read_word(rbp)
        if not return_address or caller_rbp is None:
            return
        yield return_address
        if caller_rbp <= rbp:
            return
        rbp = caller_rbp
