"""The Command-style launcher: spawn, pre_exec, exec failures, wait and kill."""

from __future__ import annotations

import os
import signal
import stat

import pytest

from deet.engine.launcher import Command, ExitStatus, LaunchError


def test_spawn_runs_the_program_with_its_arguments_and_wait_reaps_it(tmp_path):
    out = tmp_path / "out.txt"
    with open(out, "w") as f:
        child = Command("/bin/echo", ["hello", "there"], stdout=f.fileno()).spawn()
    status = child.wait()
    assert ExitStatus.from_wait_status(status) == ExitStatus(code=0)
    assert child.reaped
    assert out.read_text() == "hello there\n"


def test_builder_methods_env_and_cwd(tmp_path):
    out = tmp_path / "out.txt"
    with open(out, "w") as f:
        command = Command("/bin/sh", env={"GREETING": "hi"}, cwd=str(tmp_path), stdout=f.fileno())
        command.arg("-c").extend_args(['echo "$GREETING $(pwd)"'])
        command.spawn().wait()
    assert out.read_text() == f"hi {tmp_path}\n"


def test_pre_exec_runs_in_the_child_before_exec(tmp_path):
    marker = tmp_path / "marker"
    child = Command("/bin/true").pre_exec(lambda: marker.write_text(str(os.getpid()))).spawn()
    child.wait()
    assert int(marker.read_text()) == child.pid


def test_kill_reaps_a_running_child():
    child = Command("/bin/sleep", ["30"]).spawn()
    assert child.kill() == ExitStatus(signal=signal.SIGKILL)
    assert child.reaped


@pytest.mark.parametrize(
    ("make_target", "reason"),
    [
        (lambda d: d / "missing", "No such file or directory"),
        (lambda d: _file(d / "plain.txt", "text\n", 0o644), "Permission denied"),
        (lambda d: _file(d / "text.sh", "just words\n", 0o755), "not an executable program"),
        (lambda d: d, "Permission denied"),
    ],
    ids=["missing", "no-exec-bit", "not-executable", "directory"],
)
def test_exec_failure_is_one_line_and_leaves_no_child(tmp_path, make_target, reason):
    target = make_target(tmp_path)
    with pytest.raises(LaunchError) as raised:
        Command(str(target)).spawn()
    assert str(raised.value) == f"{target}: {reason}"
    assert "\n" not in str(raised.value)


def test_failed_child_never_runs_the_parents_code():
    """If a failed child returned from spawn(), it would go on running this test too."""
    read_end, write_end = os.pipe()

    def broken_hook() -> None:
        raise RuntimeError("hook failed")

    try:
        Command("/bin/true").pre_exec(broken_hook).spawn()
    except LaunchError as exc:
        assert "pre_exec failed" in str(exc)
    os.write(write_end, f"{os.getpid()}\n".encode())
    os.close(write_end)
    writers = os.read(read_end, 4096).decode().split()
    os.close(read_end)
    assert writers == [str(os.getpid())]


def _file(path, text, mode):
    path.write_text(text)
    path.chmod(mode)
    assert bool(path.stat().st_mode & stat.S_IXUSR) == bool(mode & 0o100)
    return path
