"""A small DAP client for the tests: ``deet dap`` in a process of its own, requests sent
with Content-Length framing, and the responses and events read back as they come."""

from __future__ import annotations

import json
import os
import select
import subprocess
import time
from collections.abc import Callable

from support import ROOT, deet_command


class DapClient:
    def __init__(self, preexec_fn: Callable[[], None] | None = None) -> None:
        """``preexec_fn``: run in the adapter's process before exec (dropping a
        capability, say)."""
        self.process = subprocess.Popen([*deet_command(), "dap"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        cwd=ROOT, preexec_fn=preexec_fn)
        self._seq = 0
        self._buffer = b""
        self.events: list[dict] = []
        self.responses: dict[int, dict] = {}

    def send(self, command: str, **arguments: object) -> int:
        self._seq += 1
        body = json.dumps({"seq": self._seq, "type": "request", "command": command,
                           "arguments": arguments}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return self._seq

    def request(self, command: str, timeout: float = 60, **arguments: object) -> dict:
        """Send a request and wait for its response (events that come meanwhile are kept)."""
        seq = self.send(command, **arguments)
        deadline = time.monotonic() + timeout
        while seq not in self.responses:
            self._read(deadline)
        return self.responses[seq]

    def event(self, name: str, timeout: float = 60) -> dict:
        """The first event called ``name`` not yet taken (waiting for it if need be)."""
        deadline = time.monotonic() + timeout
        while True:
            for index, event in enumerate(self.events):
                if event["event"] == name:
                    return self.events.pop(index)
            self._read(deadline)

    def output(self) -> str:
        """The text of every output event so far (taken)."""
        texts = [e["body"]["output"] for e in self.events if e["event"] == "output"]
        self.events = [e for e in self.events if e["event"] != "output"]
        return "".join(texts)

    def _read(self, deadline: float) -> None:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while True:
            message = self._message()
            if message is not None:
                if message["type"] == "response":
                    self.responses[message["request_seq"]] = message
                else:
                    self.events.append(message)
                return
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError("no message from deet dap")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise EOFError("deet dap ended")
            self._buffer += chunk

    def _message(self) -> dict | None:
        head, found, rest = self._buffer.partition(b"\r\n\r\n")
        if not found:
            return None
        length = int(head.split(b":")[1])
        if len(rest) < length:
            return None
        self._buffer = rest[length:]
        return json.loads(rest[:length])

    def close(self) -> int:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
        return self.process.wait(timeout=60)
