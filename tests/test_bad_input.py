"""Bad input gets one clear line, never a traceback, and never leaves a process behind."""

from __future__ import annotations

import fnmatch
import os
import shutil
import signal
import subprocess

import pytest
from support import deet_command, deet_script, sample


def test_wrong_argument_count_prints_usage():
    for args in ((), ("a", "b")):
        done = subprocess.run([*deet_command(), *args], capture_output=True, text=True,
                              cwd=sample("count").parent)
        assert done.returncode == 1, args
        assert done.stderr == "Usage: deet <target program>\n"
        assert done.stdout == ""


def _text_file(d):
    path = d / "notes.txt"
    path.write_text("hello\n")
    return path


def _stripped(d):
    path = d / "stripped"
    shutil.copy(sample("count"), path)
    subprocess.run(["strip", str(path)], check=True)
    return path


def _no_debug_info(d):
    path = d / "nodebug"
    subprocess.run(["gcc", "-O0", "-o", str(path), "-x", "c", "-"], check=True,
                   input="int main(){return 0;}", text=True)
    return path


def _truncated_elf(d):
    path = d / "truncated"
    path.write_bytes(sample("count").read_bytes()[:100])
    return path


def _class_32_elf(d):
    """An x86-64 program's header marked ELFCLASS32, as the x32 ABI's are."""
    path = d / "x32"
    data = bytearray(sample("count").read_bytes())
    data[4] = 1  # EI_CLASS
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("make_target", "message"),
    [
        (lambda d: d / "missing", "{}: No such file or directory"),
        (lambda d: d, "{}: is a directory"),
        (_text_file, "{}: not an ELF executable"),
        (_truncated_elf, "{}: corrupt ELF file (program headers at offset 64 past the end "
                         "of the file (100 bytes))"),
        (_class_32_elf, "{}: not an x86-64 program (32-bit)"),
        (_stripped, "{}: no symbols and no debug info (compile it with -g)"),
        (_no_debug_info, "{}: no debug info (compile it with -g)"),
    ],
    ids=["missing", "directory", "text", "truncated", "32-bit", "stripped", "no-debug-info"],
)
def test_unusable_target_is_one_line_and_status_1(tmp_path, make_target, message):
    target = make_target(tmp_path)
    run = deet_script(target, "run\n")
    assert run.returncode == 1
    assert fnmatch.fnmatchcase(run.stderr, "deet: " + message.format(target) + "\n")
    assert run.stdout == ""


def test_a_damaged_separate_debug_file_is_passed_over_as_a_missing_one(tmp_path):
    """The debug info of a program stripped with a .gnu_debuglink beside it is read from
    there; a debug file cut short is passed over as if it were not there (gdb warns and
    goes on without it), not taken for damage to the program."""
    program, debug = tmp_path / "count", tmp_path / "count.debug"
    shutil.copy(sample("count"), program)
    subprocess.run(["objcopy", "--only-keep-debug", str(program), str(debug)], check=True)
    subprocess.run(["objcopy", "--strip-debug", f"--add-gnu-debuglink={debug}", str(program)],
                   check=True, cwd=tmp_path)
    intact = deet_script(program, "break main\n")
    assert intact.returncode == 0
    assert fnmatch.fnmatchcase(intact.stdout, "Set breakpoint 0 at 0x*\n")
    debug.write_bytes(debug.read_bytes()[:100])
    damaged = deet_script(program, "break main\n")
    assert (damaged.returncode, damaged.stdout) == (1, "")
    assert damaged.stderr == f"deet: {program}: no debug info (compile it with -g)\n"


def test_unknown_commands_and_blank_lines():
    run = deet_script(sample("count"), "\n   \nfrobnicate\nbreakk main\n")
    assert run.lines == ["Unrecognized command.", "Unrecognized command."]
    assert run.returncode == 0


def test_run_of_a_program_that_cannot_execute(tmp_path):
    """A target whose debug info loads but which exec refuses (no execute permission)."""
    target = tmp_path / "noexec"
    shutil.copy(sample("count"), target)
    target.chmod(0o644)
    run = deet_script(target, "run\nbt\n")
    assert run.lines == [f"{target}: Permission denied", "No stack."]
    assert "Traceback" not in run.stderr


def test_corrupt_dwarf_is_one_line_at_the_command_that_needs_it(tmp_path):
    target = tmp_path / "corrupt"
    data = bytearray(sample("segfault").read_bytes())
    offset, size = _section(sample("segfault"), ".debug_line")
    data[offset : offset + size] = b"\xff" * size
    target.write_bytes(bytes(data))
    target.chmod(0o755)
    # The damaged copy keeps the sample's build-id: a cache an intact run wrote would
    # answer for it (as it should), so this one starts without a cache.
    env = {**os.environ, "DEET_CACHE_DIR": str(tmp_path / "cache")}
    run = deet_script(target, "break main\nbreak 5\nrun\nbt\n", env=env)
    assert "Traceback" not in run.stdout + run.stderr
    assert run.lines[0].startswith("Set breakpoint 0 at ") or "corrupt debug info" in run.lines[0]
    assert any("corrupt debug info" in line for line in run.lines)
    assert all(line.count("\n") == 0 for line in run.lines)


def _section(binary, name: str) -> tuple[int, int]:
    out = subprocess.run(["readelf", "-SW", str(binary)], capture_output=True, text=True).stdout
    for line in out.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[1] == name:
            return int(fields[4], 16), int(fields[5], 16)
    raise AssertionError(f"no section {name}")


@pytest.mark.parametrize("argv", [["--help"], ["--batch", "-ex", "break main", "-ex", "run"]])
def test_a_reader_that_goes_away_ends_deet_quietly(argv):
    """``deet ... | head``: the pipe closes under deet; no traceback, nothing left running."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    done = subprocess.run([*deet_command(), *argv, str(sample("sleepy_print"))],
                          stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=30)
    os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 128 + signal.SIGPIPE


@pytest.mark.parametrize(("command", "answer"), [
    ("thread abc", 'Invalid thread ID: "abc"'),
    ("thread 2", "The program is not being run."),
    ("info threads", "No threads."),
    ("inferior 9", "Inferior ID 9 not known."),
    ("inferior x", 'Invalid inferior ID: "x"'),
    ("handle", "Argument required (signal and action to apply)."),
    ("handle SIGFOO stop", 'Unrecognized or ambiguous flag word: "SIGFOO".'),
    ("handle SIGUSR1 sideways", 'Unrecognized or ambiguous flag word: "sideways".'),
    ("info signals SIGFOO", 'Unrecognized or ambiguous flag word: "SIGFOO".'),
    ("set follow-fork-mode sideways", '"follow-fork-mode" must be one of: parent, child.'),
    ("set detach-on-fork maybe", '"detach-on-fork" must be one of: on, off.'),
])
def test_bad_thread_inferior_and_signal_commands_are_one_line(command, answer):
    run = deet_script(sample("count"), f"{command}\n")
    assert run.lines == [answer]
    assert run.stderr == ""


def test_thread_numbers_beyond_the_program_s_threads_are_refused():
    run = deet_script(sample("threads"), "break tick\nrun 1\nthread 99\nthread -1\n")
    assert run.lines[-3:-1] == ["Invalid thread ID: 99", "Invalid thread ID: -1"]
