"""Where gdb puts a breakpoint on a function, for code gcc compiled.

gdb's amd64 rule: recognise ``[endbr64] push %rbp; mov %rsp,%rbp``; if the function sets
up no frame pointer, the breakpoint goes on its first instruction. Otherwise, if that
leaves the pc in the middle of a line-table row, move to the start of the next row, as
long as it is still inside the function. The effect at ``-O0`` is "the second row of the
function", and the first backtrace at the stop has a complete frame chain.
"""

from __future__ import annotations

from collections.abc import Callable

from deet.debuginfo.lines import LineTable

ENDBR64 = bytes.fromhex("f30f1efa")
PUSH_RBP = 0x55
MOV_RSP_RBP = (bytes.fromhex("4889e5"), bytes.fromhex("488bec"))


def frame_setup_end(code: bytes) -> int | None:
    """Offset just past the frame-pointer set-up at the start of ``code``, or None when the
    function has none (it is frameless)."""
    offset = len(ENDBR64) if code.startswith(ENDBR64) else 0
    if code[offset : offset + 1] != bytes([PUSH_RBP]):
        return None
    offset += 1
    if code[offset : offset + 3] in MOV_RSP_RBP:
        return offset + 3
    return None


def after_prologue(
    start: int, end: int, lines: LineTable, read_code: Callable[[int, int], bytes]
) -> int:
    setup = frame_setup_end(read_code(start, 16))
    if setup is None:
        return start
    pc = start + setup
    row = lines.row_for(pc)
    if row is not None and row.address != pc:
        following = lines.next_address(pc)
        if following is not None and start <= following < end:
            return following
    return pc
