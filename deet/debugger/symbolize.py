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

CALL_REL32 = 0xE8
CALL_SIZE = 5


@dataclass(frozen=True)
class Place:
    """What is at one code address, innermost inlined function first: one name and one
    location per frame gdb counts there; ``entries``: where each inlined call's code
    begins (live addresses; the out-of-line function's is None); ``starts``: whether the
    address is where each inlined call's code is entered, gdb's rule: its entry, or any
    address whose preceding byte is not in the call (gcc hoists an instruction or two of
    an inlined body above its call site, so the entry is often not where it is entered)."""

    names: tuple[str | None, ...]
    locations: tuple[SourceLocation | None, ...]
    library: str | None
    entries: tuple[int | None, ...] = (None,)
    starts: tuple[bool, ...] = (False,)

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
        site = (SourceLocation(call.call_file, call.call_line, obj.info.file_name(call.call_file))
                if call.call_file and call.call_line else None)
        locations.append(site)
    entries = (*(call.entry + obj.bias for call in reversed(inline_chain)), None)
    starts = (*(call.entry == link or link - 1 not in call for call in reversed(inline_chain)),
              False)
    return Place(tuple(names), tuple(locations), library, entries, starts)


def _location(obj: LoadedObject, link: int) -> SourceLocation | None:
    try:
        return obj.info.location_for(link) if obj.info.has_debug_info else None
    except DebugInfoError:
        return None


def frames_of(frame: FrameState, place: Place, hidden: int = 0) -> list[Frame]:
    """The backtrace lines one physical frame stands for (``place`` names its pc); the
    ``hidden`` innermost inlined ones are left out."""
    if frame.signal_trampoline:
        return [Frame(frame.pc, None, None, signal_handler=True)]
    return [
        Frame(frame.pc, name, location, place.library)
        for name, location in zip(place.names[hidden:], place.locations[hidden:], strict=True)
    ]


def tail_call_frames(space: AddressSpace, callee: FrameState, caller: FrameState) -> list[Frame]:
    """Frames of functions that tail-called their way from ``caller``'s call to
    ``callee`` (gdb shows them; the stack does not hold them), innermost first. Each is
    named as gdb names it: the innermost function at its return address."""
    if caller.exact_pc or callee.signal_trampoline or caller.signal_trampoline:
        return []
    obj = space.object_at(caller.lookup_pc)
    if obj is None or space.object_at(callee.lookup_pc) is not obj:
        return []
    if not _called_elsewhere(obj, caller.pc - obj.bias, callee.lookup_pc - obj.bias):
        return []
    function = obj.info.function_die_at(callee.lookup_pc - obj.bias)
    if function is None:
        return []
    frames = []
    for link in obj.info.tail_calls(caller.pc - obj.bias, function.entry):
        place = place_of(space, link + obj.bias - 1)
        frames.append(Frame(link + obj.bias, place.function, place.location, place.library))
    return frames


def _called_elsewhere(obj: LoadedObject, return_address: int, callee_pc: int) -> bool:
    """Whether the direct call before ``return_address`` went to another function than
    the one holding ``callee_pc``: only then can tail calls lie between, and only then is
    the DWARF read (a deep recursion costs nothing more)."""
    code = obj.info.read_code(return_address - CALL_SIZE, CALL_SIZE)
    symbol = obj.info.function_at(callee_pc)
    if len(code) != CALL_SIZE or code[0] != CALL_REL32 or symbol is None:
        return False
    target = return_address + int.from_bytes(code[1:], "little", signed=True)
    return target != symbol.address
