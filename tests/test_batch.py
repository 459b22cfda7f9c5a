"""Scripted batch mode: -ex, -x, --batch, --echo, --timeout, --return-child-result, -- ARGS."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time

import pexpect
import pytest
from conftest import _descendants
from support import ROOT, SAMPLES, deet, deet_command, program, sample, terminal_output

from deet.cli import main

SEGFAULT_C = f"{SAMPLES}/segfault.c"


def test_ex_and_x_run_in_command_line_order_with_echo(tmp_path):
    script = tmp_path / "middle.gdb"
    script.write_text("# the middle of the session\n\nrun\n   \n  bt\n")
    lines = terminal_output("--batch", "--echo", "-ex", "break func2", "-x", script,
                            "-ex", "continue", sample("segfault"))
    assert lines == [
        "(deet) break func2",
        lines[1],
        "(deet) run",
        "Calling func2",
        "Child stopped (signal SIGTRAP)",
        f"Stopped at {SEGFAULT_C}:4",
        '4\t    printf("About to segfault... a=%d\\n", a);',
        "(deet) bt",
        f"func2 ({SEGFAULT_C}:4)",
        f"func1 ({SEGFAULT_C}:11)",
        f"main ({SEGFAULT_C}:15)",
        "(deet) continue",
        "About to segfault... a=2",
        "Child stopped (signal SIGSEGV)",
        f"Stopped at {SEGFAULT_C}:5",
        "5\t    *(int*)0 = a;",
    ]
    assert re.fullmatch(r"Set breakpoint 0 at 0x[0-9a-f]+", lines[1])


def test_without_a_terminal_the_programs_output_is_its_own_business():
    """On a pipe the program buffers its output fully, and a crash loses it: deet leaves
    the program's stdout alone in text mode, as gdb does."""
    run = deet("--batch", "-ex", "run", "-ex", "c", sample("segfault"))
    assert run.lines[0] == "Child stopped (signal SIGSEGV)"
    assert run.lines[-1] == "Child exited (signal SIGSEGV)"
    assert (run.returncode, run.stderr) == (0, "")


def test_an_error_in_a_script_names_file_and_line_and_the_batch_goes_on(tmp_path):
    script = tmp_path / "broken.gdb"
    script.write_text("break nosuch\n# fine so far\nfrobnicate\nrun\n")
    run = deet("--batch", "-x", script, "-ex", "bt", "-ex", "break 999", sample("count"))
    assert run.lines == [
        f'{script}:1: Function "nosuch" not defined.',
        f"{script}:3: Unrecognized command.",
        "1", "2", "3", "4", "5",
        "Child exited (status 0)",
        "No stack.",
        "No line 999 in the current file.",
    ]
    assert run.returncode == 1


def test_batch_status_is_0_when_every_command_succeeded():
    assert deet("--batch", "-ex", "run", sample("hello")).returncode == 0
    assert deet("--batch", sample("hello")).returncode == 0


def test_program_arguments_after_double_dash_are_runs_default():
    run = deet("--batch", "-ex", "run", "-ex", "run 'b c' -d", "-ex", "run",
               program("echo_args"), "--", "0", "--batch", "a b")
    assert run.lines == [
        "0", "--batch", "a b", "Child exited (status 0)",
        "b c", "-d", "Child exited (status 0)",
        "b c", "-d", "Child exited (status 0)",
    ]


def test_options_may_follow_the_program():
    run = deet(sample("hello"), "--batch", "-ex", "run")
    assert run.lines == ["Hello world!", "Child exited (status 0)"]


def test_without_batch_the_commands_continue_on_stdin():
    run = deet("--echo", "-ex", "break add", sample("function_calls"), stdin="run\nbt\nfrob\n")
    assert run.lines[0] == "(deet) break add"
    assert run.lines[1].startswith("Set breakpoint 0 at 0x")
    assert "(deet) run" in run.lines
    assert "(deet) bt" in run.lines
    assert "(deet) frob" in run.lines
    assert run.lines[-1].startswith("Killing running inferior (pid ")
    assert run.returncode == 0


def test_without_batch_on_a_terminal_the_prompt_follows(pty_session):
    child = pty_session(sample("function_calls"), "-ex", "break add")
    child.expect_exact("Set breakpoint 0 at 0x")
    child.expect(r"\(deet\)")
    child.sendline("run")
    child.expect_exact("Stopped at ")
    child.expect(r"\(deet\)")
    child.sendline("quit")
    child.expect_exact("Killing running inferior (pid ")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_quit_in_a_script_ends_deet_without_reading_more():
    run = deet("-ex", "break add", "-ex", "run", "-ex", "quit", "-ex", "bt",
               sample("function_calls"), stdin="bt\n")
    assert run.lines[-1].startswith("Killing running inferior (pid ")
    assert not any(line.startswith("add (") for line in run.lines)
    assert run.returncode == 0


