"""How a transcript's expected lines match what a replay printed: the wildcards, the
alignment of the two, the diff that shows only real differences, and the transcript that
``deet check --update`` writes back.

Wildcards are a closed set of ``{{name}}`` tokens, because ``*``, ``(`` and ``[`` occur in
real output. ``{{...}}`` alone on a line matches any number of lines, none included. A
``{{pid}}`` followed by spaces takes the spaces with it (``process {{pid}}     prog``
matches whatever the pid's width): a column padded after a pid is the same width on every
machine, the padding is not.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

ANY_LINES = "{{...}}"
WILDCARDS = {
    "{{pid}}": r"\d+",
    "{{int}}": r"-?\d+",
    "{{addr}}": r"0x[0-9a-f]+",
    "{{dir}}": r"(?:/[^/\n]+)+",
    "{{*}}": r".*?",
}
_TOKEN = re.compile("(" + "|".join(re.escape(token) for token in WILDCARDS) + ")")


def pattern(expected_line: str) -> re.Pattern[str]:
    """The regular expression an expected line stands for: its text, with wildcards."""
    parts = _TOKEN.split(expected_line)
    regex = []
    for index, part in enumerate(parts):
        if part in WILDCARDS:
            regex.append(WILDCARDS[part])
        elif index and parts[index - 1] == "{{pid}}" and part.startswith(" "):
            regex.append(" +" + re.escape(part.lstrip(" ")))
        else:
            regex.append(re.escape(part))
    return re.compile("".join(regex))


# What an alignment step did: an expected line matched an actual one ("match"), a
# ``{{...}}`` took an actual line ("absorb") or ended ("close"), or a line of one side had
# no partner ("expected", "actual").
@dataclass(frozen=True)
class Step:
    kind: str
    expected: int | None = None
    actual: int | None = None


@dataclass(frozen=True)
class Alignment:
    steps: tuple[Step, ...]
    cost: int

    # What one line without a partner costs: more than all the lines a ``{{...}}`` can
    # take, each of which costs 1, so that among the alignments that leave as few lines
    # alone as can be, the one that matches most lines to lines wins.
    alone: int

    @property
    def matched(self) -> bool:
        return self.cost < self.alone


def align(expected: list[str], actual: list[str]) -> Alignment:
    """The alignment that leaves the fewest lines of either side without a partner (a
    diff's longest common subsequence, with wildcards and ``{{...}}``)."""
    rows, columns = len(expected), len(actual)
    alone = columns + 1
    ellipsis = [line == ANY_LINES for line in expected]
    patterns = [None if ellipsis[i] else pattern(line) for i, line in enumerate(expected)]
    matches = [[p is not None and bool(p.fullmatch(line)) for line in actual] for p in patterns]
    cost = [[0] * (columns + 1) for _ in range(rows + 1)]
    for j in range(columns - 1, -1, -1):
        cost[rows][j] = (columns - j) * alone
    for i in range(rows - 1, -1, -1):
        cost[i][columns] = cost[i + 1][columns] + (0 if ellipsis[i] else alone)
        for j in range(columns - 1, -1, -1):
            if ellipsis[i]:
                cost[i][j] = min(cost[i + 1][j], cost[i][j + 1] + 1)
            else:
                best = min(cost[i + 1][j], cost[i][j + 1]) + alone
                if matches[i][j]:
                    best = min(best, cost[i + 1][j + 1])
                cost[i][j] = best
    steps = []
    i = j = 0
    while i < rows or j < columns:
        if i == rows:
            steps.append(Step("actual", actual=j))
            j += 1
        elif ellipsis[i]:
            if j < columns and cost[i][j] == cost[i][j + 1] + 1:
                steps.append(Step("absorb", i, j))
                j += 1
            else:
                steps.append(Step("close", i))
                i += 1
        elif j < columns and matches[i][j] and cost[i][j] == cost[i + 1][j + 1]:
            steps.append(Step("match", i, j))
            i, j = i + 1, j + 1
        elif j == columns or cost[i][j] == cost[i + 1][j] + alone:
            steps.append(Step("expected", expected=i))
            i += 1
        else:
            steps.append(Step("actual", actual=j))
            j += 1
    return Alignment(tuple(steps), cost[0][0], alone)


def differences(expected: list[str], actual: list[str], name: str) -> list[str]:
    """A unified diff of expected against actual ([] when they match). Expected lines that
    matched through a wildcard, and the lines a ``{{...}}`` took, are shown as the actual
    text, so the diff shows only real changes."""
    alignment = align(expected, actual)
    if alignment.matched:
        return []
    shown = []
    for step in alignment.steps:
        if step.kind in ("match", "absorb"):
            assert step.actual is not None
            shown.append(actual[step.actual])
        elif step.kind == "expected":
            assert step.expected is not None
            shown.append(expected[step.expected])
    return list(difflib.unified_diff(shown, actual, fromfile=name, tofile="actual output",
                                     lineterm=""))


def updated(expected: list[str], actual: list[str]) -> list[str]:
    """The session ``deet check --update`` records: what was printed now, except that an
    expected line that still matches stays as it was (wildcards and all), and so does each
    ``{{...}}``; expected lines that no longer match are gone."""
    lines = []
    for step in align(expected, actual).steps:
        if step.kind in ("match", "close"):
            assert step.expected is not None
            lines.append(expected[step.expected])
        elif step.kind == "actual":
            assert step.actual is not None
            lines.append(actual[step.actual])
    return lines
