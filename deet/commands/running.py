"""Starting, resuming and leaving: run, continue, kill, quit, attach, detach, and a core
file in place of a process."""

from __future__ import annotations

from deet.commands.breakpoints import count_argument, set_ignore
from deet.commands.registry import Needs, command, never
from deet.debugger import Debugger, DebuggerError
from deet.debugger.attach import attach_to, detach, leave, process_id
from deet.debugger.postmortem import load_core
from deet.results import Message, Quit, Result


@command("run", "r", group="running",
         doc="run [ARGS...]: start the program (killing a live one first); "
         "without ARGS, the previous ones are used. ARGS are read as a shell reads "
         "them: quotes, $VAR, globs, and < > >> 2> 2>&1 redirections", repeat=never)
def run(debugger: Debugger, args: str) -> Result:
    return debugger.run(args.strip() or None)


@command("continue", "c", "cont", group="running",
         doc="continue [N]: resume the stopped program; N: the breakpoint it is stopped "
         "at lets the next N-1 crossings pass",
         needs=Needs.LIVE)
def cont(debugger: Debugger, args: str) -> Result:
    if args.strip():
        count = count_argument(args)
        process = debugger.require_stopped()
        here = debugger.breakpoints.enabled_among(process.breakpoints_at(process.inferior.pc))
        if not here:
            debugger.listener(Message("Not stopped at any breakpoint; argument ignored."))
        for index, breakpoint_ in enumerate(here):
            debugger.listener(set_ignore(breakpoint_, count - 1, index == len(here) - 1))
    return debugger.cont()


@command("kill", "k", group="running",
         doc="kill: kill the running program", needs=Needs.LIVE, repeat=never)
def kill(debugger: Debugger, args: str) -> Result:
    if args.strip():
        word = args.split()[0]
        raise DebuggerError(f'Undefined kill command: "{word}".  Try "help kill".')
    killed = debugger.kill(announce=False)
    assert killed is not None
    return killed


@command("quit", "q", group="running",
         doc="quit: kill the running program, if any (detach from one deet attached "
         "to), and leave deet", repeat=never)
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
