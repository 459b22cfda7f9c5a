"""The traced program: resume, single-step, observe, kill and reap.

Everything here runs on the debugger's one thread, which ptrace requires. The engine is
the only reaper of the program (see the Popen pitfall in docs/design.md): every wait
status, collected here or by ``allstop.py``, becomes a ``StopEvent`` before it leaves.

All-stop, as gdb's default: when one thread stops for a reason the user must see, every
other thread is stopped before it is reported, and all resume together (``allstop.py``).
Stepping a thread off a breakpoint happens with every other thread stopped, so none can
run through the moment the int3 is out. Threads, forks (followed by the debugger's
policy), vforks and execs are traced through ptrace's event stops; only a fork that
changes which process deet follows, and an exec, are reported upwards."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import time
from collections.abc import Callable, Mapping

from ptrace.binding.func import (
    PTRACE_EVENT_CLONE,
    PTRACE_EVENT_EXEC,
    PTRACE_EVENT_FORK,
    PTRACE_EVENT_VFORK,
    PTRACE_EVENT_VFORK_DONE,
    ptrace_cont,
    ptrace_geteventmsg,
    ptrace_getsiginfo,
)

from deet.engine.allstop import Resume, ThreadGroup
from deet.engine.capture import OutputCapture
from deet.engine.debugregs import DebugRegisters, Slot
from deet.engine.events import StopEvent, StopKind
from deet.engine.forkthreads import threads_at_fork
from deet.engine.memory import Memory, MemoryAccessError, read_auxv
from deet.engine.policy import ForkPolicy
from deet.engine.registers import Registers, read_fp_area, write_fp_area
from deet.engine.running import RunGuard
from deet.engine.sites import Site, SiteTable
from deet.engine.threads import Thread
from deet.engine.tracing import (
    SI_KERNEL,
    TRAP_BRKPT,
    TRAP_HANDLER_ENTERED,
    TRAP_HWBKPT,
    TRAP_TRACE,
    detach_threads,
    initial_stop,
    ptrace_singlestep,
    tasks,
)
from deet.engine.tree import ProcessTree
from deet.engine.waiting import WALL

# How long ``kill`` goes on collecting a killed process's threads before giving up.
REAP_SECONDS = 5.0
# How long a single step of one thread may take before the other threads are let run.
STEP_PATIENCE = 0.2


class Inferior:
    """One traced process and its threads, stopped or running; a process it forks and
    deet keeps is another ``Inferior``."""

    # A process that runs (``debugger/postmortem.py``'s core-file stand-in says False).
    live = True

    def __init__(self, pid: int, capture: OutputCapture | None = None,
                 sites: SiteTable | None = None, tree: ProcessTree | None = None) -> None:
        self.pid = pid
        self._capture = capture
        self.alive = True
        self.memory = Memory(pid)
        self.sites = SiteTable(self.memory) if sites is None else sites.copy_for(self.memory)
        # Every process of the run, this one's free-running descendants serviced while it
        # is waited for.
        self.tree = tree if tree is not None else ProcessTree()
        self._group = ThreadGroup(pid, capture, self.tree)
        self.thread = self._group.leader
        self.policy = ForkPolicy()
        # Signals passed straight back to the program without a report (gdb's
        # ``handle SIG nostop noprint pass``).
        self.silent_signals: frozenset[int] = frozenset()
        # Told at once, so the user hears of it in order with the program's output: a
        # fork child let go of (its pid, and whether it came from vfork), and each forked
        # process deet keeps.
        self.on_released: Callable[[int, bool], None] = _ignore
        self.on_kept: Callable[[Inferior], None] = _ignore
        # The child of the last FORKED event, for the debugger to follow.
        self.followed: Inferior | None = None
        self._vfork_lifted: list[Site] = []
        self._guard = RunGuard(pid)
        self.debug_registers = DebugRegisters()
        # Taken hold of by ``attach`` (engine/attaching.py): not deet's to kill on the way out.
        self.attached = False

    @classmethod
    def attached_to(cls, pid: int, threads: Mapping[int, int | None],
                    capture: OutputCapture | None = None) -> Inferior:
        """A process ``attach`` stopped: thread id -> the status it reported before the
        attach's SIGSTOP (None: that was its first stop); ``capture``: waited on too."""
        inferior = cls(pid, capture)
        inferior.attached = True
        for tid, status in threads.items():
            thread = inferior._group.get(tid) or inferior._group.add(tid)
            if status is not None:
                thread.pending, thread.stop_requested = status, True
        return inferior

    # -- state of the stopped program ------------------------------------------------------

    @property
    def registers(self) -> Registers:
        """The selected thread's registers."""
        return self.thread.registers

    @property
    def pc(self) -> int:
        return self.registers.pc

    def threads(self) -> list[Thread]:
        """The live threads, by number."""
        return self._group.live()

    def select(self, thread: Thread) -> None:
        self.thread = thread

    def watch(self, slots: list[Slot]) -> None:
        """Hardware watchpoints: these debug-register slots in every thread, now and as
        threads are created."""
        self.debug_registers.assign(slots, [thread.tid for thread in self.threads()])

    def fp_area(self) -> bytes:
        """The FXSAVE area (x87 st0-7 from byte 32, xmm0-15 from byte 160): where
        floating-point return values are."""
        return read_fp_area(self.thread.tid)

    def set_fp_area(self, data: bytes) -> None:
        """Writes the FXSAVE area back (a call's double arguments, then what was there)."""
        write_fp_area(self.thread.tid, data)

    def set_pc(self, pc: int) -> None:
        self.registers["rip"] = pc

    def read(self, address: int, size: int) -> bytes:
        """The program's memory as the program sees it: breakpoint int3s hidden."""
        return self.sites.hide_in(address, self.memory.read(address, size))

    def write(self, address: int, data: bytes) -> None:
        """Changes the program's memory as the program sees it (breakpoints kept)."""
        self.sites.write(address, data)

    def auxv(self) -> dict[int, int]:
        """The auxiliary vector the kernel gave the program (AT_ENTRY: where a PIE was
        loaded; AT_BASE: where its dynamic loader was)."""
        return read_auxv(self.pid)

    # -- running ---------------------------------------------------------------------------

    def cont(self, signum: int = 0, timeout: float | None = None) -> StopEvent:
        """Resume every thread until the next stop worth reporting; the selected thread is
        first stepped off a breakpoint under its pc. One SIGINT/timer set-up covers both:
        it is the breakpoint hot path."""
        with self._guard.running(timeout):
            thread = self.thread
            if self.pc in self.sites:
                event, signum = self._step_over_site(thread, signum)
                if event is not None and event.kind is StopKind.STEP:
                    # The step off the breakpoint fired a watchpoint.
                    return dataclasses.replace(event, kind=StopKind.WATCH)
                if event is not None:
                    return event
            return self._run(signum, None)

    def step_instruction(self, signum: int = 0, timeout: float | None = None) -> StopEvent:
        """One instruction of the selected thread, the others staying stopped unless it
        blocks (see ``_run``); ``timeout`` bounds a step blocked in a system call."""
        with self._guard.running(timeout):
            thread = self.thread
            if self.pc in self.sites:
                event, signum = self._step_over_site(thread, signum)
                if event is not None:
                    return event
                if not signum:
                    return StopEvent(StopKind.STEP, self.pid, signal=signal.SIGTRAP,
                                     pc=self.pc, tid=thread.tid)
            return self._run(signum, thread)

    def _step_over_site(self, thread: Thread, signum: int = 0
                        ) -> tuple[StopEvent | None, int]:
        """Lift the int3 under ``thread``, execute its one instruction, put the int3 back.

        With ``signum`` the step delivers it instead, into the handler's first instruction
        (as gdb steps over a breakpoint with a signal): the handler's return onto the
        breakpoint is then a hit, as in gdb. Returns (None, 0) when the step completed,
        (None, SIG) when a signal the program takes silently arrived first (the caller
        resumes with it: delivered once, with the int3 back in place), or the event that
        ended it otherwise."""
        try:
            site = self.sites.lifted(self.pc)
        except MemoryAccessError:
            site = None  # killed from outside: the resume finds out how
        try:
            event = self._run(signum, thread, stepping_over=True)
        finally:
            if self.alive and site is not None:
                self.sites.restore(site)
        if event.kind is StopKind.STEP and not event.watch:
            if self.pc in self.sites:
                return StopEvent(StopKind.BREAKPOINT, self.pid, signal=signal.SIGTRAP,
                                 pc=self.pc, tid=thread.tid), 0
            return None, 0
        if (event.kind is StopKind.SIGNAL and event.tid == thread.tid
                and event.signal in self.silent_signals):
            thread.returning_to = (self.pc, self.registers["rsp"])
            return None, event.signal or 0
        return event, 0

    def _run(self, signum: int, step: Thread | None, stepping_over: bool = False) -> StopEvent:
        """Resume (every thread, or single-step ``step`` alone) and wait for the next stop
        worth reporting; on the way, thread and fork events are handled. When it returns,
        every thread is stopped. ``stepping_over``: any signal ends the step, for
        ``_step_over_site`` to deliver once the int3 is back."""
        if step is None:
            self._group.resume_all(signum, self.thread)
        else:
            self._group.resume(step, ptrace_singlestep, signum)
        # A single step that does not end at once is blocked in the kernel (pthread_join's
        # futex, a read): the other threads run until it ends, as gdb's do, or the step
        # would wait for them for ever. Stepping over a lifted int3 this way, another
        # thread may pass that breakpoint unseen: better than a deadlock.
        patience = STEP_PATIENCE if step is not None and len(self.threads()) > 1 else None
        while True:
            found = self._group.next_stop(patience)
            if found is None:
                patience = None
                self._group.resume_all(0, step or self.thread)
                continue
            tid, status = found
            thread = self._group.get(tid)
            if thread is None:
                continue
            thread.running = False
            event = self._decode(thread, status, step, stepping_over)
            if event is not None:
                if event.alive:
                    self._group.stop_all(self.sites)
                    self.thread = self._group.get(event.tid or self.pid) or self.thread
                return event
            if step is not None and step.tid not in self._group:
                step = None
            if self._group.idle():
                # The stepped thread is gone: the others go on, as after ``continue``.
                step = None
                self._group.resume_all(0, self.thread)

    def _decode(self, thread: Thread, status: int, step: Thread | None,
                stepping_over: bool) -> StopEvent | None:
        """The event for a thread's wait status, or None when it was handled here and the
        thread resumed."""
        if os.WIFEXITED(status) or os.WIFSIGNALED(status):
            return self._thread_ended(thread, status)
        request = ptrace_singlestep if thread is step else ptrace_cont
        signum = os.WSTOPSIG(status)
        if signum == signal.SIGTRAP and status >> 16:
            return self._ptrace_event(thread, status >> 16, request, step)
        if signum == signal.SIGSTOP and thread.stop_requested:
            thread.stop_requested = False
            self._group.resume(thread, request, 0)
            return None
        if signum == signal.SIGSTOP and self._guard.sent_sigstop():
            if self._guard.expired:
                return StopEvent(StopKind.TIMEOUT, self.pid, signal=signum,
                                 pc=thread.registers.pc, tid=thread.tid)
            self._group.resume(thread, request, 0)
            return None
        if signum == signal.SIGTRAP:
            return self._classify_trap(thread, step)
        if signum in self.silent_signals and not (stepping_over and thread is step):
            self._group.resume(thread, request, signum)
            return None
        return StopEvent(StopKind.SIGNAL, self.pid, signal=signum, pc=thread.registers.pc,
                         tid=thread.tid)

    def _thread_ended(self, thread: Thread, status: int) -> StopEvent | None:
        if thread.tid != self.pid:
            self._group.discard(thread.tid)
            if self.thread is thread:
                self.thread = self._group.get(self.pid) or self.threads()[0]
            return None
        self._mark_dead()
        self.tree.ended(self.pid, status)
        if os.WIFEXITED(status):
            return StopEvent(StopKind.EXITED, self.pid, status=os.WEXITSTATUS(status))
        return StopEvent(StopKind.KILLED, self.pid, signal=os.WTERMSIG(status))

    def _classify_trap(self, thread: Thread, step: Thread | None) -> StopEvent | None:
        code = ptrace_getsiginfo(thread.tid).si_code
        pc = thread.registers.pc
        watch = self.debug_registers.triggered(thread.tid)
        if watch or (code == TRAP_HWBKPT and thread is not step):
            # (also one seen after its watchpoint was deleted: a WATCH nobody stops for)
            kind = StopKind.STEP if thread is step else StopKind.WATCH
            return StopEvent(kind, self.pid, signal=signal.SIGTRAP, pc=pc, tid=thread.tid,
                             watch=watch)
        if code == SI_KERNEL and pc - 1 in self.sites:
            thread.registers["rip"] = pc - 1
            if thread.returning_to == (pc - 1, thread.registers["rsp"]):
                thread.returning_to = None
                return self._pass_site(thread)
            return StopEvent(StopKind.BREAKPOINT, self.pid, signal=signal.SIGTRAP, pc=pc - 1,
                             tid=thread.tid)
        if thread is step and code in (TRAP_TRACE, TRAP_BRKPT, TRAP_HANDLER_ENTERED):
            # TRAP_BRKPT: the step went over a system call.
            return StopEvent(StopKind.STEP, self.pid, signal=signal.SIGTRAP, pc=pc,
                             tid=thread.tid)
        return StopEvent(StopKind.SIGNAL, self.pid, signal=signal.SIGTRAP, pc=pc,
                         tid=thread.tid)

    def _pass_site(self, thread: Thread) -> StopEvent | None:
        """A signal handler returned onto the breakpoint the thread stood on when the
        signal was delivered: step it off with the others stopped and go on."""
        self._group.stop_all(self.sites, except_tid=thread.tid)
        selected, self.thread = self.thread, thread
        event, signum = self._step_over_site(thread)
        if event is not None:
            return event
        self._group.resume_all(signum, self.thread)
        self.thread = selected if selected.tid in self._group else thread
        return None

    def _ptrace_event(self, thread: Thread, kind: int, request: Resume,
                      step: Thread | None) -> StopEvent | None:
        if kind == PTRACE_EVENT_CLONE:
            tid = ptrace_geteventmsg(thread.tid)
            new = self._group.add(tid)
            if not initial_stop(tid):
                self._group.discard(tid)
            else:
                if self.debug_registers.active:
                    self.debug_registers.apply(tid)
                if step is None:
                    self._group.resume(new, ptrace_cont, 0)
        elif kind in (PTRACE_EVENT_FORK, PTRACE_EVENT_VFORK):
            event = self._forked(thread, ptrace_geteventmsg(thread.tid),
                                 kind == PTRACE_EVENT_VFORK)
            if event is not None:
                return event
        elif kind == PTRACE_EVENT_VFORK_DONE:
            for site in self._vfork_lifted:
                self.sites.restore(site)
            self._vfork_lifted = []
            self._guard.vfork_child = None
        elif kind == PTRACE_EVENT_EXEC:
            self._execed(ptrace_geteventmsg(thread.tid))
            self.tree.execed(self.pid)
            return StopEvent(StopKind.EXECED, self.pid, signal=signal.SIGTRAP, pc=self.pc,
                             tid=self.pid)
        self._group.resume(thread, request, 0)
        return None

    def _forked(self, thread: Thread, child_pid: int, vfork: bool) -> StopEvent | None:
        """Apply the fork policy to a new child (stopped at its first instruction). A child
        deet does not hold runs free: announced before it runs, so that nothing it prints
        comes before the announcement. The kernel gives a child none of ptrace's
        watchpoints; one call makes sure, when this process has some."""
        if not initial_stop(child_pid):
            return None
        if self.debug_registers.active:
            DebugRegisters.clear(child_pid)
        held = self.policy.follow_child or not self.policy.detach
        others = [t.tid for t in self.threads()] if len(self._group.live()) > 1 else []
        self.tree.forked(self.pid, child_pid, held=held, vfork=vfork,
                         threads=threads_at_fork(self.pid, thread.tid, others))
        if held:
            child = Inferior(child_pid, self._capture, sites=self.sites, tree=self.tree)
            if self.policy.follow_child:
                self.followed = child
                return StopEvent(StopKind.FORKED, self.pid, signal=signal.SIGTRAP,
                                 pc=thread.registers.pc, tid=thread.tid, child=child_pid)
            self.on_kept(child)
            return None
        if vfork:
            # The child borrows this process's memory until it execs or exits: the int3s
            # stay out of it until then (PTRACE_EVENT_VFORK_DONE puts them back).
            self._vfork_lifted = self.sites.lift_all()
            self._guard.vfork_child = child_pid
        else:
            self.sites.clean_process(child_pid)
        if self._capture is not None:
            self._capture.flush()
        self.on_released(child_pid, vfork)
        self.tree.let_run(child_pid, {child_pid})
        return None

    def _execed(self, former_tid: int) -> None:
        """After an exec the process has one thread, the leader, and a new memory image:
        the int3s and the debug registers went with the old one."""
        self._group.execed(former_tid)
        self.thread = self._group.leader
        self.memory.close()
        self.memory = Memory(self.pid)
        self.sites = SiteTable(self.memory)
        self._vfork_lifted = []
        self.debug_registers = DebugRegisters()

    def _mark_dead(self) -> None:
        self.alive = False
        self._group.close()
        self.memory.close()

    # -- letting go ------------------------------------------------------------------------

    def kill(self) -> None:
        """SIGKILL and reap every thread; afterwards no trace of the process is left."""
        if not self.alive:
            return
        self._release_pending_forks(kill=True)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        deadline = time.monotonic() + REAP_SECONDS
        while time.monotonic() < deadline:
            tids = {thread.tid for thread in self._group} | tasks(self.pid)
            if self._reap(tids):
                break
            time.sleep(0.001)
        self._mark_dead()
        self.tree.killed(self.pid)

    def _reap(self, tids: set[int]) -> bool:
        """Collect what ``tids`` left; True once the leader (so the process) is gone."""
        for tid in sorted(tids, key=lambda tid: tid == self.pid):
            try:
                reaped, _ = os.waitpid(tid, WALL | os.WNOHANG)
            except ChildProcessError:
                if tid == self.pid:
                    return True
                continue
            if reaped == self.pid:
                return True
        return False

    def detach(self) -> None:
        """Let the process (one deet attached to) run on untraced, without deet's int3s."""
        detach_threads(self._let_go())

    def run_free(self) -> None:
        """Let the process run on, without deet's int3s in its memory, free-running in
        the tree: still traced, so it cannot outlive deet."""
        tids = self._let_go()
        if tids:
            self.tree.let_run(self.pid, tids)

    def _let_go(self) -> set[int]:
        """Lift every int3, settle every thread and disable its debug registers (kept
        across PTRACE_DETACH: a watchpoint left would SIGTRAP the untraced process)."""
        if not self.alive:
            return set()
        self._release_pending_forks(kill=False)
        self.sites.lift_all()
        watching = self.debug_registers.active
        tids = set()
        for thread in self.threads():
            self._group.settle(thread, self.sites)
            thread.flush_registers()
            if watching:
                DebugRegisters.clear(thread.tid)
            tids.add(thread.tid)
        self._mark_dead()
        return tids

    def _release_pending_forks(self, kill: bool) -> None:
        """A fork a thread reported while deet was stopping everything left a traced child
        deet has not met yet: it must not outlive deet's hold on the parent."""
        for thread in self._group:
            status = thread.pending
            if (status is None or not os.WIFSTOPPED(status)
                    or status >> 16 not in (PTRACE_EVENT_FORK, PTRACE_EVENT_VFORK)):
                continue
            thread.pending = None
            child_pid = ptrace_geteventmsg(thread.tid)
            if not initial_stop(child_pid):
                continue
            self.tree.forked(self.pid, child_pid, held=False)
            if kill:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child_pid, signal.SIGKILL)
            else:
                self.sites.clean_process(child_pid)
            self.tree.let_run(child_pid, {child_pid})


def _ignore(*_values: object) -> None:
    """What an inferior does with its notes until the debugger listens."""
