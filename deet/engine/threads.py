"""One traced thread of the program, and what deet remembers about it between stops."""

from __future__ import annotations

from dataclasses import dataclass

from deet.engine.registers import Registers, read_xsave_area


@dataclass
class Thread:
    """``number`` is the thread's number in ``info threads`` (gdb's: 1 is the main thread).

    In all-stop mode every thread is stopped whenever deet reports a stop; ``running`` is
    true only inside a resume. ``stop_requested``: a SIGSTOP deet sent to stop it has not
    been seen yet (it is swallowed when it comes). ``pending``: what it reported instead
    while deet was stopping everything (an event, a signal), handled at the next resume.
    ``returning_to``: the (pc, sp) where a signal was delivered to it while it stood on a
    breakpoint; arriving back there is the handler returning, not a new hit.
    """

    tid: int
    number: int
    running: bool = False
    stop_requested: bool = False
    pending: int | None = None
    returning_to: tuple[int, int] | None = None
    # The main thread ended (``pthread_exit``) while others run: the kernel reports its
    # exit only when the last thread ends, and it can be neither stopped nor resumed.
    exited: bool = False
    _registers: Registers | None = None

    @property
    def registers(self) -> Registers:
        if self._registers is None:
            self._registers = Registers(self.tid)
        return self._registers

    def flush_registers(self) -> None:
        """Write back changed registers and forget them: they are stale once it runs."""
        registers, self._registers = self._registers, None
        if registers is not None:
            registers.flush()

    def xsave_area(self) -> bytes:
        return read_xsave_area(self.tid)

    def name(self) -> str:
        try:
            with open(f"/proc/{self.tid}/comm") as comm:
                return comm.read().strip()
        except OSError:
            return ""


def is_zombie(pid: int, tid: int) -> bool:
    """Whether thread ``tid`` has ended and waits to be collected."""
    try:
        with open(f"/proc/{pid}/task/{tid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return True
