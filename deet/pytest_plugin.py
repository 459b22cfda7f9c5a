"""pytest collects ``*.deet`` transcripts as tests, so a course drops transcripts into a
folder and runs ``pytest`` (registered as the ``pytest11`` entry point ``deet``).

A failure shows the unified diff of ``deet check`` instead of a traceback into deet.

For grading: ``--deet-program PATH`` (repeatable) runs every transcript against each
program given instead of the header's, and gives the tests of a pytest file the
``deet_program`` fixture; ``@pytest.mark.points(N)`` and a transcript's ``points: N`` say
what a test is worth; ``--deet-gradescope FILE`` writes Gradescope's results format. Under
pytest-xdist the workers run the tests and the controller, which sees every report,
writes the file: each item carries its place and its points in ``user_properties``, which
xdist sends along with the reports.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _pytest._io import TerminalWriter

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

DEFAULT_POINTS = 1.0
# The key of what an item tells the Gradescope report, in its user_properties.
GRADESCOPE_KEY = "deet_gradescope"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("deet", "deet transcripts and grading")
    group.addoption("--deet-program", action="append", default=[], metavar="PATH",
                    help="run the transcripts (and give the deet_program fixture) this "
                    "program instead of the one a transcript names; repeatable: every "
                    "test runs against each")
    group.addoption("--deet-gradescope", metavar="FILE", default=None,
                    help="write the results in Gradescope's results.json format to FILE")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): what the test is worth in a Gradescope "
                            "report (1 by default)")
    path = config.getoption("deet_gradescope", None)
    if path and not hasattr(config, "workerinput"):
        config.pluginmanager.register(GradescopeReport(Path(path).absolute()),
                                      "deet-gradescope")


def _programs(config: pytest.Config) -> list[str]:
    """The ``--deet-program``s, absolute: transcripts run in their own directories."""
    return [os.path.abspath(path) for path in config.getoption("deet_program", [])]


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.File | None:
    if file_path.suffix == ".deet":
        return TranscriptFile.from_parent(parent, path=file_path)
    return None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """With several ``--deet-program``s, a test that asks for ``deet_program`` runs once
    for each (named after the program as given); with one, once, under its plain name."""
    given = metafunc.config.getoption("deet_program", [])
    if "deet_program" in metafunc.fixturenames and len(given) > 1:
        metafunc.parametrize("deet_program", [Path(path) for path in _programs(metafunc.config)],
                             ids=given, indirect=True)


@pytest.fixture
def deet_program(request: pytest.FixtureRequest) -> Path:
    """The program under test: a ``--deet-program``."""
    if hasattr(request, "param"):
        return request.param
    programs = _programs(request.config)
    if not programs:
        pytest.fail("this test needs a program: give pytest --deet-program PATH",
                    pytrace=False)
    return Path(programs[0])


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    """Tell the Gradescope report each item's place and worth (every xdist worker
    collects the same items in the same order)."""
    if not config.getoption("deet_gradescope", None):
        return
    for index, item in enumerate(items):
        marker = item.get_closest_marker("points")
        if marker is not None:
            points = float(marker.args[0])
        else:
            points = getattr(item, "points", DEFAULT_POINTS)
        item.user_properties.append((GRADESCOPE_KEY, {"index": index, "max_score": points}))


class TranscriptTestError(Exception):
    """A transcript that did not match, or could not be replayed; ``str()`` says how."""


class TranscriptFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        # Imported here, not at the top: pytest loads this plugin for every test run in an
        # environment with deet installed, and most of them hold no transcripts.
        from deet.transcript import TranscriptError, load

        try:
            points = load(self.path).points
        except TranscriptError:
            points = DEFAULT_POINTS  # the item fails with the reason when it runs
        given = self.config.getoption("deet_program", [])
        programs = _programs(self.config)
        if len(programs) > 1:
            for name, program in zip(given, programs, strict=True):
                yield TranscriptItem.from_parent(self, name=f"{self.path.stem}[{name}]",
                                                 program=program, points=points)
        else:
            yield TranscriptItem.from_parent(self, name=self.path.stem,
                                             program=programs[0] if programs else None,
                                             points=points)


class TranscriptItem(pytest.Item):
    def __init__(self, *, program: str | None, points: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.program = program
        self.points = points

    def runtest(self) -> None:
        from deet.transcript import TranscriptError, check

        try:
            outcome = check(self.path, self.program, name=self.nodeid.split("::")[0])
        except TranscriptError as exc:
            raise TranscriptTestError(str(exc)) from None
        if not outcome.passed:
            raise TranscriptTestError("\n".join(outcome.diff))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: str | None = None) -> str | TerminalRepr:
        if isinstance(excinfo.value, TranscriptTestError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"transcript {self.path.name}"


class GradescopeReport:
    """Gradescope's ``results.json``: one test per pytest item, in collection order, with
    its ``name`` (the node id), ``score`` (all or nothing), ``max_score``, ``status`` and, for
    a failure, the ``output`` pytest would show (a transcript's diff); and the total
    ``score``. Skipped tests are left out. Registered on the controller only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tests: dict[str, dict] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        facts = next((value for key, value in report.user_properties
                      if key == GRADESCOPE_KEY), None)
        if facts is None:
            return
        test = self.tests.setdefault(report.nodeid, {
            "index": facts["index"], "name": report.nodeid, "score": facts["max_score"],
            "max_score": facts["max_score"], "status": "passed", "output": "",
            "skipped": False,
        })
        if report.skipped and report.when != "teardown":
            test["skipped"] = True
        elif report.failed:
            test.update(score=0.0, status="failed")
            test["output"] = "\n".join(filter(None, [test["output"], _failure_text(report)]))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        tests = [
            {key: value for key, value in test.items() if key not in ("index", "skipped")}
            for test in sorted(self.tests.values(), key=lambda test: test["index"])
            if not test["skipped"]
        ]
        results = {"score": sum(test["score"] for test in tests), "tests": tests}
        self.path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _failure_text(report: pytest.TestReport) -> str:
    """What pytest shows of a failure, without the line naming the xdist worker that ran
    it (``report.longreprtext`` has it under xdist), so the output is the same however the
    tests were spread."""
    longrepr = report.longrepr
    if isinstance(longrepr, str):
        return longrepr
    if isinstance(longrepr, tuple):
        return longrepr[2]
    out = io.StringIO()
    writer = TerminalWriter(out)
    writer.hasmarkup = False
    longrepr.toterminal(writer)
    return out.getvalue().strip("\n")
