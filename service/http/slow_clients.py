"""Deadlines for reading a request, so idle or trickling sockets cannot pile up.

uvicorn closes a connection that stays idle *between* requests (``timeout_keep_alive``),
but it sets no deadline for a request to arrive: a socket that connects and sends
nothing, or half a request line, or a body one byte a minute, is kept open for ever, and
a few thousand of them exhaust the process's file descriptors. This protocol closes a
connection whose request head has not fully arrived ``header_timeout`` seconds after the
connection opened (or after the previous answer), or whose body has not fully arrived
``body_timeout`` seconds after its head.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class _GuardedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline for each request's head and body."""

    header_timeout = 10.0
    body_timeout = 60.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_headers_complete(self) -> None:
        self._arm(self.body_timeout)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._disarm()  # the app has the whole request; how long it takes is its own affair
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm(self.header_timeout)  # the next request on this connection


def guarded_protocol(*, header_timeout: float, body_timeout: float) -> type[HttpToolsProtocol]:
    """Return the HTTP protocol class for ``uvicorn.run(http=...)`` with these deadlines."""
    return type(
        "GuardedHttpToolsProtocol",
        (_GuardedProtocol,),
        {"header_timeout": header_timeout, "body_timeout": body_timeout},
    )
