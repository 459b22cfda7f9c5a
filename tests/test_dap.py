"""``deet dap`` at the protocol level: a client of the tests' own (tests/dap_client.py)
speaks DAP to it as an editor does, and what it answers is held to gdb's answers on the
same program (frames, arguments, locals, values) and to deet's own commands."""

from __future__ import annotations

import contextlib
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from dap_client import DapClient
from support import (
    ROOT,
    build,
    deet,
    gdb_batch,
    gdb_frames,
    have_gdb,
    program,
    same_file,
    sample,
)

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")

CRASH = ROOT / "tests" / "programs" / "crash.c"
FLAGS = ("-O0", "-g", "-no-pie", "-fno-omit-frame-pointer", "-pthread")


@contextlib.contextmanager
def session(**launch: object) -> Iterator[DapClient]:
    """initialize and launch (or attach); the caller sets breakpoints and says
    configurationDone."""
    client = DapClient()
    try:
        assert client.request("initialize", adapterID="deet")["success"]
        kind = "attach" if "pid" in launch else "launch"
        response = client.request(kind, **launch)
        assert response["success"], response
        client.event("initialized")
        yield client
    finally:
        if client.process.poll() is None:
            with contextlib.suppress(TimeoutError, EOFError):
                client.request("disconnect")
        client.close()


def _frames(client: DapClient) -> list[dict]:
    return client.request("stackTrace", threadId=1)["body"]["stackFrames"]


def _variables(client: DapClient, reference: int) -> dict[str, dict]:
    found = client.request("variables", variablesReference=reference)["body"]["variables"]
    return {v["name"]: v for v in found}


def _scopes(client: DapClient, frame_id: int) -> dict[str, int]:
    scopes = client.request("scopes", frameId=frame_id)["body"]["scopes"]
    return {s["name"]: s["variablesReference"] for s in scopes}


def test_breakpoints_frames_and_variables_are_gdb_s():
    program = sample("function_calls")
    source = str(ROOT / "samples" / "function_calls.c")
    gdb_bt = gdb_batch(program, "break add", "run", "bt")
    gdb = gdb_batch(program, "break add", "run", "info args", "up", "info locals")
    with session(program=str(program)) as client:
        lines = client.request("setBreakpoints", source={"path": source},
                               breakpoints=[{"line": 6}])["body"]["breakpoints"]
        assert lines == [{"id": 0, "verified": True, "line": 6, "source": {"path": source}}]
        functions = client.request("setFunctionBreakpoints",
                                   breakpoints=[{"name": "nosuch"}])["body"]["breakpoints"]
        assert functions[0]["verified"] is False
        assert client.request("configurationDone")["success"]
        stopped = client.event("stopped")["body"]
        assert stopped["reason"] == "breakpoint" and stopped["hitBreakpointIds"] == [0]
        frames = _frames(client)
        expected = gdb_frames(gdb_bt)
        assert [(f["name"], f["line"]) for f in frames] == [(e.function, e.line)
                                                            for e in expected]
        assert all(same_file(f["source"]["path"], e.file)
                   for f, e in zip(frames, expected, strict=True))
        arguments = _variables(client, _scopes(client, frames[0]["id"])["Arguments"])
        for name, variable in arguments.items():
            assert f"{name} = {variable['value']}" in gdb.splitlines()
        assert set(arguments) == {"a", "b"}
        locals_ = _variables(client, _scopes(client, frames[1]["id"])["Locals"])
        assert [f"{n} = {v['value']}" for n, v in locals_.items()] == [
            line for line in gdb.splitlines() if line.startswith("result = ")]
        registers = _variables(client, _scopes(client, frames[0]["id"])["Registers"])
        assert registers["rip"]["value"] == hex(int(frames[0]["instructionPointerReference"],
                                                    16))
        assert client.event("thread")["body"] == {"reason": "started", "threadId": 1}
        client.request("continue", threadId=1)
        assert client.event("exited")["body"] == {"exitCode": 0}
        assert client.event("thread")["body"] == {"reason": "exited", "threadId": 1}
        client.event("terminated")
        output = client.output()
        assert "add(10, 5) = 15\n" in output and "main got 15\n" in output


