"""The C library, loaded once for the whole engine.

A few kernel requests are made by neither Python's ``os`` module nor python-ptrace
(``personality``, ``prctl``, the ``tgkill`` system call); they all go through this one
handle, loaded with ``use_errno`` so that a failure's errno can be read back.
"""

from __future__ import annotations

import ctypes

libc = ctypes.CDLL(None, use_errno=True)
