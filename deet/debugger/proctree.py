"""The program's process tree as the debugger sees it: every process the program created,
the free-running ones serviced between commands, all of them ended on the way out, and
the lecture's fork bugs diagnosed from the tree's events as they happen.

The engine's ``ProcessTree`` keeps the processes and their events; a ``Watcher`` (one a
run) listens to them, names fork sites with the program's debug info, and gives the
diagnostics (``docs/user-guide.md`` explains each):

- ``nested-fork``: a process forks at the very call that created it (or an ancestor):
  the fork loop runs on in the child. Told once a fork site.
- ``runaway-child``: a child returned from the function it was forked in, into code
  meant for its parent (``runaway.py`` says which children are watched).
- ``exec-failed``: an exec failed in a child, which then went on running instead of
  exiting (the engine's ``execwatch.py`` sees it).
- ``fork-with-threads`` / ``child-deadlock``: a child of a process with other threads
  did something other than exec; waiting on a lock no thread of it can release
  (``forkthreads.py``).
- ``unreaped-child``: a child has been a zombie for ``UNREAPED_SECONDS`` while its parent
  runs on, or its parent ended without waiting for it.
- ``leftover-process``: the process deet started ended, and processes it started (not
  held by deet) still run.
"""

from __future__ import annotations

import errno
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from deet.debugger import runaway
from deet.debugger.signals import signal_name
from deet.debuginfo import DebugInfoError
from deet.engine import (
    ThreadAtFork,
    TreeEnded,
    TreeEvent,
    TreeExecFailed,
    TreeForked,
    TreeProcess,
    TreeReturned,
    TreeThreadedChild,
    reap_orphan,
    trap_address,
)
from deet.results import Diagnostic, ForkSite, ProcessList, ProcessRow

if TYPE_CHECKING:
    from deet.debugger.core import Debugger

# How long a child may stay a zombie while its parent runs on before it counts as
# unreaped: far longer than a parent that waits takes to do so, even on a loaded machine.
UNREAPED_SECONDS = 1.0