def test_structs_arrays_and_pointers_expand_to_gdb_s_values():
    program = build([CRASH], FLAGS, "crash")
    gdb = gdb_batch(program, "break walk if depth == 0", "run", "print p.x", "print p.y",
                    "print p.label", "print squares[3]", "print origin.label",
                    "print $_siginfo", args=("main",), errors=False)
    values = [line.split(" = ", 1)[1] for line in gdb.splitlines() if line.startswith("$")]
    with session(program=str(program), args=["main"]) as client:
        client.request("setFunctionBreakpoints",
                       breakpoints=[{"name": "walk", "condition": "depth == 0"}])
        client.request("configurationDone")
        assert client.event("stopped")["body"]["reason"] == "breakpoint"
        frame = _frames(client)[0]
        scopes = _scopes(client, frame["id"])
        p = _variables(client, scopes["Arguments"])["p"]
        assert p["variablesReference"] > 0
        members = _variables(client, p["variablesReference"])
        assert [members[n]["value"] for n in ("x", "y", "label")] == values[:3]
        squares = _variables(client, scopes["Locals"])["squares"]
        assert _variables(client, squares["variablesReference"])["[3]"]["value"] == values[3]
        assert _variables(client, scopes["Locals"])["nowhere"]["variablesReference"] == 0
        pointer = client.request("evaluate", expression="&origin", frameId=frame["id"],
                                 context="watch")["body"]
        assert pointer["result"].startswith("(struct point *) 0x")
        (target,) = _variables(client, pointer["variablesReference"]).values()
        assert target["name"] == "*(&origin)"
        assert _variables(client, target["variablesReference"])["label"]["value"] == values[4]


def test_the_repl_runs_deet_commands_as_the_command_line_does():
    program = sample("function_calls")
    batch = deet("--batch", "-ex", "break compute", "-ex", "run", "-ex", "info locals",
                 "-ex", "bt", "-ex", "print nosuch", program).lines
    with session(program=str(program)) as client:
        client.request("setFunctionBreakpoints", breakpoints=[{"name": "compute"}])
        client.request("configurationDone")
        client.event("stopped")
        for command in ("info locals", "bt"):
            answer = client.request("evaluate", expression=command, context="repl")["body"]
            lines = answer["result"].splitlines()
            start = batch.index(lines[0])
            assert batch[start:start + len(lines)] == lines
        failed = client.request("evaluate", expression="nosuch", context="hover")
        assert failed["success"] is False and failed["message"] == batch[-1]
        step = client.request("next", threadId=1)
        assert step["success"]
        assert client.event("stopped")["body"]["reason"] == "step"
        assert _frames(client)[0]["line"] == 17


def test_a_signal_stops_with_its_text_and_stepping_out_of_main_ends():
    program = sample("segfault")
    with session(program=str(program), stopOnEntry=True) as client:
        client.request("configurationDone")
        entry = client.event("stopped")["body"]
        assert entry["reason"] == "entry"
        assert _frames(client)[0]["name"] == "main"
        client.request("continue", threadId=1)
        stopped = client.event("stopped")["body"]
        assert stopped["reason"] == "signal"
        assert stopped["description"] == "Child stopped (signal SIGSEGV)"
        # The text is the stop report the command line prints.
        assert stopped["text"].splitlines() == deet("--batch", "-ex", "run", program).lines
        assert [f["name"] for f in _frames(client)] == ["func2", "func1", "main"]
        client.request("continue", threadId=1)
        assert client.event("exited")["body"]["exitCode"] == 128
        client.event("terminated")


