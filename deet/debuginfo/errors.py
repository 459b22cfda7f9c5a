"""The one exception debug-info code lets out; ``str()`` is one line for the user.

pyelftools raises whatever its parsers hit on a damaged file; ``PARSE_ERRORS`` names
those, and the facade's ``guarded`` methods turn them into a ``DebugInfoError``.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from elftools.common.exceptions import DWARFError, ELFError
from elftools.construct.core import ConstructError

P = ParamSpec("P")
R = TypeVar("R")


class DebugInfoError(Exception):
    pass


PARSE_ERRORS = (
    ELFError, DWARFError, ConstructError, KeyError, IndexError, ValueError, TypeError,
    AttributeError, AssertionError, EOFError, UnicodeDecodeError, OverflowError,
    # A seek to an offset a damaged header gives (EINVAL on a file), and deet's own
    # struct reads of a damaged .eh_frame_hdr.
    OSError, struct.error,
)


def guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Turn whatever pyelftools raises on a damaged file into one DebugInfoError line."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except DebugInfoError:
            raise
        except PARSE_ERRORS as exc:
            self = args[0]
            raise DebugInfoError(f"{self.path}: corrupt debug info ({exc})") from exc

    return wrapper