def test_batch_reads_nothing_from_stdin():
    run = deet("--batch", sample("hello"), stdin="run\n")
    assert (run.stdout, run.returncode) == ("", 0)


@pytest.mark.parametrize(
    ("commands", "args", "status"),
    [
        (["run"], [], 0),
        (["run"], ["3"], 3),
        (["run 7", "run 0"], [], 0),
        (["run 0", "run 7"], [], 7),
        ([], [], 255),
        (["break main", "run"], [], 255),
        (["break main", "run 0", "kill"], [], 255),
        (["run 5", "frobnicate"], [], 5),
    ],
    ids=["exit-0", "default-args", "last-run-counts", "last-run-counts-2", "never-ran",
         "killed-at-end", "killed", "errors-do-not-count"],
)
def test_return_child_result(commands, args, status):
    ex = [word for command in commands for word in ("-ex", command)]
    run = deet("--batch", "--return-child-result", *ex, program("echo_args"), "--", *args)
    assert run.returncode == status, run.stdout


def test_return_child_result_after_death_by_a_signal_is_255():
    run = deet("--batch", "--return-child-result", "-ex", "run", "-ex", "c", sample("segfault"))
    assert run.lines[-1] == "Child exited (signal SIGSEGV)"
    assert run.returncode == 255


def test_return_child_result_after_a_timeout_is_255():
    run = deet("--batch", "--return-child-result", "--timeout", "0.3", "-ex", "run",
               sample("spin"))
    assert run.returncode == 255


def test_timeout_stops_an_infinite_loop_where_it_spins_and_the_batch_goes_on():
    started = time.monotonic()
    run = deet("--batch", "--timeout", "2", "-ex", "run", "-ex", "bt", "-ex", "info locals",
               "-ex", "break main", "-ex", "run", sample("spin"))
    elapsed = time.monotonic() - started
    spin_c = f"{SAMPLES}/spin.c"
    assert run.lines[0] == "Program timed out after 2 s"
    assert re.fullmatch(rf"Stopped at {re.escape(spin_c)}:[45]", run.lines[1])
    line = run.lines[1].rsplit(":", 1)[1]
    assert run.lines[3] == f"main ({spin_c}:{line})"
    assert re.fullmatch(r"n = \d+", run.lines[4])
    assert run.lines[5].startswith("Set breakpoint 0 at ")
    assert run.lines[6].startswith("Killing running inferior (pid ")
    assert run.lines[7] == "Child stopped (signal SIGTRAP)"
    assert 2 <= elapsed < 5
    assert run.returncode == 0


def test_the_time_limit_covers_a_whole_command_not_each_resume_in_it():
    """``next`` on a line that loops forever single-steps it thousands of times: the
    limit still ends it, at the limit."""
    started = time.monotonic()
    run = deet("--batch", "--timeout", "1", "-ex", "break main", "-ex", "run", "-ex", "next",
               "-ex", "next", "-ex", "next 100", sample("spin"))
    elapsed = time.monotonic() - started
    assert run.lines[-6:] == ["Program timed out after 1 s", f"Stopped at {SAMPLES}/spin.c:5",
                              "5\t        n++;"] * 2
    assert 2 <= elapsed < 4


def test_the_end_of_a_batch_kills_the_program_and_everything_it_started():
    run = deet("--json", "--batch", "--timeout", "1", "-ex", "run", program("spawner"))
    started = [int(json.loads(line)["text"].split()[1]) for line in run.lines
               if json.loads(line)["event"] == "output"]
    assert len(started) == 2
    assert [json.loads(line)["event"] for line in run.lines][-1] == "timeout"
    for pid in started:
        assert not os.path.exists(f"/proc/{pid}")


def test_timeout_applies_to_each_resume_not_to_the_whole_session():
    run = deet("--batch", "--timeout", "0.5", "-ex", "run", "-ex", "c", "-ex", "c", "-ex", "c",
               program("naps"))
    assert run.lines.count("Child stopped (signal SIGTRAP)") == 3
    assert run.lines[-1] == "Child exited (status 0)"


