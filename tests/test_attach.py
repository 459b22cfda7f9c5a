"""attach, detach, ``deet -p PID`` and ``deet PROGRAM PID``: a process deet did not start,
taken hold of with every thread, compared with gdb attached to the same process, and let
go of untraced (and running) by ``detach`` and by ``quit``."""

from __future__ import annotations

import contextlib
import ctypes
import os
import pwd
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest
from dap_client import DapClient
from support import (
    ROOT,
    build,
    deet,
    deet_command,
    deet_frames,
    gdb_frames,
    have_gdb,
    same_file,
)

pytestmark = pytest.mark.skipif(not have_gdb(), reason="gdb is the oracle")

FLAGS = ("-O0", "-g", "-no-pie", "-fno-omit-frame-pointer", "-pthread")
PIE = ("-g", "-pthread")


def target(flags: tuple[str, ...] = FLAGS) -> Path:
    return build([ROOT / "tests" / "programs" / "attach_target.c"], flags, "attach_target")


@contextlib.contextmanager
def running(mode: str, flags: tuple[str, ...] = FLAGS) -> Iterator[subprocess.Popen]:
    """The target started by the test (not by a debugger), once it has said it is ready;
    killed and reaped afterwards whatever the test did to it."""
    process = subprocess.Popen([str(target(flags)), mode], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().split() == ["ready", str(process.pid)]
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait(timeout=30)


def status_field(pid: int, name: str) -> str:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key == name:
            return value.strip()
    raise AssertionError(f"no {name} in /proc/{pid}/status")


def _task_states(pid: int) -> dict[int, tuple[str, str]]:
    """Each thread's state letter and tracer, from /proc/PID/task."""
    states = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        fields = dict(line.split(":\t", 1) for line in (task / "status").read_text()
                      .splitlines() if ":\t" in line)
        states[int(task.name)] = (fields["State"][0], fields["TracerPid"].strip())
    return states


def runs_untraced(pid: int) -> bool:
    """The process is not traced, not stopped, and still alive a moment later (an int3
    left in its code would have killed it with SIGTRAP)."""
    time.sleep(0.3)
    return (status_field(pid, "TracerPid") == "0"
            and status_field(pid, "State")[0] in "SR")


def gdb_attached(pid: int, *commands: str) -> str:
    argv = ["gdb", "-nx", "-batch", "-p", str(pid)]
    for command in commands:
        argv += ["-ex", command]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL).stdout


def _split_threads(text: str) -> list[str]:
    """gdb's ``thread apply all bt``, one block per thread, in thread-number order."""
    blocks = text.split("\nThread ")[1:]
    return [block for _, block in sorted((int(b.split()[0]), b) for b in blocks)]


@pytest.mark.parametrize("flags", [FLAGS, PIE], ids=["course", "pie"])
def test_every_thread_s_backtrace_after_attach_is_gdb_s(flags):
    with running("park", flags) as process:
        gdb = _split_threads(gdb_attached(process.pid, "thread apply all bt"))
        run = deet("--batch", "-p", process.pid, "-ex", "thread 1", "-ex", "bt",
                   "-ex", "thread 2", "-ex", "bt", "-ex", "thread 3", "-ex", "bt")
        assert run.lines[0] == f"Attaching to program: {target(flags)}, process {process.pid}"
        blocks = "\n".join(run.lines).split("[Switching to thread ")[1:]
        assert len(gdb) == len(blocks) == 3
        for gdb_block, deet_block in zip(gdb, blocks, strict=True):
            expected, got = gdb_frames(gdb_block), deet_frames(deet_block.splitlines())
            assert [f.function for f in got] == [f.function for f in expected]
            assert [f.line for f in got] == [f.line for f in expected]
            assert all(same_file(g.file, e.file) for g, e in zip(got, expected, strict=True))
        assert runs_untraced(process.pid)


