"""Memory of the traced program through ``/proc/PID/mem``.

One ``pread``/``pwrite`` per request instead of a PEEK/POKE syscall per word; the kernel
lets a ptrace tracer write even read-only text pages through this file (that is how the
int3 bytes get in).
"""

from __future__ import annotations

import os


class MemoryAccessError(Exception):
    """An address the program has not mapped; ``str()`` is one line for the user."""


class Memory:
    def __init__(self, pid: int) -> None:
        self._fd = os.open(f"/proc/{pid}/mem", os.O_RDWR | os.O_CLOEXEC)

    def read(self, address: int, size: int) -> bytes:
        try:
            data = os.pread(self._fd, size, address)
        except (OSError, OverflowError) as exc:
            raise MemoryAccessError(f"Cannot access memory at address {address:#x}") from exc
        if len(data) != size:
            raise MemoryAccessError(f"Cannot access memory at address {address + len(data):#x}")
        return data

    def read_word(self, address: int) -> int:
        return int.from_bytes(self.read(address, 8), "little")

    def write(self, address: int, data: bytes) -> None:
        try:
            written = os.pwrite(self._fd, data, address)
        except (OSError, OverflowError) as exc:
            raise MemoryAccessError(f"Cannot access memory at address {address:#x}") from exc
        if written != len(data):
            raise MemoryAccessError(f"Cannot access memory at address {address + written:#x}")

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def read_auxv(pid: int) -> dict[int, int]:
    """The auxiliary vector the kernel gave process ``pid``."""
    with open(f"/proc/{pid}/auxv", "rb") as f:
        data = f.read()
    vector = {}
    for offset in range(0, len(data) - 15, 16):
        key = int.from_bytes(data[offset : offset + 8], "little")
        if key == 0:
            break
        vector[key] = int.from_bytes(data[offset + 8 : offset + 16], "little")
    return vector
