"""Naming code addresses: which object, which function (inlined ones included), which line.

A physical frame whose pc lies in inlined code is shown as several frames, the way gdb
shows them: the innermost inlined function at the pc's line, then each function it was
inlined into at the line of the inlined call.
"""

from __future__ import annotations

from dataclasses import dataclass

from deet.debugger.objects import AddressSpace, LoadedObject
from deet.debugger.unwind import FrameState
from deet.debuginfo import DebugInfoError, SourceLocation
from deet.results import Frame


@dataclass(frozen=True)
class Place:
    """What is at one code address, innermost inlined function first."""

    names: tuple[str | None, ...]
    locations: tuple[SourceLocation | None, ...]
    library: str | None

    @property
    def function(self) -> str | None:
        return self.names[0]

    @property
    def location(self) -> SourceLocation | None:
        return self.locations[0]


def place_of(space: AddressSpace, address: int) -> Place:
    """Name the code at ``address`` (a live address; pass pc - 1 for a return address)."""
    obj = space.object_at(address)
    if obj is None:
        return Place((None,), (None,), None)
    link = address - obj.bias
    name, inline_chain = obj.info.frame_function(link)
    location = _location(obj, link)
    library = None if obj.is_program else obj.name
    if not inline_chain:
        return Place((name,), (location,), library)
    # Innermost first: the innermost inlined body at the pc's own line, each enclosing
    # function at the line where the body inside it was inlined.
    names = [call.name for call in reversed(inline_chain)] + [name]
    locations: list[SourceLocation | None] = [location]
    for call in reversed(inline_chain):
        site = (SourceLocation(call.call_file, call.call_line)
                if call.call_file and call.call_line else None)
        locations.append(site)
    return Place(tuple(names), tuple(locations), library)


def _location(obj: LoadedObject, link: int) -> SourceLocation | None:
    try:
        return obj.info.location_for(link) if obj.info.has_debug_info else None
    except DebugInfoError:
        return None


def frames_of(space: AddressSpace, frame: FrameState) -> list[Frame]:
    """The backtrace lines one physical frame stands for."""
    if frame.signal_trampoline:
        return [Frame(frame.pc, None, None, signal_handler=True)]
    place = place_of(space, frame.lookup_pc)
    return [
        Frame(frame.pc, name, location, place.library)
        for name, location in zip(place.names, place.locations, strict=True)
    ]
