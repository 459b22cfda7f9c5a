"""Physical breakpoint sites: an address, the byte the int3 replaced, and how many
logical breakpoints want it (sdb's breakpoint_site). Two breakpoints on one address share
one site, so the saved byte is always the program's own byte, never a 0xcc.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from deet.engine.memory import Memory, MemoryAccessError

INT3 = 0xCC


@dataclass
class Site:
    address: int
    saved: int
    users: int = 1
    inserted: bool = False


class SiteTable:
    def __init__(self, memory: Memory) -> None:
        self._memory = memory
        self._sites: dict[int, Site] = {}

    def __contains__(self, address: int) -> bool:
        return address in self._sites

    def addresses(self) -> list[int]:
        return sorted(self._sites)

    def add(self, address: int) -> None:
        site = self._sites.get(address)
        if site is not None:
            site.users += 1
            return
        saved = self._memory.read(address, 1)[0]
        site = Site(address, saved)
        self._insert(site)
        self._sites[address] = site

    def remove(self, address: int) -> None:
        site = self._sites[address]
        site.users -= 1
        if site.users == 0:
            del self._sites[address]
            with contextlib.suppress(MemoryAccessError):
                # The program unmapped the page (code it generated, a library it closed):
                # the int3 went with it.
                self._lift(site)

    def lifted(self, address: int) -> Site | None:
        """Take the int3 at ``address`` out for one step; the caller must ``restore`` it."""
        site = self._sites.get(address)
        if site is not None and site.inserted:
            self._lift(site)
            return site
        return None

    def restore(self, site: Site) -> None:
        if self._sites.get(site.address) is site:
            self._insert(site)

    def copy_for(self, memory: Memory) -> SiteTable:
        """The same sites in a forked copy of the program's memory (the int3s were copied
        with it)."""
        table = SiteTable(memory)
        table._sites = {address: Site(site.address, site.saved, site.users, site.inserted)
                        for address, site in self._sites.items()}
        return table

    def clean(self, memory: Memory) -> None:
        """Take the int3s out of a forked copy of the program's memory (a child that runs
        free), leaving this table's process as it is."""
        for site in self._sites.values():
            if site.inserted:
                memory.write(site.address, bytes([site.saved]))

    def clean_process(self, pid: int) -> None:
        """``clean`` on process ``pid``'s memory; one killed from outside meanwhile is left
        alone (whoever waits on it collects how it ended). Nothing to open when no int3
        is in (a program forking a thousand children, no breakpoint set)."""
        if not any(site.inserted for site in self._sites.values()):
            return
        memory = Memory(pid)
        try:
            self.clean(memory)
        except MemoryAccessError:
            pass
        finally:
            memory.close()

    def lift_all(self) -> list[Site]:
        """Take every int3 out (a process deet lets go of must run without them); the
        sites lifted, for ``restore``."""
        lifted = [site for site in self._sites.values() if site.inserted]
        for site in lifted:
            self._lift(site)
        return lifted

    def hide_in(self, address: int, data: bytes) -> bytes:
        """``data`` read from ``address`` with the program's own bytes where int3s sit."""
        patched = bytearray(data)
        for site in self._sites.values():
            offset = site.address - address
            if 0 <= offset < len(data) and site.inserted:
                patched[offset] = site.saved
        return bytes(patched)

    def write(self, address: int, data: bytes) -> None:
        """Writes ``data`` as the program's own bytes: where an int3 is, the byte it hides
        is what changes, and the int3 stays."""
        patched = bytearray(data)
        for site in self._sites.values():
            offset = site.address - address
            if 0 <= offset < len(data) and site.inserted:
                site.saved = data[offset]
                patched[offset] = INT3
        self._memory.write(address, bytes(patched))

    def _insert(self, site: Site) -> None:
        self._memory.write(site.address, bytes([INT3]))
        site.inserted = True

    def _lift(self, site: Site) -> None:
        self._memory.write(site.address, bytes([site.saved]))
        site.inserted = False