@dataclass
class Watcher:
    """The diagnostics' memory of one run: fork sites named, sites already told of, the
    zombies being timed."""

    debugger: Debugger
    names: dict[int, ForkSite] = field(default_factory=dict)
    nested_told: set[int] = field(default_factory=set)
    # Fork site -> whether its children are watched for a runaway return.
    watched_sites: dict[int, bool] = field(default_factory=dict)
    # Zombie pid -> since when it counts: its exit, or the last time its parent, a process
    # deet holds, stood at the prompt (time the user spends there is not the program's).
    zombies: dict[int, float] = field(default_factory=dict)

    def at_prompt(self) -> None:
        """The held processes stand still: their zombies' time starts again."""
        held = {process.pid for process in self.debugger.processes}
        now = time.monotonic()
        for pid in self.zombies:
            process = self.debugger.tree.get(pid)
            if process is not None and process.parent in held:
                self.zombies[pid] = now

    def tick(self) -> None:
        """Waits wake up to time the zombies only while there are some."""
        self.debugger.tree.ticking = bool(self.zombies)

    @property
    def on(self) -> bool:
        return (self.debugger.settings.get("fork-diagnostics") == "on"
                and not self.debugger.tree.killing)

    def on_event(self, event: TreeEvent) -> None:
        """Each fork, exec and exit anywhere in the tree, as it happens."""
        tree = self.debugger.tree
        if isinstance(event, TreeForked):
            if tree.exec_return is None:
                tree.exec_return = self._exec_return()
            child = tree.get(event.child)
            if child is not None and event.fork_site is not None:
                if self._name(child) is not None:
                    self._watch_return(child, event.fork_site)
                self._check_nested(child, event.fork_site)
        elif isinstance(event, TreeReturned):
            self._runaway(event)
        elif isinstance(event, TreeExecFailed):
            process = tree.get(event.pid)
            if process is not None and self.on:
                name = errno.errorcode.get(event.errno, str(event.errno))
                error = f"{name}: {os.strerror(event.errno)}"
                self.debugger.listener(Diagnostic(
                    "exec-failed", event.pid, self.fork_of(process), process.parent,
                    program=event.path, error=error))
        elif isinstance(event, TreeThreadedChild):
            self._threaded_child(event)
        elif isinstance(event, TreeEnded):
            process = tree.get(event.pid)
            if process is None:
                return
            parent = tree.get(process.parent) if process.parent is not None else None
            if parent is not None and not parent.ended:
                self.zombies[process.pid] = time.monotonic()
                self.tick()
            self._parent_ended(process)
            if process.parent is None:
                self._check_leftovers(process)

    def _watch_return(self, child: TreeProcess, site: int) -> None:
        current = self.debugger.current
        if child.held or not child.same_image or current is None or not self.on:
            return
        if site not in self.watched_sites:
            self.watched_sites[site] = runaway.returns_nothing(current, site)
        if self.watched_sites[site]:
            runaway.watch(current, self.debugger.tree, child)

    def _runaway(self, event: TreeReturned) -> None:
        process = self.debugger.tree.get(event.pid)
        current = self.debugger.current
        if process is None or current is None or not self.on:
            return
        self.debugger.listener(Diagnostic(
            "runaway-child", event.pid, self.fork_of(process), process.parent,
            returned=runaway.returned_to(current, event.address)))

    def _threaded_child(self, event: TreeThreadedChild) -> None:
        process = self.debugger.tree.get(event.pid)
        if process is None or not self.on:
            return
        fork = self.fork_of(process)
        threads = {thread.tid: self._thread_text(thread) for thread in event.threads}
        self.debugger.listener(Diagnostic("fork-with-threads", event.pid, fork, process.parent,
                                          threads=tuple(threads.values())))
        lock = event.ran.lock
        if lock is not None:
            current = self.debugger.current
            symbol = current.symbolic(lock, printing=True) if current is not None else None
            owner = event.ran.owner
            self.debugger.listener(Diagnostic(
                "child-deadlock", event.pid, fork, process.parent,
                lock=f"0x{lock:x}" + (f" <{symbol}>" if symbol else ""),
                owner=threads.get(owner) if owner is not None else None))

    def _thread_text(self, thread: ThreadAtFork) -> str:
        text = f'LWP {thread.tid} "{thread.name}"'
        current = self.debugger.current
        if thread.pc is None or current is None:
            return text
        name = current.place(thread.pc).function
        return f"{text} in {name}" if name else text

    def _exec_return(self) -> int | None:
        """Where the C library's ``execve`` returns from its system call, in the current
        process: the exec-failed int3 of its fork children goes there."""
        current = self.debugger.current
        if current is None or not self.on:
            return None
        for obj in current.space.libraries():
            try:
                address = obj.info.symbol_address("execve")
            except DebugInfoError:
                continue
            if address is not None:
                return trap_address(current.pid, address + obj.bias)
        return None

    def _name(self, process: TreeProcess) -> ForkSite | None:
        """Where ``process`` was forked, named while a process of the program is there to
        name it (an exec'd program's sites are not the debugged program's)."""
        site = process.fork_site
        if site is None:
            return None
        if site in self.names:
            return self.names[site]
        current = self.debugger.current
        program = os.path.realpath(self.debugger.program_info.path)
        if current is None or process.exe is None or os.path.realpath(process.exe) != program:
            return None
        place = current.place(site - 1)
        location = place.location
        name = ForkSite(place.function, location.file if location else None,
                        location.line if location else None)
        self.names[site] = name
        return name

    def fork_of(self, process: TreeProcess) -> ForkSite | None:
        return self.names.get(process.fork_site) if process.fork_site is not None else None

    def _check_nested(self, child: TreeProcess, site: int) -> None:
        tree = self.debugger.tree
        ancestor = tree.get(child.parent) if child.parent is not None else None
        while ancestor is not None:
            if ancestor.fork_site == site:
                if site not in self.nested_told and self.on:
                    self.nested_told.add(site)
                    self.debugger.listener(Diagnostic("nested-fork", child.parent or 0,
                                                      self.fork_of(child), ancestor.parent))
                return
            ancestor = tree.get(ancestor.parent) if ancestor.parent is not None else None

    def check_zombies(self) -> None:
        """Children a parent that runs on has left zombies for too long."""
        now = time.monotonic()
        for pid, since in sorted(self.zombies.items()):
            process = self.debugger.tree.get(pid)
            if process is None or not _is_zombie(pid):
                self.zombies.pop(pid, None)
            elif now - since >= UNREAPED_SECONDS:
                self.zombies.pop(pid, None)
                self._unreaped(process, now - since)
        self.tick()

    def _parent_ended(self, parent: TreeProcess) -> None:
        """Its children still zombies were never waited for."""
        for pid in sorted(self.zombies):
            process = self.debugger.tree.get(pid)
            if process is not None and process.parent == parent.pid:
                self.zombies.pop(pid, None)
                if _is_zombie(pid):
                    self._unreaped(process, None)

    def _unreaped(self, process: TreeProcess, seconds: float | None) -> None:
        if self.on:
            self.debugger.listener(Diagnostic("unreaped-child", process.pid,
                                              self.fork_of(process), process.parent,
                                              seconds=seconds))

    def _check_leftovers(self, root: TreeProcess) -> None:
        running = tuple(p.pid for p in self.debugger.tree.free())
        if running and self.on:
            self.debugger.listener(Diagnostic("leftover-process", root.pid, None,
                                              pids=running))


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):
        return False


def watch(debugger: Debugger) -> Watcher:
    """Listen to the events of the run just started."""
    watcher = Watcher(debugger)
    debugger.tree.listener = watcher.on_event
    debugger.tree.on_service = watcher.check_zombies
    return watcher


def service(debugger: Debugger) -> None:
    """Between commands: handle what the free-running processes did meanwhile, without
    blocking, so none stays stopped at an event while the user reads."""
    if debugger.diagnostics is not None:
        debugger.diagnostics.at_prompt()
    debugger.tree.poll()


def finish(debugger: Debugger, grace: float) -> None:
    """On the way out, after the held processes were killed: nothing is left. A zombie
    whose parent ended was re-parented to deet (or the API's host) as subreaper: reaped."""
    debugger.tree.finish(grace, debugger.capture)
    for process in debugger.tree:
        if process.ended:
            reap_orphan(process.pid)


def process_list(debugger: Debugger) -> ProcessList:
    """``info processes``: the tree of the last run."""
    service(debugger)
    current = debugger.current
    held = {process.pid for process in debugger.processes}
    watcher = debugger.diagnostics
    rows = []
    for process in debugger.tree:
        fork = watcher.fork_of(process) if watcher is not None else None
        rows.append(ProcessRow(
            process.pid, process.parent, _state(process, held),
            process.exit_code, signal_name(process.exit_signal) if process.exit_signal else None,
            fork, process.exe, tuple(process.execs),
            current is not None and current.pid == process.pid))
    return ProcessList(tuple(rows))


def _state(process: TreeProcess, held: set[int]) -> str:
    if not process.ended:
        return "stopped" if process.pid in held else "running"
    if _is_zombie(process.pid):
        return "zombie"
    return "exited" if process.exit_code is not None else "killed"
