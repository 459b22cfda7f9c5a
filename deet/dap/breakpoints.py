"""The client's breakpoints: each source's lines (and the function breakpoints) as the
client last set them, made with deet's ``break LOC if COND``, and their hit conditions.

A hit condition is kept here, not in deet: a stop at a breakpoint whose condition on its
hit count does not hold yet is passed over by continuing (gdb's DAP turns ``N`` into an
ignore count the same way). Accepted: ``N`` or ``>= N`` (from the Nth hit on), ``== N``
(the Nth only), ``> N``, ``% N`` (every Nth).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

from deet.results import BreakpointSet, Error, Result

Run = Callable[[str], Result]

_HIT = re.compile(r"^\s*(>=|==|>|%)?\s*(\d+)\s*$")
_TESTS: dict[str, Callable[[int, int], bool]] = {
    ">=": operator.ge, "==": operator.eq, ">": operator.gt,
    "%": lambda hits, n: hits % n == 0,
}


class HitConditionError(Exception):
    """A hit condition deet cannot read; ``str()`` says what it accepts."""


@dataclass(frozen=True)
class HitCondition:
    test: str
    count: int

    @classmethod
    def parse(cls, text: str) -> HitCondition:
        match = _HIT.match(text)
        if match is None or (match[1] == "%" and int(match[2]) == 0):
            raise HitConditionError(f"hit condition '{text}': deet accepts N, >= N, == N, "
                                    "> N or % N")
        return cls(match[1] or ">=", int(match[2]))

    def holds(self, hits: int) -> bool:
        return _TESTS[self.test](hits, self.count)


@dataclass(frozen=True)
class Wanted:
    """One breakpoint as the client asks for it."""

    location: str
    condition: str | None = None
    hit_condition: str | None = None


class ClientBreakpoints:
    def __init__(self) -> None:
        # Breakpoint numbers by source path ("" for the function breakpoints).
        self._numbers: dict[str, list[int]] = {}
        self._hits: dict[int, HitCondition] = {}

    def replace(self, key: str, wanted: list[Wanted], run: Run) -> list[dict]:
        """The breakpoints of one source (or the function breakpoints) as the client now
        wants them: the old ones deleted, each new one set; the DAP answer for each."""
        for number in self._numbers.pop(key, []):
            self._hits.pop(number, None)
            run(f"delete {number}")
        numbers, answers = [], []
        for one in wanted:
            try:
                hit = HitCondition.parse(one.hit_condition) if one.hit_condition else None
            except HitConditionError as exc:
                answers.append({"verified": False, "message": str(exc)})
                continue
            line = f"break {one.location}" + (f" if {one.condition}" if one.condition else "")
            result = run(line)
            if isinstance(result, Error) or not isinstance(result, BreakpointSet):
                message = result.message if isinstance(result, Error) else "not set"
                answers.append({"verified": False, "message": message})
                continue
            numbers.append(result.number)
            if hit is not None:
                self._hits[result.number] = hit
            answer: dict = {"id": result.number, "verified": bool(result.addresses)}
            if result.location is not None:
                answer["line"] = result.location.line
                answer["source"] = {"path": result.location.file}
            answers.append(answer)
        self._numbers[key] = numbers
        return answers

    def passes_over(self, number: int | None, hits: int) -> bool:
        """Whether a stop at breakpoint ``number``, hit ``hits`` times, is not one the
        client's hit condition stops at."""
        hit = self._hits.get(number) if number is not None else None
        return hit is not None and not hit.holds(hits)