def test_a_core_file_and_an_attached_process(tmp_path):
    program = build([CRASH], FLAGS, "crash")
    core = tmp_path / "crash.core"
    subprocess.run(["gdb", "-nx", "-batch", "-ex", "run", "-ex", f"gcore {core}", "--args",
                    str(program), "main"], capture_output=True, timeout=120, check=True,
                   stdin=subprocess.DEVNULL)
    gdb = subprocess.run(["gdb", "-nx", "-batch", "-ex", "echo BT\\n", "-ex", "bt",
                          "-ex", "frame 1", "-ex", "info locals", "-ex", "info args",
                          str(program), str(core)], capture_output=True, text=True,
                         timeout=120, stdin=subprocess.DEVNULL).stdout.split("BT\n", 1)[1]
    with session(program=str(program), core=str(core)) as client:
        client.request("configurationDone")
        stopped = client.event("stopped")["body"]
        assert stopped["reason"] == "exception"
        frames = _frames(client)
        # gdb's bt (the last frame line is frame 1's own report).
        assert [(f["name"], f["line"]) for f in frames] == [
            (e.function, e.line) for e in gdb_frames(gdb)[:-1]]
        # A caller's locals and arguments, as gdb reads them from the same core.
        scopes = _scopes(client, frames[1]["id"])
        shown = [f"{name} = {v['value']}" for scope in ("Locals", "Arguments")
                 for name, v in _variables(client, scopes[scope]).items()]
        assert shown == gdb.splitlines()[-len(shown):] and len(shown) == 5
        refused = client.request("continue", threadId=1)
        assert refused["success"] is False
        assert refused["message"] == "The program is not being run."
    sleeper = subprocess.Popen([str(sample("sleepy_print")), "1000"],
                               stdout=subprocess.DEVNULL)
    try:
        # A string, as launch.json's ${command:pickProcess} gives it (an int elsewhere).
        with session(pid=str(sleeper.pid)) as client:
            client.request("configurationDone")
            assert client.event("stopped")["body"]["reason"] == "entry"
            assert "main" in [f["name"] for f in _frames(client)]
            assert client.request("disconnect")["success"]
        time.sleep(0.3)
        status = Path(f"/proc/{sleeper.pid}/status").read_text()
        assert "TracerPid:\t0" in status and sleeper.poll() is None
    finally:
        sleeper.kill()
        sleeper.wait()


def test_an_unknown_request_fails_and_the_session_goes_on():
    with session(program=str(sample("hello"))) as client:
        answer = client.request("goto", threadId=1, targetId=1)
        assert answer["success"] is False
        assert answer["message"] == "deet does not support the 'goto' request"
        assert client.request("threads")["success"]


def test_threads_are_listed_and_announced():
    program = sample("threads")
    with session(program=str(program)) as client:
        client.request("setFunctionBreakpoints", breakpoints=[{"name": "tick"}])
        client.request("configurationDone")
        stopped = client.event("stopped")["body"]
        threads = client.request("threads")["body"]["threads"]
        assert len(threads) >= 2
        assert stopped["threadId"] in [t["id"] for t in threads]
        started = sorted(client.event("thread")["body"]["threadId"] for _ in threads)
        assert started == sorted(t["id"] for t in threads)
        frames = client.request("stackTrace", threadId=stopped["threadId"])["body"]
        assert frames["stackFrames"][0]["name"] == "tick"


def test_pause_stops_a_running_program_where_it_is():
    program = sample("spin")
    with session(program=str(program)) as client:
        client.request("configurationDone")
        time.sleep(0.5)
        for _ in range(2):
            assert client.request("pause", threadId=1)["success"]
            stopped = client.event("stopped")["body"]
            assert stopped["reason"] == "pause"
            frame = _frames(client)[0]
            assert frame["name"] == "main" and frame["source"]["path"].endswith("spin.c")
            assert client.request("continue", threadId=1)["success"]
            client.event("continued")
        assert client.request("pause", threadId=1)["success"]
        assert client.event("stopped")["body"]["reason"] == "pause"


@pytest.mark.parametrize(("hit", "hits"), [("3", [3, 4, 5]), ("== 2", [2]), ("% 2", [2, 4])])
def test_hit_conditions_stop_at_the_hits_gdb_counts(hit, hits):
    program = sample("recursion")
    # gdb's own count: the n of each hit of factorial, in order.
    gdb = gdb_batch(program, "break factorial", "run", *["print n", "continue"] * 5)
    ns = [int(line.split(" = ")[1]) for line in gdb.splitlines() if line.startswith("$")]
    assert len(ns) == 5
    with session(program=str(program)) as client:
        answer = client.request("setFunctionBreakpoints", breakpoints=[
            {"name": "factorial", "hitCondition": hit}])["body"]["breakpoints"]
        assert answer[0]["verified"]
        source = {"path": str(ROOT / "samples" / "recursion.c")}
        bad = client.request("setBreakpoints", source=source,
                             breakpoints=[{"line": 11, "hitCondition": "often"}])
        assert bad["body"]["breakpoints"][0]["verified"] is False
        client.request("configurationDone")
        seen = []
        for _ in hits:
            assert client.event("stopped")["body"]["reason"] == "breakpoint"
            frame = _frames(client)[0]["id"]
            value = client.request("evaluate", expression="n", frameId=frame, context="watch")
            seen.append(int(value["body"]["result"]))
            client.request("continue", threadId=1)
        client.event("terminated")
        assert seen == [ns[index - 1] for index in hits]


