"""``set single-cpu``: deet and the program share one CPU by default (the breakpoint
round trip is cheapest there), and ``off`` gives the program every CPU deet may use."""

from __future__ import annotations

import os

from support import deet_script, program


def test_the_program_runs_on_one_cpu_by_default():
    run = deet_script(program("cpus"), "show single-cpu\nrun\n")
    assert "single-cpu: on" in run.stdout
    assert "cpus: 1" in run.stdout, run.stdout + run.stderr


def test_single_cpu_off_gives_the_program_every_cpu():
    allowed = len(os.sched_getaffinity(0))
    run = deet_script(program("cpus"), "run\nset single-cpu off\nrun\n")
    assert run.stdout.count("cpus: ") == 2, run.stdout + run.stderr
    assert "cpus: 1" in run.stdout
    assert f"cpus: {allowed}" in run.stdout.split("cpus: 1", 1)[1]
