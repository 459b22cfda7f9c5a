"""DAP's framing: ``Content-Length: N\r\n\r\n`` and then N bytes of one JSON object."""

from __future__ import annotations

import json
from typing import BinaryIO


class ProtocolError(Exception):
    """The client sent something that is not a DAP frame; ``str()`` says what."""


def read_message(stream: BinaryIO) -> dict | None:
    """The next message, or None at the end of the input."""
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            if length is None:
                continue
            break
        name, _, value = line.decode("ascii", errors="replace").partition(":")
        if name.strip().lower() == "content-length":
            try:
                length = int(value.strip())
            except ValueError:
                raise ProtocolError(f"bad Content-Length: {value.strip()!r}") from None
    body = stream.read(length)
    if len(body) < length:
        return None
    try:
        message = json.loads(body)
    except ValueError as exc:
        raise ProtocolError(f"not JSON: {exc}") from None
    if not isinstance(message, dict):
        raise ProtocolError("a message must be a JSON object")
    return message


def write_message(stream: BinaryIO, message: dict) -> None:
    body = json.dumps(message, separators=(",", ":")).encode()
    stream.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    stream.flush()