def test_a_command_that_runs_the_program_in_the_repl_is_told_as_a_stop():
    program = sample("function_calls")
    with session(program=str(program)) as client:
        client.request("setFunctionBreakpoints", breakpoints=[{"name": "compute"}])
        client.request("configurationDone")
        client.event("stopped")
        answer = client.request("evaluate", expression="break add", context="repl")
        assert answer["body"]["result"].startswith("Set breakpoint 1 at 0x")
        ran = client.request("evaluate", expression="continue", context="repl")["body"]
        assert ran["result"].splitlines()[0] == "Child stopped (signal SIGTRAP)"
        stopped = client.event("stopped")["body"]
        assert stopped["reason"] == "breakpoint" and stopped["hitBreakpointIds"] == [1]
        assert _frames(client)[0]["name"] == "add"
        client.request("evaluate", expression="continue", context="repl")
        client.event("terminated")


def _gdb_values(text: str) -> list[str]:
    """The values of gdb's ``print``s, in order."""
    return [line.split(" = ", 1)[1] for line in text.splitlines() if line.startswith("$")]


def test_set_variable_assigns_in_the_frame_and_value_it_was_shown_in():
    """A member (``x`` of ``p``), an element (``[2]``), a register and a caller's argument,
    each named as the client names them, set in the frame of the reference they came from
    (the frame selected since is another), and the values afterwards are gdb's after the
    same assignments."""
    program = build([CRASH], FLAGS, "crash")
    gdb = _gdb_values(gdb_batch(
        program, "break walk if depth == 0", "run", "print p.x = 11",
        "print squares[2] = 40", "print $rax = 12", "print/x $rax", "up", "print depth = 9",
        "down", "print p", "print squares", "print $rax", "print depth", "up", "print depth",
        args=("main",)))
    assigned, after = [gdb[0], gdb[1], gdb[3], gdb[4]], gdb[5:]
    with session(program=str(program), args=["main"]) as client:
        client.request("setFunctionBreakpoints",
                       breakpoints=[{"name": "walk", "condition": "depth == 0"}])
        client.request("configurationDone")
        client.event("stopped")
        inner, outer = (frame["id"] for frame in _frames(client)[:2])
        scopes = _scopes(client, inner)
        p = _variables(client, scopes["Arguments"])["p"]["variablesReference"]
        squares = _variables(client, scopes["Locals"])["squares"]["variablesReference"]
        caller = _scopes(client, outer)["Arguments"]  # frame 1 is selected now
        answers = [client.request("setVariable", variablesReference=reference, name=name,
                                  value=value)
                   for reference, name, value in ((p, "x", "11"), (squares, "[2]", "40"),
                                                  (scopes["Registers"], "rax", "12"),
                                                  (caller, "depth", "9"))]
        # A register's new value in hex, as the Registers scope shows registers.
        assert [a["body"]["value"] for a in answers] == assigned

        def value(expression: str, frame: int) -> str:
            return client.request("evaluate", expression=expression, frameId=frame,
                                  context="watch")["body"]["result"]

        assert [value("p", inner), value("squares", inner), value("$rax", inner),
                value("depth", inner), value("depth", outer)] == after
        # Asked again, the references show the new values, the whole struct's too.
        assert _variables(client, p)["x"]["value"] == after[0].split(", ")[0].split(" = ")[1]
        assert _variables(client, scopes["Arguments"])["p"]["value"] == after[0]
        assert _variables(client, squares)["[2]"]["value"] == gdb[1]
        assert _variables(client, scopes["Registers"])["rax"]["value"] == gdb[3]
        assert _variables(client, caller)["depth"]["value"] == gdb[4]
        stale = client.request("setVariable", variablesReference=10_000, name="x", value="1")
        assert stale["success"] is False


