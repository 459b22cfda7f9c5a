"""Frames that tail calls took off the stack, found again from the DWARF (gdb's
``dwarf2/frame-tailcall.c``).

When ``raise`` calls ``__pthread_kill``, which jumps (a tail call) to
``__pthread_kill_implementation``, the stack holds no frame of ``__pthread_kill``: the
return address in ``raise`` leads straight to the implementation. gcc describes each call
(``DW_TAG_call_site``: where it returns to, what it calls, whether it is a tail call), so
the missing frames can be named: follow the tail calls from the function the caller called
to the function found on the stack. gdb shows such a frame at the tail call's return
address; so does deet. Like gdb, only an unambiguous chain is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deet.debuginfo.scopes import CallSite

if TYPE_CHECKING:
    from deet.debuginfo.program import DebugInfo

# Tail calls chained one after another; gdb's limit is larger, real chains are short.
MAX_DEPTH = 4


def tail_call_chain(info: DebugInfo, return_pc: int, callee_entry: int) -> list[int]:
    """The return addresses of the tail calls made between the call that returns to
    ``return_pc`` and the function entered at ``callee_entry`` (link-time addresses),
    innermost first; empty when there were none or the chain is ambiguous."""
    caller = info.function_die_at(return_pc - 1)
    if caller is None:
        return []
    site = next((s for s in caller.call_sites if s.return_pc == return_pc and not s.tail),
                None)
    start = _target(info, site) if site is not None else None
    if start is None or start == callee_entry:
        return []
    chains = _chains(info, start, callee_entry, MAX_DEPTH)
    return chains[0] if len(chains) == 1 else []


def _chains(info: DebugInfo, entry: int, callee_entry: int, depth: int) -> list[list[int]]:
    function = info.function_die_at(entry)
    if function is None:
        return []
    found: list[list[int]] = []
    for site in {s for s in function.call_sites if s.tail}:
        target = _target(info, site)
        if target == callee_entry:
            found.append([site.return_pc])
        elif target is not None and target != entry and depth > 1:
            found += [[*chain, site.return_pc]
                      for chain in _chains(info, target, callee_entry, depth - 1)]
    return found


def _target(info: DebugInfo, site: CallSite) -> int | None:
    """Where the call goes: the callee's own DIE, or its one symbol of that name."""
    if site.target is not None:
        return site.target
    if site.target_name is None:
        return None
    symbols = info.symbols.named(site.target_name)
    return symbols[0].address if len(symbols) == 1 else None
