"""Logical breakpoints: what the user asked for, resolved to physical sites.

``break main`` is one breakpoint; it may stand on several addresses (a static ``helper`` in
two files). Locations are kept per object file at link-time addresses and placed at link
address + that object's load bias each time it is loaded, so breakpoints survive runs,
PIE relocation and libraries loaded late; ``*ADDR`` breakpoints are live addresses, as in
gdb. A breakpoint with no location yet (``break puts`` before libc is loaded) is pending.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from deet.debugger.errors import DebuggerError
from deet.debugger.linespec import AddressSpec, LocationSpec
from deet.debugger.objects import AddressSpace
from deet.debuginfo import CodeLocation


@dataclass
class Breakpoint:
    """``condition``: a C expression; the breakpoint stops only where it is non-zero.
    ``temporary``: deleted at its first stop (``tbreak``). ``ignore``: how many more
    crossings (where the condition holds) pass without a stop (``ignore``, ``continue N``)."""

    number: int
    spec: LocationSpec
    # Object file path -> locations in it, at link-time addresses.
    code: dict[str, list[CodeLocation]]
    enabled: bool = True
    condition: str | None = None
    temporary: bool = False
    hits: int = 0
    ignore: int = 0

    def crossed(self) -> bool:
        """The program reached this breakpoint and its condition holds: a hit, whether or
        not it stops (gdb counts ignored crossings as hits); True if it stops."""
        self.hits += 1
        if self.ignore > 0:
            self.ignore -= 1
            return False
        return True

    def places(self, space: AddressSpace | None) -> list[tuple[int, CodeLocation]]:
        """Each location with its live address in ``space`` (link-time when nothing runs);
        locations in objects not loaded yet are left out."""
        if isinstance(self.spec, AddressSpec):
            locations = [location for found in self.code.values() for location in found]
            return [(self.spec.address, location) for location in locations[:1]]
        found = []
        for obj_path, locations in self.code.items():
            bias = 0 if space is None else space.bias_of(obj_path)
            if bias is not None:
                found.extend((location.address + bias, location) for location in locations)
        return found

    def addresses(self, space: AddressSpace | None) -> list[int]:
        return [address for address, _ in self.places(space)]

    def forget_library_locations(self, program_path: str) -> None:
        """Libraries may load elsewhere next run; their locations are found again then."""
        self.code = {path: code for path, code in self.code.items() if path == program_path}


class BreakpointTable:
    def __init__(self) -> None:
        self._breakpoints: dict[int, Breakpoint] = {}
        self._next_number = 0

    def __iter__(self) -> Iterator[Breakpoint]:
        return iter(list(self._breakpoints.values()))

    def add(self, spec: LocationSpec, code: dict[str, list[CodeLocation]]) -> Breakpoint:
        breakpoint_ = Breakpoint(self.new_number(), spec, code)
        self._breakpoints[breakpoint_.number] = breakpoint_
        return breakpoint_

    def new_number(self) -> int:
        """The next number, shared with watchpoints as in gdb."""
        number, self._next_number = self._next_number, self._next_number + 1
        return number

    def discard(self, number: int) -> None:
        self._breakpoints.pop(number, None)

    def get(self, number: int) -> Breakpoint | None:
        return self._breakpoints.get(number)

    def require(self, number: int) -> Breakpoint:
        """Breakpoint ``number``, or gdb's error when there is none."""
        found = self._breakpoints.get(number)
        if found is None:
            raise DebuggerError(f"No breakpoint number {number}.")
        return found

    def enabled_among(self, numbers: set[int]) -> list[Breakpoint]:
        """Those of breakpoints ``numbers`` that are enabled, lowest number first."""
        return [b for b in self._breakpoints.values() if b.number in numbers and b.enabled]
