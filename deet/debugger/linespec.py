"""Parsing what a user may write after ``break``: ``*ADDR``, ``LINE``, ``FILE:LINE``, ``FUNC``,
``FILE:FUNC``."""

from __future__ import annotations

import re
from dataclasses import dataclass

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_:.$]*")
_FUNCTION = re.compile(r"[A-Za-z_][A-Za-z0-9_.$]*")


class LocationError(Exception):
    """The location text cannot mean anything; ``str()`` is one line for the user."""


@dataclass(frozen=True)
class AddressSpec:
    address: int

    def __str__(self) -> str:
        return f"*{self.address:#x}"


@dataclass(frozen=True)
class LineSpec:
    file: str | None
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.file else str(self.line)


@dataclass(frozen=True)
class FunctionSpec:
    """``file``: only the function of that name defined in FILE (``break f.c:helper``)."""

    name: str
    file: str | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.name}" if self.file else self.name


LocationSpec = AddressSpec | LineSpec | FunctionSpec


def parse_address(text: str) -> int:
    """A hex address, ``0x`` optional (DEET's rule for ``*ADDR``)."""
    digits = text.strip().lower().removeprefix("0x")
    if not digits or any(c not in "0123456789abcdef" for c in digits) or len(digits) > 16:
        raise LocationError(f"Invalid address: {text.strip()!r}")
    return int(digits, 16)


def parse_location(text: str) -> LocationSpec:
    text = text.strip()
    if not text:
        raise LocationError("Argument required (a location: *ADDR, LINE, FILE:LINE or FUNC).")
    if text.startswith("*"):
        return AddressSpec(parse_address(text[1:]))
    if text.isdigit():
        return LineSpec(None, _line_number(text))
    if ":" in text:
        file, _, line = text.rpartition(":")
        if file and line.isdigit():
            return LineSpec(file, _line_number(line))
        if file and _FUNCTION.fullmatch(line) and "::" not in text:
            return FunctionSpec(line, file)
    if _IDENTIFIER.fullmatch(text):
        return FunctionSpec(text)
    raise LocationError(f"Invalid location: {text!r}")


def _line_number(text: str) -> int:
    line = int(text)
    if line < 1:
        raise LocationError(f"Invalid line number: {text}")
    return line