def test_step_in_enters_the_call_gdb_s_step_enters():
    program = sample("function_calls")
    source = str(ROOT / "samples" / "function_calls.c")
    gdb = gdb_frames(gdb_batch(program, "break 17", "run", "step", "bt"))
    with session(program=str(program)) as client:
        client.request("setBreakpoints", source={"path": source}, breakpoints=[{"line": 17}])
        client.request("configurationDone")
        client.event("stopped")
        assert client.request("stepIn", threadId=1)["success"]
        client.event("continued")
        assert client.event("stopped")["body"]["reason"] == "step"
        assert [(f["name"], f["line"]) for f in _frames(client)] == [
            (e.function, e.line) for e in gdb]


def test_a_line_breakpoint_s_condition_stops_where_gdb_s_does():
    program = sample("recursion")
    source = str(ROOT / "samples" / "recursion.c")
    gdb = gdb_batch(program, "break recursion.c:4 if n == 2", "run", "bt", "print n")
    with session(program=str(program)) as client:
        answer = client.request("setBreakpoints", source={"path": source},
                                breakpoints=[{"line": 4, "condition": "n == 2"}])
        assert answer["body"]["breakpoints"][0]["verified"]
        assert client.request("setExceptionBreakpoints", filters=[])["body"] == {
            "breakpoints": []}
        client.request("configurationDone")
        assert client.event("stopped")["body"]["reason"] == "breakpoint"
        frames = _frames(client)
        assert [(f["name"], f["line"]) for f in frames] == [
            (e.function, e.line) for e in gdb_frames(gdb)]
        n = client.request("evaluate", expression="n", frameId=frames[0]["id"],
                           context="watch")["body"]["result"]
        assert [n] == _gdb_values(gdb)


def test_launch_gives_the_program_its_arguments_directory_environment_and_streams(tmp_path):
    """What world and sleepy_print write under deet dap, stream by stream, is what they
    write run directly with the same arguments, directory and environment."""
    world = program("world")
    arguments = ["two words", "*", "$HOME"]
    direct = subprocess.run([str(world), *arguments], cwd=tmp_path, capture_output=True,
                            text=True, env={"DEET_WORLD": "dap value"}, timeout=60,
                            stdin=subprocess.DEVNULL)
    expected = direct.stdout  # world then copies its input, which deet's never ends
    with session(program=str(world), args=arguments, cwd=str(tmp_path),
                 env={"DEET_WORLD": "dap value"}) as client:
        client.request("configurationDone")
        seen = ""
        while len(seen) < len(expected):
            event = client.event("output")["body"]
            assert event["category"] == "stdout"
            seen += event["output"]
        assert seen == expected
    usage = sample("sleepy_print")
    direct = subprocess.run([str(usage)], capture_output=True, text=True, timeout=60)
    with session(program=str(usage)) as client:
        client.request("configurationDone")
        assert client.event("exited")["body"] == {"exitCode": direct.returncode}
        client.event("terminated")
        streams = [(e["body"]["category"], e["body"]["output"]) for e in client.events
                   if e["event"] == "output" and e["body"]["category"] != "console"]
        assert streams == [("stderr", direct.stderr)]


