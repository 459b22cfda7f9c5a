"""DAP's framing: ``Content-Length: N\\r\\n\\r\\n`` and then N bytes of one JSON object.

The client's input is read from its descriptor with ``os.read`` into a buffer of deet's
own (never through a buffered file object), so the same bytes can be read both when deet
waits for the next request and while a command runs the program (``Incoming.read``,
called from the engine's wait when the descriptor is readable: that is how a ``pause``
is heard).
"""

from __future__ import annotations

import json
import os
from collections import deque
from typing import BinaryIO

CHUNK = 65536


class ProtocolError(Exception):
    """The client sent something that is not a DAP frame; ``str()`` says what."""


class Incoming:
    """The client's messages, in order, as they arrive on descriptor ``fd``."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.queue: deque[dict] = deque()
        self.closed = False
        self._buffer = b""

    def read(self, _fd: int | None = None) -> None:
        """Read what is there (blocking if nothing is) and queue every whole message."""
        data = os.read(self.fd, CHUNK)
        if not data:
            self.closed = True
            return
        self._buffer += data
        while (message := self._message()) is not None:
            self.queue.append(message)

    def next(self) -> dict | None:
        """The next message, waiting for it; None once the input has ended."""
        while not self.queue and not self.closed:
            self.read()
        return self.queue.popleft() if self.queue else None

    def _message(self) -> dict | None:
        head, found, rest = self._buffer.partition(b"\r\n\r\n")
        if not found:
            return None
        length = None
        for line in head.split(b"\r\n"):
            name, _, value = line.decode("ascii", errors="replace").partition(":")
            if name.strip().lower() == "content-length":
                try:
                    length = int(value.strip())
                except ValueError:
                    raise ProtocolError(f"bad Content-Length: {value.strip()!r}") from None
        if length is None:
            raise ProtocolError("a frame without Content-Length")
        if len(rest) < length:
            return None
        body, self._buffer = rest[:length], rest[length:]
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
