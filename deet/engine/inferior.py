"""The traced program: spawn under ptrace, resume, single-step, observe, kill and reap.

Everything here runs on the debugger's one thread, which ptrace requires. This module is
the only reaper of the program (see the Popen pitfall in docs/design.md): every wait
status becomes a ``StopEvent`` before it leaves.
"""

from __future__ import annotations

import ctypes
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

from ptrace.binding.func import (
    PTRACE_SINGLESTEP,
    ptrace,
    ptrace_cont,
    ptrace_getfpregs,
    ptrace_getsiginfo,
    ptrace_setoptions,
    ptrace_traceme,
)
from ptrace.error import PtraceError

from deet.engine.capture import OutputCapture
from deet.engine.events import StopEvent, StopKind
from deet.engine.memory import Memory
from deet.engine.registers import Registers
from deet.engine.sites import SiteTable
from deet.launcher import Child, Command

# python-ptrace lacks this one: the kernel SIGKILLs the tracee when the tracer dies.
PTRACE_O_EXITKILL = 0x100000
ADDR_NO_RANDOMIZE = 0x0040000
SI_KERNEL = 0x80
TRAP_TRACE = 2
WALL = 0x40000000
AT_BASE = 7
AT_ENTRY = 9

_libc = ctypes.CDLL(None, use_errno=True)


def ptrace_singlestep(pid: int, signum: int = 0) -> None:
    """python-ptrace's version cannot deliver a signal with the step; this one can."""
    ptrace(PTRACE_SINGLESTEP, pid, 0, signum)