def _children(pid: int) -> list[int]:
    """The processes ``pid`` started that are still there (deet dap's: the program)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(word) for word in path.read_text().split()]


@pytest.mark.parametrize("request_", ["terminate", "disconnect"])
def test_the_stop_button_ends_a_program_that_never_stops(request_):
    """``terminate`` and ``disconnect`` while the program runs (spin loops for ever) are
    answered at once, not when it next stops (never), and the program is gone."""
    with session(program=str(sample("spin"))) as client:
        client.request("configurationDone")
        deadline = time.monotonic() + 60
        while not _children(client.process.pid):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        (program_pid,) = _children(client.process.pid)
        time.sleep(0.3)  # spinning, past main's first line
        answer = client.request(request_, timeout=30)
        assert answer["success"], answer
        if request_ == "terminate":
            client.event("terminated", timeout=30)
            assert not Path(f"/proc/{program_pid}").exists()
            # The adapter stays for the disconnect a client sends after terminate.
            assert client.request("disconnect", timeout=30)["success"]
        assert client.process.wait(timeout=30) == 0
        assert not [e for e in client.events if e["event"] == "stopped"]
        assert not Path(f"/proc/{program_pid}").exists()


def test_frames_may_come_together_or_in_pieces_and_each_answer_is_one_frame():
    """Content-Length framing as a client's writes really arrive: two requests in one
    write, one request split inside its header and its body; and a frame that is not one
    ends the adapter with a line saying why."""
    client = DapClient()
    try:
        stdin = client.process.stdin
        assert stdin is not None

        def frame(seq: int, command: str) -> bytes:
            body = json.dumps({"seq": seq, "type": "request", "command": command,
                               "arguments": {"adapterID": "deet"}}).encode()
            return b"Content-Length: %d\r\n\r\n" % len(body) + body

        stdin.write(frame(1, "initialize") + frame(2, "threads"))
        stdin.flush()
        split = frame(3, "threads")
        for piece in (split[:9], split[9:30], split[30:]):
            stdin.write(piece)
            stdin.flush()
            time.sleep(0.2)
        client._seq = 3
        for seq in (1, 2, 3):
            while seq not in client.responses:
                client._read(time.monotonic() + 60)
        assert [client.responses[seq]["command"] for seq in (1, 2, 3)] == [
            "initialize", "threads", "threads"]
        assert client.responses[1]["body"]["supportsConfigurationDoneRequest"] is True
        stdin.write(b"Content-Length: 2\r\n\r\n[]")
        stdin.flush()
        assert client.process.wait(timeout=30) == 1
        assert client.process.stderr is not None
        assert client.process.stderr.read().decode().splitlines() == [
            "deet dap: a message must be a JSON object"]
    finally:
        client.process.kill()
        client.process.wait()


def test_an_attached_process_stops_at_breakpoints_and_runs_on_after_disconnect():
    """attach by pid, a function breakpoint hit in the attached process with gdb's frames
    (gdb attached to the same process), and disconnect: untraced, running, no int3 left
    (tick runs every 2 ms; one left in it would kill the process with SIGTRAP)."""
    target = build([ROOT / "tests" / "programs" / "attach_target.c"], FLAGS, "attach_target")
    process = subprocess.Popen([str(target), "loop"], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().split() == ["ready", str(process.pid)]
        gdb = subprocess.run(["gdb", "-nx", "-batch", "-p", str(process.pid), "-ex",
                              "break tick", "-ex", "continue", "-ex", "bt"],
                             capture_output=True, text=True, timeout=120,
                             stdin=subprocess.DEVNULL).stdout
        with session(pid=process.pid) as client:
            client.request("setFunctionBreakpoints", breakpoints=[{"name": "tick"}])
            client.request("configurationDone")
            assert client.event("stopped")["body"]["reason"] == "entry"
            client.request("continue", threadId=1)
            stopped = client.event("stopped")["body"]
            assert stopped["reason"] == "breakpoint"
            frames = client.request("stackTrace", threadId=stopped["threadId"])["body"]
            assert [(f["name"], f["line"]) for f in frames["stackFrames"]] == [
                (e.function, e.line) for e in gdb_frames(gdb)]
            assert client.request("disconnect")["success"]
        time.sleep(0.5)
        status = Path(f"/proc/{process.pid}/status").read_text()
        assert "TracerPid:\t0" in status and process.poll() is None
    finally:
        process.kill()
        process.wait(timeout=30)


def test_pause_and_disconnect_reach_an_attached_program_while_it_runs():
    """An attached process writes to its own terminal, not deet's: pause and disconnect
    sent while it runs are heard all the same (the stop is the pause's SIGINT, told as
    the command line tells it), and after disconnect it runs on untraced."""
    target = build([ROOT / "tests" / "programs" / "attach_target.c"], FLAGS, "attach_target")
    process = subprocess.Popen([str(target), "loop"], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().split() == ["ready", str(process.pid)]
        with session(pid=process.pid) as client:
            client.request("configurationDone")
            client.event("stopped")
            client.request("continue", threadId=1)
            time.sleep(0.5)
            assert client.request("pause", threadId=1, timeout=30)["success"]
            stopped = client.event("stopped", timeout=30)["body"]
            assert stopped["reason"] == "pause"
            assert stopped["description"] == "Child stopped (signal SIGINT)"
            client.request("continue", threadId=1)
            time.sleep(0.3)
            assert client.request("disconnect", timeout=30)["success"]
            assert client.process.wait(timeout=30) == 0
        time.sleep(0.5)
        status = Path(f"/proc/{process.pid}/status").read_text()
        assert "TracerPid:\t0" in status and process.poll() is None
    finally:
        process.kill()
        process.wait(timeout=30)
