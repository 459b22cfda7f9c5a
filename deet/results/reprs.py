"""A readable ``repr`` for every result: what a grading script prints while it is being
written. Addresses in hex (``pc=0x401136``, as gdb and the JSON write them), enums by
name, and fields left at their default value left out, so a ``Stopped`` reads
``Stopped(reason=StopReason.BREAKPOINT, signal='SIGTRAP', pc=0x401181, ...)`` rather than
a line of decimal numbers and ``None``s.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import TypeVar, dataclass_transform

T = TypeVar("T")

# Fields that hold code or data addresses, wherever they occur.
ADDRESS_FIELDS = frozenset({"pc", "address", "addresses", "low", "high", "start", "target",
                            "rip_relative"})


def readable_repr(result: object) -> str:
    parts = []
    for field in dataclasses.fields(result):  # type: ignore[arg-type]
        value = getattr(result, field.name)
        if _is_default(field, value):
            continue
        parts.append(f"{field.name}={_shown(field.name, value)}")
    return f"{type(result).__name__}({', '.join(parts)})"


def _is_default(field: dataclasses.Field, value: object) -> bool:
    if field.default is not dataclasses.MISSING:
        return value == field.default
    if field.default_factory is not dataclasses.MISSING:
        return value == field.default_factory()
    return False


def _shown(name: str, value: object) -> str:
    if name in ADDRESS_FIELDS:
        if isinstance(value, int) and not isinstance(value, bool):
            return hex(value)
        if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
            inner = ", ".join(hex(v) for v in value)
            return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    return repr(value)


@dataclass_transform()
def result(kind: type[T]) -> type[T]:
    """A result type: a dataclass with the readable ``repr``. Not frozen: Python 3.11
    compiles each frozen class's ``__setattr__``, ``__delattr__`` and ``__hash__`` with
    ``exec``, 20 ms of every start for deet's 100-odd result types, and a result is made
    once by a command and only read after."""
    made = dataclasses.dataclass(kind, repr=False)
    made.__repr__ = readable_repr  # type: ignore[method-assign]
    return made
