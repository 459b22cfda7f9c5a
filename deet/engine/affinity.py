"""Keeping deet and the program it traces on one CPU.

Every breakpoint hit is two context switches, tracee to tracer and back. When the two
sit on different CPUs each switch is a cross-CPU wake-up; measured here a round trip
costs about 100 us that way and about 30 us on one CPU, which is the difference between
beating gdb's hit rate and not. The program inherits the mask across fork and exec, so
pinning deet before it spawns the program pins both. The price: a multi-threaded program
runs all its threads on that one CPU (``set single-cpu off`` gives them back).
"""

from __future__ import annotations

import os


class CpuPin:
    """The process's CPU mask, narrowed to one CPU or given back as it was."""

    def __init__(self) -> None:
        self._original = frozenset(os.sched_getaffinity(0))

    def apply(self, single_cpu: bool) -> None:
        """Pin deet (and so whatever it spawns next) to one CPU, or restore the original
        mask. A mask the kernel refuses is left as it is: pinning only ever saves time."""
        wanted = {_current_cpu(self._original)} if single_cpu else set(self._original)
        try:
            if set(os.sched_getaffinity(0)) != wanted:
                os.sched_setaffinity(0, wanted)
        except OSError:
            return


def _current_cpu(allowed: frozenset[int]) -> int:
    """The CPU deet is running on now (field 39 of /proc/self/stat), so that sessions
    started side by side spread over the CPUs instead of all taking the first."""
    try:
        with open("/proc/self/stat") as f:
            stat = f.read()
        cpu = int(stat[stat.rindex(")") + 2 :].split()[36])
    except (OSError, ValueError, IndexError):
        return min(allowed)
    return cpu if cpu in allowed else min(allowed)