def _thread_frames(text: str) -> list[str]:
    """The Frame column of ``info threads``, whatever each debugger calls a thread."""
    return [line.split('" ', 1)[1] for line in text.splitlines()
            if line[:1] in "* " and "LWP " in line and '" ' in line]


def test_the_attach_report_threads_and_values_are_gdb_s():
    with running("park") as process:
        commands = ("info threads", "frame 2", "print fd", "print ticks")
        gdb = gdb_attached(process.pid, *commands).splitlines()
        run = deet("--batch", "-ex", f"attach {process.pid}",
                   *[word for command in commands for word in ("-ex", command)], target())
        lines = run.lines
        assert lines[0] == f"Attaching to program: {target()}, process {process.pid}"
        assert lines[1] in gdb and lines[1].startswith("__GI___libc_read (")
        assert len(_thread_frames(run.stdout)) == 3
        assert _thread_frames(run.stdout) == _thread_frames("\n".join(gdb))
        frame = next(line for line in gdb if line.startswith("#2 "))
        assert lines[lines.index(frame) + 1:][:3] == gdb[gdb.index(frame) + 1:][:3]
        assert lines[-2:] == ["$1 = 3", "$2 = 0"]


def test_a_breakpoint_after_attach_stops_and_detach_takes_it_out():
    with running("loop") as process:
        run = deet("--batch", "-ex", "break tick", "-ex", "continue", "-ex", "print step",
                   "-ex", "bt", "-ex", "detach", "-ex", "info inferiors", target(),
                   str(process.pid))
        assert "Breakpoint" not in run.stderr, run.stderr
        lines = run.lines
        assert lines[0] == f"Attaching to program: {target()}, process {process.pid}"
        stop = lines.index("Child stopped (signal SIGTRAP)")
        assert lines[stop + 2].endswith("ticks += step;")
        assert "$1 = 1" in lines
        assert [f.function for f in deet_frames(lines)][:2] == ["tick", "main"]
        detach = lines.index(f"Detaching from program: {target()}, process {process.pid}")
        assert lines[detach + 1] == f"[Inferior 1 (process {process.pid}) detached]"
        # The int3 on tick is gone: the program goes on calling it, untraced.
        assert runs_untraced(process.pid)
        assert process.poll() is None


def test_quit_after_attach_detaches_rather_than_kills():
    with running("loop") as process:
        run = deet(target(), stdin=f"attach {process.pid}\nbreak tick\ncontinue\nquit\n")
        assert f"Detaching from program: {target()}, process {process.pid}" in run.lines
        assert "Killing" not in run.stdout
        assert runs_untraced(process.pid)


def test_the_end_of_a_batch_leaves_an_attached_process_running():
    with running("loop") as process:
        run = deet("--batch", "-p", process.pid, "-ex", "break tick", "-ex", "continue")
        assert run.returncode == 0, run.stderr
        assert runs_untraced(process.pid)


def test_kill_after_attach_kills_it_as_gdb_does():
    with running("park") as process:
        run = deet("--batch", "-p", process.pid, "-ex", "kill")
        assert run.lines[-1] == f"Killing running inferior (pid {process.pid})"
        assert process.wait(timeout=30) == -9


