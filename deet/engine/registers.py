"""The general-purpose registers of a stopped thread, fetched once per stop."""

from __future__ import annotations

import ctypes
import os

from ptrace.binding.func import (
    REGISTER_NAMES,
    ptrace,
    ptrace_getfpregs,
    ptrace_getregs,
    ptrace_setfpregs,
    ptrace_setregs,
)
from ptrace.error import PtraceError

from deet.engine.tracing import EngineError

NAMES: tuple[str, ...] = tuple(REGISTER_NAMES)
PTRACE_GETREGSET = 0x4204
NT_X86_XSTATE = 0x202
# More than any CPU's XSAVE area (AMX's tiles make it about 11 KB); the kernel says how
# much it filled.
XSAVE_ROOM = 1 << 15


class Registers:
    """A cached copy of ``user_regs_struct``; changes are written back before resuming."""

    def __init__(self, pid: int) -> None:
        self._pid = pid
        try:
            self._regs = ptrace_getregs(pid)
        except PtraceError as exc:
            # The thread is gone though deet has not seen it end yet (killed from outside
            # while stopped): gdb's words, and the next resume reports how it ended.
            raise EngineError(f"Couldn't get registers: {os.strerror(exc.errno or 0)}.") \
                from exc
        self._dirty = False

    def __getitem__(self, name: str) -> int:
        if name not in NAMES:
            raise KeyError(name)
        return getattr(self._regs, name)

    def __setitem__(self, name: str, value: int) -> None:
        if name not in NAMES:
            raise KeyError(name)
        setattr(self._regs, name, value & 0xFFFFFFFFFFFFFFFF)
        self._dirty = True

    @property
    def pc(self) -> int:
        return self._regs.rip

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self._regs, name) for name in NAMES}

    def flush(self) -> None:
        if self._dirty:
            ptrace_setregs(self._pid, self._regs)
            self._dirty = False


def read_fp_area(tid: int) -> bytes:
    """A thread's FXSAVE area (x87 st0-7 from byte 32, xmm0-15 from byte 160)."""
    try:
        return bytes(ptrace_getfpregs(tid))
    except PtraceError as exc:
        raise EngineError(f"cannot read floating-point registers: {exc}") from exc


def write_fp_area(tid: int, data: bytes) -> None:
    try:
        area = ptrace_getfpregs(tid)
        ctypes.memmove(ctypes.addressof(area), data, min(len(data), ctypes.sizeof(area)))
        ptrace_setfpregs(tid, area)
    except PtraceError as exc:
        raise EngineError(f"cannot write floating-point registers: {exc}") from exc


class _Iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("length", ctypes.c_size_t)]


def read_xsave_area(tid: int) -> bytes:
    """A thread's whole XSAVE area (the FXSAVE part, then AVX, AVX-512 and the rest); empty
    where the kernel has none to give."""
    buffer = ctypes.create_string_buffer(XSAVE_ROOM)
    vector = _Iovec(ctypes.addressof(buffer), XSAVE_ROOM)
    try:
        ptrace(PTRACE_GETREGSET, tid, NT_X86_XSTATE, ctypes.addressof(vector))
    except PtraceError:
        return b""
    return buffer.raw[: vector.length]
