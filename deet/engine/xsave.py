"""AVX-512's opmask registers k0-k7, from a thread's XSAVE area: what
``PTRACE_GETREGSET(NT_X86_XSTATE)`` returns and what a core's ``NT_X86_XSTATE`` note holds.

gdb shows k0-k7 in ``info registers`` whenever the CPU has AVX-512, which it learns from
XCR0, the mask of state components the kernel enabled; Linux keeps a copy of XCR0 in the
FXSAVE part's software-reserved bytes. A component whose XSTATE_BV bit is clear is in its
initial state (all zeros) and its bytes in the area mean nothing. The area is in the
standard (non-compacted) format, whose offsets CPUID leaf 0xD reports and Python cannot
ask; as gdb 14 does for cores, the layout is told by the area's size: AMD's Zen 4 (no MPX
components) makes 2,440 bytes with k0-k7 at 832, every other AVX-512 CPU has Intel's
offset, 1088. gdb 13 assumes Intel's everywhere, so on a Zen 4 it shows garbage live and
``<unavailable>`` in a core.
"""

from __future__ import annotations

import struct

XCR0_AT = 464
XSTATE_BV_AT = 512
OPMASK_COMPONENT = 5
INTEL_OPMASK_AT = 1088
AMD_AREA_SIZE, AMD_OPMASK_AT = 2440, 832
OPMASK_NAMES: tuple[str, ...] = tuple(f"k{number}" for number in range(8))


def opmask_registers(area: bytes) -> dict[str, int]:
    """k0-k7 by name; empty where the CPU has no AVX-512 (or the area is not known)."""
    if len(area) < XSTATE_BV_AT + 8:
        return {}
    xcr0 = struct.unpack_from("<Q", area, XCR0_AT)[0]
    if not xcr0 >> OPMASK_COMPONENT & 1:
        return {}
    in_use = struct.unpack_from("<Q", area, XSTATE_BV_AT)[0] >> OPMASK_COMPONENT & 1
    at = AMD_OPMASK_AT if len(area) == AMD_AREA_SIZE else INTEL_OPMASK_AT
    if not in_use or len(area) < at + 8 * len(OPMASK_NAMES):
        return dict.fromkeys(OPMASK_NAMES, 0)
    values = struct.unpack_from(f"<{len(OPMASK_NAMES)}Q", area, at)
    return dict(zip(OPMASK_NAMES, values, strict=True))