def test_the_same_script_gives_byte_identical_output():
    argv = ("--batch", "--echo", "-ex", "break func1", "-ex", "run", "-ex", "bt", "-ex", "c",
            "-ex", "bt", "-ex", "c", sample("segfault"))
    first, second = deet(*argv), deet(*argv)
    assert first.stdout == second.stdout
    assert "Child exited (signal SIGSEGV)" in first.stdout
    first, second = deet("--json", *argv), deet("--json", *argv)
    assert first.stdout == second.stdout


def test_a_program_alive_at_the_end_of_a_batch_is_killed_quietly_so_output_repeats():
    """gdb's batch mode kills the program without a word; deet's ``Killing running inferior
    (pid N)`` would differ on every run. An explicit ``quit`` or ``run`` keeps it."""
    argv = ("--batch", "--echo", "-ex", "break func1", "-ex", "run", "-ex", "bt",
            "-ex", "info inferiors", sample("segfault"))
    first, second = deet(*argv), deet(*argv)
    assert "Killing" not in first.stdout
    assert first.lines[-4].startswith("main (")
    inferiors = [line for line in first.lines if "process" in line]
    assert len(inferiors) == 1 and inferiors[0].startswith("* 1    process ")
    # Only the pid differs: everything else, the columns after it included, is the same.
    assert re.sub(r"process \d+ +", "process PID ", first.stdout) == re.sub(
        r"process \d+ +", "process PID ", second.stdout)
    for ending in ("quit", "run"):
        run = deet("--batch", "-ex", "break func1", "-ex", "run", "-ex", ending,
                   sample("segfault"))
        assert any(line.startswith("Killing running inferior (pid ") for line in run.lines)


def test_ctrl_c_between_batch_commands_ends_deet_quietly_and_kills_the_program(tmp_path):
    script = tmp_path / "long.gdb"
    script.write_text("break add\nrun\n" + "help\n" * 200_000)
    # Started as from a terminal, where Ctrl-C is not ignored (a background job's or
    # nohup's suite would hand deet an ignored SIGINT, which deet keeps ignoring).
    deet_process = subprocess.Popen(
        [*deet_command(), "--batch", "-x", str(script), str(sample("function_calls"))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert deet_process.stdout is not None
    while not deet_process.stdout.readline().startswith("Stopped at "):
        pass
    (program_pid,) = _descendants(deet_process.pid)
    deet_process.send_signal(signal.SIGINT)
    _, stderr = deet_process.communicate(timeout=30)
    assert (deet_process.returncode, stderr) == (128 + signal.SIGINT, "")
    assert not os.path.exists(f"/proc/{program_pid}")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--frob", "PROG"], "deet: unrecognized option '--frob' (deet --help lists them)"),
        (["-e", "PROG"], "deet: unrecognized option '-e' (deet --help lists them)"),
        (["PROG", "-ex"], "deet: option '-ex' requires an argument"),
        (["-x", "/nonexistent/cmds", "PROG"], "deet: /nonexistent/cmds: No such file or directory"),
        (["-x", "/", "PROG"], "deet: /: Is a directory"),
        (["--timeout", "soon", "PROG"],
         "deet: invalid --timeout value 'soon' (a number of seconds greater than 0)"),
        (["--timeout=0", "PROG"],
         "deet: invalid --timeout value '0' (a number of seconds greater than 0)"),
        (["--timeout", "-1", "PROG"],
         "deet: invalid --timeout value '-1' (a number of seconds greater than 0)"),
        (["--timeout", "inf", "PROG"],
         "deet: invalid --timeout value 'inf' (a number of seconds greater than 0)"),
        (["--timeout", "nan", "PROG"],
         "deet: invalid --timeout value 'nan' (a number of seconds greater than 0)"),
        (["--batch"], "Usage: deet <target program>"),
        (["PROG", "PROG"], "Usage: deet <target program>"),
    ],
)
def test_a_bad_command_line_is_one_line_and_status_1(capsys, argv, message):
    """In-process: none of these gets as far as starting a program."""
    program = str(sample("count"))
    status = main([program if word == "PROG" else word for word in argv])
    assert (capsys.readouterr(), status) == ((("", message + "\n")), 1)


def test_a_script_that_is_not_text(capsys, tmp_path):
    script = tmp_path / "binary.gdb"
    script.write_bytes(b"\xff\xfe\x00run\n")
    status = main(["-x", str(script), str(sample("count"))])
    assert (capsys.readouterr().err, status) == (f"deet: {script}: not a text file\n", 1)


def test_help_lists_the_options():
    run = deet("--help")
    assert run.returncode == 0
    assert run.lines[0] == "Usage: deet <target program>"
    for option in ("-ex", "-x", "--batch", "--return-child-result", "--echo", "--timeout",
                   "--json", "deet check"):
        assert option in run.stdout
