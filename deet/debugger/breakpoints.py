"""Logical breakpoints: what the user asked for, resolved to physical sites.

``break main`` is one breakpoint; it may stand on several addresses (a static ``helper`` in
two files). Symbolic breakpoints keep link-time addresses and are placed at link address +
load bias each time the program starts, so they survive runs and PIE relocation alike;
``*ADDR`` breakpoints are live addresses, as in gdb.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deet.debugger.linespec import AddressSpec, LocationSpec
from deet.debuginfo import CodeLocation


@dataclass
class Breakpoint:
    """``condition``: a C expression; the breakpoint stops only where it is non-zero.
    ``temporary``: deleted at its first stop (``tbreak``)."""

    number: int
    spec: LocationSpec
    code: list[CodeLocation]
    installed: set[int] = field(default_factory=set)
    enabled: bool = True
    condition: str | None = None
    temporary: bool = False
    hits: int = 0

    def addresses(self, bias: int) -> list[int]:
        if isinstance(self.spec, AddressSpec):
            return [self.spec.address]
        return [location.address + bias for location in self.code]


class BreakpointTable:
    def __init__(self) -> None:
        self._breakpoints: dict[int, Breakpoint] = {}
        self._next_number = 0

    def __iter__(self):
        return iter(self._breakpoints.values())

    def add(self, spec: LocationSpec, code: list[CodeLocation]) -> Breakpoint:
        breakpoint_ = Breakpoint(self._next_number, spec, code)
        self._breakpoints[breakpoint_.number] = breakpoint_
        self._next_number += 1
        return breakpoint_

    def discard(self, number: int) -> None:
        self._breakpoints.pop(number, None)

    def get(self, number: int) -> Breakpoint | None:
        return self._breakpoints.get(number)

    def at(self, address: int) -> Breakpoint | None:
        found = self.all_at(address)
        return found[0] if found else None

    def all_at(self, address: int) -> list[Breakpoint]:
        """The enabled breakpoints installed at ``address``, lowest number first."""
        return [b for b in self._breakpoints.values() if address in b.installed and b.enabled]

    def forget_installed(self) -> None:
        """The program is gone, and its int3s with it."""
        for breakpoint_ in self._breakpoints.values():
            breakpoint_.installed.clear()
