"""``deet dap``: read requests from stdin and answer on stdout until the client
disconnects or the input ends. The program never writes to stdout here: its output is
captured and sent as ``output`` events."""

from __future__ import annotations

import signal
import sys
from typing import BinaryIO

from deet.dap.session import DapSession
from deet.dap.wire import Incoming, ProtocolError, write_message


def serve(reader: int, writer: BinaryIO) -> int:
    incoming = Incoming(reader)
    session = DapSession(lambda message: write_message(writer, message), incoming)
    try:
        while not session.finished:
            try:
                request = incoming.next()
            except ProtocolError as exc:
                print(f"deet dap: {exc}", file=sys.stderr)
                return 1
            if request is None:
                break
            if request.get("type") == "request":
                session.handle(request)
    finally:
        if session.debugger is not None and not session.finished:
            session.debugger.shutdown()
    return 0


def _exit_on_signal(signum: int, _frame) -> None:
    raise SystemExit(128 + signum)


def main(_args: list[str]) -> int:
    # An editor ends its adapter with SIGTERM: the program is killed (or let go of) first.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _exit_on_signal)
    return serve(sys.stdin.fileno(), sys.stdout.buffer)