def test_refusals_are_one_line_each():
    with running("park") as process:
        gdb = subprocess.Popen(["gdb", "-nx", "-batch", "-p", str(process.pid),
                                "-ex", "shell sleep 3"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while status_field(process.pid, "TracerPid") == "0":
                assert time.monotonic() < deadline
                time.sleep(0.05)
            run = deet("--batch", "-ex", f"attach {process.pid}", "-ex", "bt", target())
        finally:
            gdb.wait(timeout=60)
        assert run.lines == [
            f"ptrace: Operation not permitted (process {process.pid} is already traced "
            f"by process {gdb.pid}).", "No stack."]
    ended = subprocess.Popen(["true"])
    while status_field(ended.pid, "State")[0] != "Z":
        time.sleep(0.01)
    try:
        run = deet("--batch", "-ex", f"attach {ended.pid}", "-ex", "attach 0",
                   "-ex", "attach", "-ex", "detach", target())
    finally:
        ended.wait()
    assert run.lines == [
        f"ptrace: Operation not permitted (process {ended.pid} is a zombie: it has "
        "already terminated).",
        "Illegal process-id: 0.",
        "Argument required (process-id to attach).",
        "The program is not being run.",
    ]
    run = deet("--batch", "-ex", f"attach {ended.pid}", target())
    assert run.lines == ["ptrace: No such process."]
    assert deet("-p", str(ended.pid)).stderr.splitlines() == [
        f"deet: process {ended.pid}: No such process."]


def test_ctrl_c_stops_an_attached_program_outside_deet_s_terminal(pty_session):
    with running("loop") as process:
        child = pty_session(str(process.pid), str(target()))  # deet PROGRAM PID
        child.expect_exact(f"Attaching to program: {target()}, process {process.pid}")
        child.expect(r"\(deet\)")
        child.sendline("continue")
        time.sleep(0.5)
        child.sendintr()
        child.expect_exact("Child stopped (signal SIGINT)\r\n")
        child.expect(r"\(deet\)")
        child.sendline("print ticks > 0")
        child.expect_exact("$1 = 1")
        child.sendline("quit")
        child.expect_exact(f"Detaching from program: {target()}, process {process.pid}")
        child.expect(pexpect.EOF)
        assert runs_untraced(process.pid)


def test_the_python_api_attaches_and_detaches():
    from deet import Session

    with running("park") as process:
        gdb = gdb_attached(process.pid, "bt")
        with Session(target()) as session:
            attached = session.attach(process.pid)
            assert attached.pid == process.pid and attached.executable == str(target())
            # Every thread is stopped, traced by this process (deet runs in it here).
            assert _task_states(process.pid) == {tid: ("t", str(os.getpid()))
                                                 for tid in _task_states(process.pid)}
            assert len(_task_states(process.pid)) == 3
            got = [f.function for f in session.backtrace().frames]
            assert got == [f.function for f in gdb_frames(gdb)]
            session.break_("tick")
            session.break_("worker")
            # The int3s are in: the program's, and the loader's (deet's library events).
            changed = {line.split()[-1] for line in _code_differences(process.pid)}
            assert str(target()) in changed and len(changed) >= 2
            assert session.detach().pid == process.pid
            assert not session.alive
            assert _code_differences(process.pid) == []
        assert runs_untraced(process.pid)
        assert all(state in "SR" and tracer == "0"
                   for state, tracer in _task_states(process.pid).values())
        with Session(target()) as session:
            session.attach(process.pid)
        # Closing the session let go of it rather than killing it.
        assert runs_untraced(process.pid)


def _code_differences(pid: int) -> list[str]:
    """The file-backed executable mappings of process ``pid`` whose bytes in memory are
    not the file's (an int3 left behind is one): program, libc and the loader alike."""
    differences = []
    with open(f"/proc/{pid}/mem", "rb") as memory:
        for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
            fields = line.split(maxsplit=5)
            if len(fields) < 6 or "x" not in fields[1] or not fields[5].startswith("/"):
                continue
            start, end = (int(part, 16) for part in fields[0].split("-"))
            with open(fields[5], "rb") as file:
                file.seek(int(fields[2], 16))
                expected = file.read(end - start)
            memory.seek(start)
            if memory.read(len(expected)) != expected:
                differences.append(line)
    return differences


def test_detach_takes_out_every_int3_and_every_watchpoint():
    """Breakpoints in the program and in a thread's function, a temporary one, the
    loader's own, and a hardware watchpoint, all hit or armed; after ``detach`` the
    process's code is byte for byte its files' and it runs on untraced (tick writes the
    watched ``ticks`` every 2 ms: a watchpoint left in a debug register would kill it
    with SIGTRAP)."""
    with running("loop") as process:
        assert _code_differences(process.pid) == []
        run = deet("--batch", "-p", process.pid, "-ex", "break tick", "-ex", "break park",
                   "-ex", "break worker", "-ex", "tbreak attach_target.c:46",
                   "-ex", "continue", "-ex", "delete 0", "-ex", "watch ticks",
                   "-ex", "continue", "-ex", "info breakpoints", "-ex", "detach")
        assert run.returncode == 0, run.stdout + run.stderr
        assert "Old value = " in run.stdout and "hw watchpoint" in run.stdout
        assert run.lines[-1] == f"[Inferior 1 (process {process.pid}) detached]"
        assert _code_differences(process.pid) == []
        time.sleep(0.5)
        assert process.poll() is None
        assert runs_untraced(process.pid)


PR_CAPBSET_DROP, CAP_SYS_PTRACE = 24, 19


def _without_ptrace_capability() -> None:
    """In a child before exec: drop CAP_SYS_PTRACE from the bounding set, so that root's
    next program runs without it (as a user's debugger does)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_CAPBSET_DROP, CAP_SYS_PTRACE, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _as_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def _unprivileged(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """``argv`` (a debugger) without CAP_SYS_PTRACE; its stdout and stderr in order."""
    return subprocess.run(argv, preexec_fn=_without_ptrace_capability, cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


try:
    NOBODY = pwd.getpwnam("nobody").pw_uid
except KeyError:
    NOBODY = 65534


@pytest.mark.skipif(os.geteuid() != 0,
                    reason="needs root: to run the target as another user, and to drop "
                           "CAP_SYS_PTRACE from deet and gdb")
def test_another_user_s_process_is_refused_with_gdb_s_line_and_why():
    """A process of another user, and a debugger without CAP_SYS_PTRACE: gdb's line, with
    the reason added as for the other refusals, for ``attach PID``, ``deet PROGRAM PID``,
    ``deet -p PID`` (where /proc already hides the program) and DAP's attach."""
    try:
        subprocess.run(["true"], preexec_fn=_without_ptrace_capability, check=True)
    except subprocess.SubprocessError:
        pytest.skip("cannot drop CAP_SYS_PTRACE here")
    process = subprocess.Popen([str(target()), "park"], stdout=subprocess.PIPE, text=True,
                               preexec_fn=_as_nobody)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().split() == ["ready", str(process.pid)]
        pid = process.pid
        gdb = _unprivileged(["gdb", "-nx", "-batch", "-ex", f"attach {pid}", "-ex", "bt",
                             str(target())]).stdout.splitlines()
        assert gdb == ["ptrace: Operation not permitted.", "No stack."]
        refused = (f"ptrace: Operation not permitted (process {pid} belongs to user {NOBODY}:"
                   " tracing another user's process needs CAP_SYS_PTRACE).")
        run = _unprivileged([*deet_command(), "--batch", "-ex", f"attach {pid}", "-ex", "bt",
                             str(target())])
        assert run.stdout.splitlines() == [refused, gdb[1]]
        run = _unprivileged([*deet_command(), "--batch", "-ex", "bt", str(target()), str(pid)])
        assert run.stdout.splitlines() == [refused, gdb[1]]
        gdb_p = _unprivileged(["gdb", "-nx", "-batch", "-p", str(pid)])
        assert gdb_p.stdout.splitlines() == [gdb[0]]
        run = _unprivileged([*deet_command(), "--batch", "-p", str(pid)])
        assert run.stdout.splitlines() == [f"deet: {refused}"] and run.returncode != 0
        client = DapClient(preexec_fn=_without_ptrace_capability)
        try:
            client.request("initialize", adapterID="deet")
            answer = client.request("attach", pid=pid)
            assert (answer["success"], answer["message"]) == (False, refused)
        finally:
            client.close()
        assert status_field(pid, "TracerPid") == "0"
    finally:
        process.kill()
        process.wait(timeout=30)
