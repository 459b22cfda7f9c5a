"""A variable as the scopes of a CU hold it: its name, its type (read when first needed)
and where its value is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from deet.debuginfo.expressions import Description
from deet.debuginfo.types import Type


@dataclass(frozen=True)
class Variable:
    """``die``: the DIE's offset, by which a DW_OP_implicit_pointer names what it points
    to. ``declared``: its type, or how to read it: a function's variables are listed
    without reading their types (CPython's nest hundreds of structs deep) until a value
    is shown or computed."""

    name: str
    declared: Type | Callable[[], Type] = field(compare=False, repr=False)
    location: Description
    is_parameter: bool = False
    die: int | None = field(default=None, compare=False)
    # A goto label the compiler dropped (no address): gdb lists it with the locals, as
    # ``<optimized out>``, but no name finds it (labels are a domain of their own).
    label: bool = False

    @property
    def type(self) -> Type:
        if callable(self.declared):
            object.__setattr__(self, "declared", self.declared())
        return self.declared  # type: ignore[return-value]
