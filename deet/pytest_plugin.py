"""pytest collects ``*.deet`` transcripts as tests, so a course drops transcripts into a
folder and runs ``pytest`` (registered as the ``pytest11`` entry point ``deet``).

A failure shows the unified diff of ``deet check`` instead of a traceback into deet.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.File | None:
    if file_path.suffix == ".deet":
        return TranscriptFile.from_parent(parent, path=file_path)
    return None


class TranscriptTestError(Exception):
    """A transcript that did not match, or could not be replayed; ``str()`` says how."""


class TranscriptFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        yield TranscriptItem.from_parent(self, name=self.path.stem)


class TranscriptItem(pytest.Item):
    def runtest(self) -> None:
        # Imported here, not at the top: pytest loads this plugin for every test run in an
        # environment with deet installed, and most of them hold no transcripts.
        from deet.transcript import TranscriptError, check

        try:
            outcome = check(self.path)
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
