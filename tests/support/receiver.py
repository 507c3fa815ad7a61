"""A webhook receiver on loopback: a real HTTP server in a thread that records what it gets.

It answers each POST with the next status code queued by ``answer_with`` (200, or what
``answer_only`` set, once the queue is empty), so a test can make deliveries fail and
watch them retried.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx


@dataclass(frozen=True)
class Received:
    """One request the receiver got, and the status code it answered."""

    headers: httpx.Headers
    body: bytes
    answered: int

    @property
    def json(self) -> Any:
        """The body, decoded."""
        return json.loads(self.body)

    @property
    def event_type(self) -> str:
        """The event's type, from the body."""
        return str(self.json["type"])


class Receiver:
    """Records every POST; answers with queued status codes, then 200."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.received: list[Received] = []
        self._answers: deque[int] = deque()
        self._always = 200
        self._changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                status = receiver._next_answer()
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()
                receiver._record(Received(httpx.Headers(dict(self.headers)), body, status))

            def log_message(self, format: str, *args: Any) -> None:
                return  # keep the test output quiet

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._scheme = "http"
        if tls is not None:  # serve HTTPS with this context's certificate
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
            self._scheme = "https"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Where to send webhooks."""
        host, port = self._server.server_address[:2]
        return f"{self._scheme}://{host!s}:{port}/hooks"

    def answer_with(self, *statuses: int) -> None:
        """Answer the next requests with these status codes, in order."""
        with self._changed:
            self._answers.extend(statuses)

    def answer_only(self, status: int) -> None:
        """Answer every request from now on with this status code."""
        with self._changed:
            self._answers.clear()
            self._always = status

    def wait_for(
        self, predicate: Callable[[list[Received]], bool], timeout: float = 15.0
    ) -> list[Received]:
        """Wait until ``predicate`` holds for what was received; fail after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self.received):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"receiver: condition not met within {timeout} s; got "
                        f"{[(r.event_type, r.answered) for r in self.received]}"
                    )
                self._changed.wait(left)
            return list(self.received)

    def _next_answer(self) -> int:
        with self._changed:
            return self._answers.popleft() if self._answers else self._always

    def _record(self, received: Received) -> None:
        with self._changed:
            self.received.append(received)
            self._changed.notify_all()

    def start(self) -> None:
        """Start serving."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextmanager
def running_receiver(tls: ssl.SSLContext | None = None) -> Iterator[Receiver]:
    """Run a receiver (over HTTPS if given a server context) for the ``with`` block."""
    receiver = Receiver(tls)
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()
