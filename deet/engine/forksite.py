"""Where user code called fork: the return address of that call, found without debug
info, cheaply enough to do at every fork of a free-running process.

At a fork event the new child is stopped with the parent's registers and a copy of its
stack. Inside the C library (``fork`` -> ``_Fork`` -> the system call) no frame belongs
to the program, so the first word above the stack pointer that points into the
program's own executable code, just after a call instruction, is the return address of
the program's call to ``fork``. The debugger names it (function, file:line) when asked.
"""

from __future__ import annotations

import os

from ptrace.binding.func import ptrace_getregs
from ptrace.error import PtraceError

# How much of the stack is searched: glibc's fork frames take well under 1 KiB.
SCAN_BYTES = 4096
CALL_REL32 = 0xE8
CALL_INDIRECT = b"\xff\x15"


def fork_return(child: int, ranges: list[tuple[int, int]]) -> int | None:
    """The return address into the program's code (``ranges``, from ``code_ranges``) of
    the call that forked ``child`` (stopped at its first instruction), or None when none
    is found."""
    try:
        rsp = ptrace_getregs(child).rsp
    except PtraceError:
        return None
    if not ranges:
        return None
    try:
        fd = os.open(f"/proc/{child}/mem", os.O_RDONLY)
    except OSError:
        return None
    try:
        stack = os.pread(fd, SCAN_BYTES, rsp)
        lowest = min(low for low, _ in ranges) + 6
        highest = max(high for _, high in ranges)
        words = memoryview(stack)[: len(stack) - len(stack) % 8].cast("Q")
        for word in words:
            if (lowest <= word < highest and any(low + 6 <= word < high for low, high in ranges)
                    and _after_call(fd, word)):
                return word
    except OSError:
        return None
    finally:
        os.close(fd)
    return None


def _after_call(fd: int, address: int) -> bool:
    before = os.pread(fd, 6, address - 6)
    return len(before) == 6 and (before[1] == CALL_REL32 or before[:2] == CALL_INDIRECT)


def code_ranges(pid: int) -> list[tuple[int, int]]:
    """The executable mappings of the process's own program file."""
    try:
        exe = os.readlink(f"/proc/{pid}/exe")
        with open(f"/proc/{pid}/maps") as maps:
            lines = maps.readlines()
    except OSError:
        return []
    ranges = []
    for line in lines:
        parts = line.split(maxsplit=5)
        if len(parts) == 6 and "x" in parts[1] and parts[5].strip() == exe:
            low, high = parts[0].split("-")
            ranges.append((int(low, 16), int(high, 16)))
    return ranges