def _become_tracee() -> None:
    """pre_exec hook: runs in the forked child just before exec."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    _libc.personality(ADDR_NO_RANDOMIZE)
    ptrace_traceme()


class EngineError(Exception):
    """A ptrace operation failed; ``str()`` is one line for the user."""


class Inferior:
    """One traced process, stopped or running. Create it with ``Inferior.launch``."""

    def __init__(self, child: Child, capture: OutputCapture | None = None) -> None:
        self._child = child
        self._capture = capture
        self.pid = child.pid
        self.alive = True
        self.memory = Memory(self.pid)
        self.sites = SiteTable(self.memory)
        self._regs: Registers | None = None
        # SIGSTOPs our timeout sent that the program has not yet reported.
        self._stray_sigstops = 0

    @classmethod
    def launch(
        cls,
        program: str,
        args: list[str],
        *,
        stdin: int | None = None,
        stdout: int | None = None,
        stderr: int | None = None,
        capture: OutputCapture | None = None,
    ) -> Inferior:
        """Spawn ``program`` traced and return it stopped at its exec, before any of its code.

        With ``capture``, the program's stdout and stderr go to it and are read while the
        program runs. Raises ``LaunchError`` when it cannot be executed.
        """
        if capture is not None:
            stdout, stderr = capture.stdout, capture.stderr
        command = Command(program, list(args), stdin=stdin, stdout=stdout, stderr=stderr)
        child = command.pre_exec(_become_tracee).spawn()
        status = child.wait()
        if status is None or not os.WIFSTOPPED(status):
            child.kill()
            raise EngineError(f"{program}: did not stop at exec under ptrace")
        ptrace_setoptions(child.pid, PTRACE_O_EXITKILL)
        return cls(child, capture)

    # -- state of the stopped program ------------------------------------------------------

    @property
    def registers(self) -> Registers:
        if self._regs is None:
            self._regs = Registers(self.pid)
        return self._regs

    @property
    def pc(self) -> int:
        return self.registers.pc

    def fp_area(self) -> bytes:
        """The FXSAVE area (x87 st0-7 from byte 32, xmm0-15 from byte 160): where
        floating-point return values are."""
        try:
            return bytes(ptrace_getfpregs(self.pid))
        except PtraceError as exc:
            raise EngineError(f"cannot read floating-point registers: {exc}") from exc

    def set_pc(self, pc: int) -> None:
        self.registers["rip"] = pc

    def read(self, address: int, size: int) -> bytes:
        """The program's memory as the program sees it: breakpoint int3s hidden."""
        return self.sites.hide_in(address, self.memory.read(address, size))

    def auxv(self) -> dict[int, int]:
        """The auxiliary vector the kernel gave the program (AT_ENTRY: where a PIE was
        loaded; AT_BASE: where its dynamic loader was)."""
        with open(f"/proc/{self.pid}/auxv", "rb") as f:
            data = f.read()
        vector = {}
        for offset in range(0, len(data) - 15, 16):
            key = int.from_bytes(data[offset : offset + 8], "little")
            if key == 0:
                break
            vector[key] = int.from_bytes(data[offset + 8 : offset + 16], "little")
        return vector

    # -- running ---------------------------------------------------------------------------

    def cont(self, signum: int = 0, timeout: float | None = None) -> StopEvent:
        """Resume until the next stop; a breakpoint under the pc is stepped over first.
        One SIGINT/timer set-up covers both: it is the breakpoint hot path."""
        with _running(self, timeout) as timer:
            if self.pc in self.sites:
                event = self._step_over_site(signum, timer)
                if event is not None:
                    return event
                if self.pc in self.sites:
                    return StopEvent(StopKind.BREAKPOINT, self.pid, signal=signal.SIGTRAP,
                                     pc=self.pc)
                signum = 0
            return self._resume(ptrace_cont, signum, timer)

    def step_instruction(self, signum: int = 0) -> StopEvent:
        with _running(self, None) as timer:
            if self.pc in self.sites:
                event = self._step_over_site(signum, timer)
                if event is not None:
                    return event
                return StopEvent(StopKind.STEP, self.pid, signal=signal.SIGTRAP, pc=self.pc)
            return self._resume(ptrace_singlestep, signum, timer)

    def _step_over_site(self, signum: int, timer: _Timer) -> StopEvent | None:
        """Lift the int3 at pc, execute the one instruction, put it back.

        Returns None when the step completed normally (the caller goes on), or the event
        that ended it otherwise: the program exiting or a signal arriving during the step.
        """
        site = self.sites.lifted(self.pc)
        event = self._resume(ptrace_singlestep, signum, timer)
        if event.alive and site is not None:
            self.sites.restore(site)
        if event.kind is StopKind.STEP:
            return None
        return event

    def _resume(self, request, signum: int, timer: _Timer) -> StopEvent:
        """Resume with ``request`` and wait for the next stop worth reporting (called
        inside ``_running``)."""
        while True:
            self._flush_and_forget_registers()
            try:
                request(self.pid, signum)
            except PtraceError as exc:
                raise EngineError(f"cannot resume process {self.pid}: {exc}") from exc
            status = self._wait()
            event = self._decode(status, timer)
            if event is not None:
                return event
            signum = 0

    def _wait(self) -> int:
        """The next wait status. Plain blocking ``waitpid`` unless output is captured: that
        is the breakpoint hot path."""
        if self._capture is not None:
            return self._capture.wait(self._child)
        status = self._child.wait(WALL)
        assert status is not None
        return status

    def _flush_and_forget_registers(self) -> None:
        if self._regs is not None:
            self._regs.flush()
            self._regs = None

    def _decode(self, status: int, timer: _Timer) -> StopEvent | None:
        """The event for a wait status, or None for our own timer's late SIGSTOP."""
        if os.WIFEXITED(status):
            self._mark_dead()
            return StopEvent(StopKind.EXITED, self.pid, status=os.WEXITSTATUS(status))
        if os.WIFSIGNALED(status):
            self._mark_dead()
            return StopEvent(StopKind.KILLED, self.pid, signal=os.WTERMSIG(status))
        signum = os.WSTOPSIG(status)
        if signum == signal.SIGSTOP and self._stray_sigstops:
            self._stray_sigstops -= 1
            if timer.fired:
                return StopEvent(StopKind.TIMEOUT, self.pid, signal=signum, pc=self.pc)
            return None
        if signum == signal.SIGTRAP:
            return self._classify_trap()
        return StopEvent(StopKind.SIGNAL, self.pid, signal=signum, pc=self.pc)

    def _classify_trap(self) -> StopEvent:
        code = ptrace_getsiginfo(self.pid).si_code
        pc = self.pc
        if code == SI_KERNEL and pc - 1 in self.sites:
            self.set_pc(pc - 1)
            return StopEvent(StopKind.BREAKPOINT, self.pid, signal=signal.SIGTRAP, pc=pc - 1)
        if code == TRAP_TRACE:
            return StopEvent(StopKind.STEP, self.pid, signal=signal.SIGTRAP, pc=pc)
        return StopEvent(StopKind.SIGNAL, self.pid, signal=signal.SIGTRAP, pc=pc)

    def _mark_dead(self) -> None:
        self.alive = False
        self._regs = None
        self.memory.close()

    def kill(self) -> None:
        """SIGKILL and reap; afterwards no trace of the process is left."""
        if self.alive:
            self._child.kill()
            self._mark_dead()


class _Timer:
    fired = False


@contextmanager
def _running(inferior: Inferior, timeout: float | None) -> Iterator[_Timer]:
    """While the program runs: SIGINT is the program's business (the terminal sends it to
    both of us, and a KeyboardInterrupt inside waitpid would lose the program's stop), and
    an optional wall-clock limit stops the program with SIGSTOP when it expires."""
    timer = _Timer()

    def expire(_signum, _frame) -> None:
        timer.fired = True
        try:
            os.kill(inferior.pid, signal.SIGSTOP)
        except ProcessLookupError:
            return
        inferior._stray_sigstops += 1

    previous_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
    previous_alarm = None
    if timeout is not None:
        previous_alarm = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, max(timeout, 0.001))
    try:
        yield timer
    finally:
        if timeout is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_alarm)
        signal.signal(signal.SIGINT, previous_int)
