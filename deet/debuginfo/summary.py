"""A compilation unit's function summary: what a stop and ``break FUNC`` need from the
CU's DIEs, kept in deet's cache so that a warm session never reads them."""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

from deet.debuginfo.inlinefacts import InlineFacts
from deet.debuginfo.scopes import UnitScopes


@dataclass(frozen=True)
class FunctionSummary:
    """What a stop needs from a CU's DWARF without reading its DIEs: whether its variable
    locations are valid from a function's first instruction, the names inlined anywhere
    in it, and its functions' lowest addresses, ranges and frame names, in ``UnitScopes``' order
    so that a lookup picks the function ``UnitScopes.function_at`` would (aliases share
    addresses: libc's ``kill`` DIE is ``__GI_kill``). A function with inlined calls is
    left to the DIEs. Built when the DIEs are first read, then kept in the cache."""

    locations_valid: bool
    entries: list[int]
    ranges: list[list[tuple[int, int]]]
    names: list[str]
    has_inlined: list[bool]
    inlined: frozenset[str]

    @classmethod
    def of(cls, scopes: UnitScopes) -> FunctionSummary:
        functions = scopes.functions
        facts = scopes.facts
        return cls(
            facts.locations_valid,
            [f.lowest for f in functions],
            [[(low, high) for low, high in f.ranges] for f in functions],
            [f.frame_name for f in functions],
            facts.has_inlined,
            facts.names,
        )

    @property
    def facts(self) -> InlineFacts:
        return InlineFacts(self.locations_valid, self.has_inlined, self.inlined)

    def parts(self) -> tuple:
        return (self.locations_valid, self.entries, self.ranges, self.names, self.has_inlined,
                self.inlined)

    @classmethod
    def from_parts(cls, parts: tuple) -> FunctionSummary:
        valid, entries, ranges, names, has_inlined, inlined = parts
        if not len(entries) == len(ranges) == len(names) == len(has_inlined):
            raise ValueError("inconsistent function summary")
        ranges = [[(int(low), int(high)) for low, high in spans] for spans in ranges]
        return cls(bool(valid), list(entries), ranges, list(names),
                   [bool(flag) for flag in has_inlined], frozenset(inlined))

    def lookup(self, address: int) -> tuple[bool, str | None]:
        """(answered, frame name): the function holding ``address`` found the way
        ``UnitScopes.function_at`` finds it, name None when none does; not answered
        when that function has inlined calls (their chain needs the DIEs)."""
        index = bisect.bisect_right(self.entries, address) - 1
        order = itertools.chain(range(index, -1, -1), range(len(self.entries)))
        for row in order:
            if any(low <= address < high for low, high in self.ranges[row]):
                return (False, None) if self.has_inlined[row] else (True, self.names[row])
        return True, None
