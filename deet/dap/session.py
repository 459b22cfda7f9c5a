"""One DAP session: each request answered with deet's own commands and results.

deet is single-threaded and its commands block while the program runs, so a request
that resumes the program (``continue``, ``next``, ``stepIn``, ``stepOut``) is answered
first, then run, and the stop (or the end) is told as an event when the command
returns; what the program writes meanwhile arrives as ``output`` events, captured on
pseudo-terminals as for ``--json``. ``launch`` and ``attach`` only prepare: the program
runs at ``configurationDone``, once the client has set its breakpoints (it is told it may,
with ``initialized``, once there is a program to set them in).
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

from deet import render
from deet.commands import execute
from deet.dap.breakpoints import ClientBreakpoints, Wanted
from deet.dap.frames import FRAMES, scopes, stack_frames, thread_list
from deet.dap.requests import CAPABILITIES, REQUESTS
from deet.dap.stops import ending, thread_changes
from deet.dap.variables import References
from deet.dap.wire import Incoming, ProtocolError
from deet.debugger import Debugger, DebuggerError
from deet.debugger.shell import quote
from deet.debuginfo import DebugInfoError
from deet.engine import MemoryAccessError
from deet.engine.attaching import refusal
from deet.render.values import value_text
from deet.results import (
    Attached,
    CoreLoaded,
    Error,
    Exited,
    Finished,
    Printed,
    ProgramOutput,
    Result,
    Signaled,
    Stepped,
    Stopped,
    ThreadList,
    TimedOut,
)
from deet.results.shown import Shown

# What a command that ran the program returns.
RAN = (Stopped, Stepped, Finished, Exited, Signaled, TimedOut)
Send = Callable[[dict], None]


class RequestError(Exception):
    """The request cannot be done; ``str()`` is the message the client shows."""


class DapSession:
    def __init__(self, send: Send, incoming: Incoming | None = None) -> None:
        self._send = send
        self._incoming = incoming
        # A pause the client asked for while the program ran (its SIGINT stop is a pause).
        self._paused = False
        # A terminate or disconnect came while the program ran: it was stopped so that the
        # request can be answered, and that stop is not told as one.
        self._ending = False
        self._seq = 0
        self.debugger: Debugger | None = None
        self.references = References()
        self._start: str | None = None
        self._stop_on_entry = False
        self.breakpoints = ClientBreakpoints()
        # The threads the client was last told of (``thread`` events tell the changes).
        self._threads: set[int] = set()
        self.finished = False

    # -- messages ---------------------------------------------------------------------------

    def message(self) -> int:
        self._seq += 1
        return self._seq

    def event(self, name: str, body: dict | None = None) -> None:
        self._send({"seq": self.message(), "type": "event", "event": name,
                    **({"body": body} if body is not None else {})})

    def handle(self, request: dict) -> None:
        """Answer one request; afterwards tell what running the program led to."""
        command = request.get("command", "")
        method = REQUESTS.get(command)
        handler = getattr(self, method) if method is not None else None
        after: Callable[[], None] | None = None
        try:
            if handler is None:
                raise RequestError(f"deet does not support the '{command}' request")
            body = handler(request.get("arguments") or {})
            if isinstance(body, tuple):
                body, after = body
            self._respond(request, True, body)
        except RequestError as exc:
            self._respond(request, False, None, str(exc))
        except (DebuggerError, DebugInfoError, MemoryAccessError) as exc:
            self._respond(request, False, None, str(exc))
        except Exception as exc:  # noqa: BLE001 - one failed request, not the end of the session
            self._respond(request, False, None,
                          f"deet: internal error: {type(exc).__name__}: {exc}")
        if after is not None:
            after()

    def _respond(self, request: dict, success: bool, body: dict | None,
                 message: str | None = None) -> None:
        response = {"seq": self.message(), "type": "response", "request_seq": request.get("seq"),
                    "command": request.get("command"), "success": success}
        if body is not None:
            response["body"] = body
        if message is not None:
            response["message"] = message
            response["body"] = {"error": {"id": 1, "format": message, "showUser": False}}
        self._send(response)

    def _listen(self, result: Result) -> None:
        """What the debugger announces while the program runs."""
        if isinstance(result, ProgramOutput):
            self.event("output", {"category": result.stream, "output": result.text})
        else:
            text = render.text(result)
            if text:
                self.event("output", {"category": "console", "output": text + "\n"})

    def _run(self, line: str) -> Result:
        result = execute(self._require(), line)
        assert result is not None
        return result

    def _run_program(self, line: str) -> Result:
        """A command that runs the program, hearing the client meanwhile: ``pause``
        interrupts the program (as Ctrl-C would); other requests wait until it stops.
        A stop before a breakpoint's hit condition holds is passed over."""
        self._require()
        self._paused = False
        incoming = self._incoming
        capture = self._require().capture if incoming is not None else None
        if incoming is not None and capture is not None:
            capture.inputs[incoming.fd] = self._hear
        try:
            result = self._run(line)
            while self._before_its_hit(result):
                result = self._run("continue")
            return result
        finally:
            if incoming is not None and capture is not None:
                capture.inputs.pop(incoming.fd, None)

    def _before_its_hit(self, result: Result) -> bool:
        """A stop at a breakpoint whose hit condition does not hold yet (not a pause)."""
        if (self._paused or self._ending or not isinstance(result, Stopped)
                or result.breakpoint is None):
            return False
        hit = self._require().breakpoints.get(result.breakpoint)
        return hit is not None and self.breakpoints.passes_over(hit.number, hit.hits)

    def _hear(self, _fd: int) -> None:
        incoming, debugger = self._incoming, self._require()
        assert incoming is not None
        try:
            incoming.read()
        except ProtocolError:
            incoming.closed = True
        for request in [r for r in incoming.queue if r.get("command") == "pause"]:
            incoming.queue.remove(request)
            self._respond(request, True, {})
            self._paused = debugger.clock.interrupt(debugger.current) or self._paused
        if any(r.get("command") in ("terminate", "disconnect") for r in incoming.queue):
            # The stop button: a program that runs for ever (or waits for input) would
            # otherwise never let the request be answered. The request stays queued and
            # is answered as soon as the interrupted command returns.
            self._ending = debugger.clock.interrupt(debugger.current) or self._ending
        if incoming.closed:
            debugger.clock.interrupt(debugger.current)

    def _command(self, line: str) -> Result:
        """A command that must succeed for the request to."""
        result = self._run(line)
        if isinstance(result, Error):
            raise RequestError(result.message)
        return result

    def _require(self) -> Debugger:
        if self.debugger is None:
            raise RequestError("no program: launch or attach first")
        return self.debugger

    # -- starting ---------------------------------------------------------------------------

    def _on_initialize(self, _arguments: dict) -> dict:
        return dict(CAPABILITIES)

    def _open(self, program: str) -> Debugger:
        try:
            self.debugger = Debugger(program, self._listen, capture_output=True)
        except DebugInfoError as exc:
            raise RequestError(str(exc)) from None
        return self.debugger

    def _on_launch(self, arguments: dict) -> tuple[dict, Callable[[], None]]:
        program = arguments.get("program")
        if not isinstance(program, str) or not program:
            raise RequestError("launch needs a 'program'")
        debugger = self._open(program)
        debugger.world.args = quote([str(arg) for arg in arguments.get("args") or []])
        if arguments.get("cwd"):
            self._command(f"set cwd {arguments['cwd']}")
        for name, value in (arguments.get("env") or {}).items():
            self._command(f"set environment {name} {value}")
        if arguments.get("core"):
            self._start = f"core-file {arguments['core']}"
        else:
            self._start = "run"
            self._stop_on_entry = bool(arguments.get("stopOnEntry"))
        return self._ready()

    def _ready(self) -> tuple[dict, Callable[[], None]]:
        """``initialized`` once there is a program: breakpoints can be set from then on."""
        return {}, lambda: self.event("initialized")

    def _on_attach(self, arguments: dict) -> tuple[dict, Callable[[], None]]:
        pid = arguments.get("pid", arguments.get("processId"))
        if not isinstance(pid, int) and not (isinstance(pid, str) and pid.isdigit()):
            raise RequestError("attach needs a 'pid'")
        program = arguments.get("program")
        if not program:
            try:
                program = str(Path(f"/proc/{pid}/exe").readlink())
            except PermissionError:
                # /proc hides the program of a process deet may not trace: say why.
                raise RequestError(refusal(int(pid), errno.EPERM)) from None
            except OSError as exc:
                raise RequestError(f"process {pid}: {exc.strerror}") from None
        self._open(program)
        self._start = f"attach {pid}"
        return self._ready()

    def _on_configuration_done(self, _arguments: dict) -> tuple[dict, Callable[[], None]]:
        return {}, self._begin

    def _begin(self) -> None:
        if self._start is None:
            return
        start, self._start = self._start, None
        if start == "run" and self._stop_on_entry:
            self._run("tbreak main")
        result = self._run_program(start) if start == "run" else self._run(start)
        if isinstance(result, Attached | CoreLoaded):
            self._announce(result)
            self._threads = self._thread_numbers()
            for name, body in thread_changes(set(), self._threads):
                self.event(name, body)
            self.event("stopped", {"reason": "entry" if isinstance(result, Attached)
                                   else "exception", "threadId": self._thread_id(),
                                   "allThreadsStopped": True,
                                   "description": render.text(result).splitlines()[0]})
        else:
            self._after_running(result, entry=self._stop_on_entry)

    def _announce(self, result: Result) -> None:
        text = render.text(result)
        if text:
            self.event("output", {"category": "console", "output": text + "\n"})

    # -- breakpoints ------------------------------------------------------------------------

    def _on_set_breakpoints(self, arguments: dict) -> dict:
        path = (arguments.get("source") or {}).get("path")
        if not path:
            raise RequestError("setBreakpoints needs a source path")
        wanted = arguments.get("breakpoints")
        if wanted is None:
            wanted = [{"line": line} for line in arguments.get("lines") or []]
        return {"breakpoints": self.breakpoints.replace(path, [
            Wanted(f"{path}:{int(b['line'])}", b.get("condition"), b.get("hitCondition"))
            for b in wanted], self._run)}

    def _on_set_function_breakpoints(self, arguments: dict) -> dict:
        return {"breakpoints": self.breakpoints.replace("", [
            Wanted(b["name"], b.get("condition"), b.get("hitCondition"))
            for b in arguments.get("breakpoints") or []], self._run)}

    def _on_set_exception_breakpoints(self, _arguments: dict) -> dict:
        return {"breakpoints": []}

    # -- running ----------------------------------------------------------------------------

    def _resume(self, line: str) -> tuple[dict, Callable[[], None]]:
        debugger = self._require()
        if not debugger.alive or not debugger.require_stopped().inferior.live:
            raise RequestError("The program is not being run.")
        self.references.clear()

        def go() -> None:
            self.event("continued", {"threadId": self._thread_id(), "allThreadsContinued": True})
            self._after_running(self._run_program(line))

        return {"allThreadsContinued": True}, go

    def _on_continue(self, _arguments: dict) -> tuple[dict, Callable[[], None]]:
        return self._resume("continue")

    def _on_next(self, arguments: dict) -> tuple[dict, Callable[[], None]]:
        self._select_thread(arguments.get("threadId"))
        return self._resume("next")

    def _on_step_in(self, arguments: dict) -> tuple[dict, Callable[[], None]]:
        self._select_thread(arguments.get("threadId"))
        return self._resume("step")

    def _on_step_out(self, arguments: dict) -> tuple[dict, Callable[[], None]]:
        self._select_thread(arguments.get("threadId"))
        return self._resume("finish")

    def _on_pause(self, _arguments: dict) -> dict:
        # A pause while the program runs is heard by ``_hear``; one that comes while it is
        # stopped has nothing to do.
        return {}

    def _after_running(self, result: Result, entry: bool = False) -> None:
        """The events for how a command that ran the program ended."""
        debugger = self._require()
        threads = self._thread_numbers()
        events = ending(result, self._thread_id(), debugger.alive, entry, self._paused)
        if self._ending:
            events = [(name, body) for name, body in events if name != "stopped"]
        for name, body in thread_changes(self._threads, threads) + events:
            self.event(name, body)
        self._threads = threads

    def _thread_numbers(self) -> set[int]:
        debugger = self.debugger
        if debugger is None or not debugger.alive:
            return set()
        return {thread.number for thread in debugger.require_stopped().inferior.threads()}

    # -- threads and frames -----------------------------------------------------------------

    def _thread_id(self) -> int:
        debugger = self.debugger
        if debugger is None or not debugger.alive:
            return 1
        return debugger.require_stopped().inferior.thread.number

    def _select_thread(self, number: object) -> None:
        if (isinstance(number, int) and self.debugger is not None and self.debugger.alive
                and number != self._thread_id()):
            self._command(f"thread {number}")

    def _on_threads(self, _arguments: dict) -> dict:
        debugger = self.debugger
        if debugger is None or not debugger.alive:
            return {"threads": [{"id": 1, "name": "main"}]}
        threads = self._command("info threads")
        assert isinstance(threads, ThreadList)
        return thread_list(threads)

    def _on_stack_trace(self, arguments: dict) -> dict:
        debugger = self._require()
        self._select_thread(arguments.get("threadId"))
        return stack_frames(debugger, self._thread_id(), int(arguments.get("startFrame") or 0),
                            int(arguments.get("levels") or 0))

    def _frame(self, frame_id: object) -> int:
        """Select the thread and frame of a frame id; its level."""
        if not isinstance(frame_id, int):
            return self._require().stack.selected
        self._select_thread(frame_id // FRAMES)
        level = frame_id % FRAMES
        self._require().stack.select(level)
        return level

    def _frame_key(self) -> int:
        """The frame id of the selected frame, for a request that named none: what a
        reference made then remembers, so that expanding it later reads the same frame."""
        return self._thread_id() * FRAMES + self._require().stack.selected

    def _on_scopes(self, arguments: dict) -> dict:
        frame_id = arguments.get("frameId")
        self._frame(frame_id)
        # What the scopes' references remember of their frame (``_frame`` reads it back).
        frame = frame_id if isinstance(frame_id, int) else self._frame_key()
        return scopes(frame, self._run, self.references)

    def _on_variables(self, arguments: dict) -> dict:
        reference = int(arguments.get("variablesReference") or 0)
        return {"variables": self.references.children(reference, self._value_in)}

    def _value_in(self, frame_id: int, expression: str) -> Shown | None:
        self._frame(frame_id)
        result = self._run(f"print {expression}")
        return result.value if isinstance(result, Printed) else None

    # -- expressions ------------------------------------------------------------------------

    def _on_evaluate(self, arguments: dict) -> dict | tuple[dict, Callable[[], None]]:
        expression = str(arguments.get("expression") or "")
        frame_id = arguments.get("frameId")
        if self.debugger is not None and self.debugger.alive and frame_id is not None:
            self._frame(frame_id)
        if arguments.get("context") == "repl":
            # Any deet command; one that ran the program (``continue`` typed in the debug
            # console) is told as a stop or an end, as the buttons' requests are.
            result = self._run_program(expression)
            answer = {"result": render.text(result), "variablesReference": 0}
            if not isinstance(result, RAN):
                return answer
            self.references.clear()
            return answer, lambda: self._after_running(result)
        result = self._run(f"print {expression}")
        if isinstance(result, Error):
            raise RequestError(result.message)
        assert isinstance(result, Printed)
        frame = frame_id if isinstance(frame_id, int) else self._frame_key()
        return {"result": value_text(result.value),
                "variablesReference": self.references.expand(frame, result.value,
                                                             expression)}

    def _on_set_variable(self, arguments: dict) -> dict:
        """``print EXPR = VALUE`` in the variable's own frame, EXPR being the path the
        client's reference leads to (``(p).x`` for member ``x`` of ``p``)."""
        name, value = str(arguments.get("name")), str(arguments.get("value"))
        reference = int(arguments.get("variablesReference") or 0)
        found = self.references.assignable(reference, name)
        if found is None:
            raise RequestError(f"no variable '{name}' in reference {reference} (references "
                               "last until the program runs)")
        frame, expression = found
        self._frame(frame)
        result = self._command(f"print {expression} = {value}")
        assert isinstance(result, Printed)
        text, register = value_text(result.value, top=False), None
        if expression.startswith("$"):
            # A register: in hex, as the Registers scope shows it.
            hexed = self._command(f"print/x {expression}")
            assert isinstance(hexed, Printed)
            text = register = value_text(hexed.value, top=False, fmt=hexed.format)
        self.references.refresh(frame, expression, self._value_in, register)
        return {"value": text}

    # -- the end ----------------------------------------------------------------------------

    def _on_disconnect(self, arguments: dict) -> dict:
        """A launched program is killed, an attached one let go of, unless the client
        says otherwise (``terminateDebuggee``); answered once that is done, since a
        client may end the adapter as soon as it has the answer."""
        current = self.debugger.current if self.debugger is not None else None
        attached = current is not None and current.inferior.attached
        self._finish(bool(arguments.get("terminateDebuggee", not attached)))
        return {}

    def _on_terminate(self, _arguments: dict) -> tuple[dict, Callable[[], None]]:
        """Kill the program and say ``terminated``; the adapter stays for the
        ``disconnect`` a client sends next (VS Code's test client waits for its answer)."""

        def end() -> None:
            debugger = self.debugger
            if debugger is not None and debugger.alive and debugger.require_stopped(
                    ).inferior.live:
                self._run("kill")
            self.event("terminated")

        return {}, end

    def _finish(self, kill: bool) -> None:
        """Kill the program (or detach, from one deet attached to, unless asked to kill
        it), then leave."""
        debugger = self.debugger
        if debugger is not None:
            if kill and debugger.alive and debugger.require_stopped().inferior.live:
                self._run("kill")
            debugger.shutdown()
        self.finished = True
