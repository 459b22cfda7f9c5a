"""Starting, resuming and leaving: run, continue, kill, quit, attach, detach, and a core
file in place of a process."""

from __future__ import annotations

from deet.commands.registry import Needs, command
from deet.debugger import Debugger
from deet.debugger.attach import attach_to, detach, leave, process_id
from deet.debugger.postmortem import load_core
from deet.results import Quit, Result


@command("run", "r", group="running",
         doc="run [ARGS...]: start the program (killing a live one first); "
         "without ARGS, the previous ones are used. ARGS are read as a shell reads "
         "them: quotes, $VAR, globs, and < > >> 2> 2>&1 redirections")
def run(debugger: Debugger, args: str) -> Result:
    return debugger.run(args.strip() or None)


@command("continue", "c", "cont", group="running",
         doc="continue: resume the stopped program",
         needs=Needs.LIVE)
def cont(debugger: Debugger, _args: str) -> Result:
    return debugger.cont()


@command("kill", "k", group="running",
         doc="kill: kill the running program", needs=Needs.LIVE)
def kill(debugger: Debugger, _args: str) -> Result:
    killed = debugger.kill(announce=False)
    assert killed is not None
    return killed


@command("quit", "q", group="running",
         doc="quit: kill the running program, if any (detach from one deet attached "
         "to), and leave deet")
def quit_(debugger: Debugger, _args: str) -> Result:
    for detached in leave(debugger):
        debugger.listener(detached)
    debugger.kill()
    return Quit()


@command("attach", group="running",
         doc="attach PID: debug the running process PID (every thread stopped where it is)")
def attach(debugger: Debugger, args: str) -> Result:
    return attach_to(debugger, process_id(args))


@command("detach", group="running",
         doc="detach: take deet's breakpoints out of the program and let it run on, "
         "untraced", needs=Needs.LIVE)
def detach_(debugger: Debugger, _args: str) -> Result:
    return detach(debugger)


@command("core-file", "core", group="running",
         doc="core-file CORE: debug the process a core file holds (bt, frame, print, x, "
         "info registers, info threads); it cannot be run")
def core_file(debugger: Debugger, args: str) -> Result:
    return load_core(debugger, args)
