"""run / continue / kill / quit through a piped script, as DEET's milestones 1-2 describe."""

from __future__ import annotations

from support import deet_script, sample


def test_run_to_exit_passes_arguments():
    run = deet_script(sample("sleepy_print"), "r 3\n")
    assert run.lines == ["0", "1", "2", "Child exited (status 0)"]
    assert run.returncode == 0
    assert run.stderr == ""


def test_program_exit_status_is_reported():
    run = deet_script(sample("sleepy_print"), "run\n")
    assert run.lines == ["Child exited (status 1)"]
    assert "Usage:" in run.stderr


def test_exit_through_a_raw_syscall():
    assert deet_script(sample("exit"), "run\n").lines == ["Child exited (status 0)"]


def test_run_without_arguments_reuses_the_last_ones():
    run = deet_script(sample("sleepy_print"), "run 1\nrun\n")
    assert run.lines == ["0", "Child exited (status 0)", "0", "Child exited (status 0)"]


def test_death_by_signal_after_continue_delivers_it():
    run = deet_script(sample("segfault"), "run\ncont\n")
    path = str(sample("segfault"))
    assert run.lines[-4:] == [
        "Child stopped (signal SIGSEGV)",
        f"Stopped at {_source('segfault.c')}:5",
        "5\t    *(int*)0 = a;",
        "Child exited (signal SIGSEGV)",
    ], path


def test_run_while_alive_kills_and_reaps_the_old_program():
    binary = sample("function_calls")
    run = deet_script(binary, "break add\nrun\nrun\ncont\n")
    killed = [line for line in run.lines if line.startswith("Killing running inferior (pid ")]
    assert len(killed) == 1
    assert run.lines.count("Child stopped (signal SIGTRAP)") == 2
    assert run.lines[-1] == "Child exited (status 0)"


def test_quit_kills_a_live_program_and_exits_zero():
    run = deet_script(sample("function_calls"), "break add\nrun\nquit\nbacktrace\n")
    assert run.lines[-1].startswith("Killing running inferior (pid ")
    assert run.returncode == 0


def test_end_of_input_is_quit():
    run = deet_script(sample("function_calls"), "break add\nrun")
    assert run.lines[-1].startswith("Killing running inferior (pid ")
    assert run.returncode == 0


def test_kill_command():
    run = deet_script(sample("function_calls"), "break add\nrun\nkill\ncont\n")
    assert run.lines[-2].startswith("Killing running inferior (pid ")
    assert run.lines[-1] == "The program is not being run."


def test_continue_and_backtrace_without_a_program():
    run = deet_script(sample("count"), "cont\nbt\nc\nback\n")
    # gdb's words: "continue" has no program to resume, "bt" no stack to show.
    assert run.lines == ["The program is not being run.", "No stack."] * 2


def test_sigtrap_raised_by_the_program_is_swallowed_on_continue(tmp_path):
    source = tmp_path / "raise_trap.c"
    source.write_text(
        '#include <signal.h>\n#include <stdio.h>\n'
        'int main() { raise(SIGTRAP); puts("survived"); return 0; }\n'
    )
    from support import build

    run = deet_script(build([source]), "run\ncont\n")
    assert run.lines[0] == "Child stopped (signal SIGTRAP)"
    assert run.lines[-2:] == ["survived", "Child exited (status 0)"]


def test_help_lists_every_command():
    run = deet_script(sample("count"), "help\nhelp break\nhelp nosuch\n")
    for word in ("run", "continue", "backtrace", "break", "quit"):
        assert any(line.startswith(word) for line in run.lines)
    assert any(line.startswith("break (also b) -- ") for line in run.lines)
    words = [line.split()[0] for line in run.lines[:-2]]
    assert words.index("run") < words.index("break") < words.index("next") < words.index("print")
    assert run.lines[-1] == 'Undefined command: "nosuch".  Try "help".'


def _source(name: str) -> str:
    from support import SAMPLES

    return str(SAMPLES / name)
