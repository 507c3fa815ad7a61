"""The blocking client: the shared operations, sent over ``httpx.Client``."""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from typing import TypeVar

import httpx

from service.client.base import Client, HttpOptions
from service.client.blocking import finished
from service.client.calls import Call

T = TypeVar("T")


class TvetMatchClient(
    Client[httpx.Client, httpx.BaseTransport], AbstractContextManager["TvetMatchClient", None]
):
    """The blocking client: use it in a ``with`` block, or ``close()`` it.

    Settings, retries and idempotency keys: :class:`~service.client.base.Client`.
    """

    blocking = True

    def _connect(self, options: HttpOptions, transport: httpx.BaseTransport | None) -> httpx.Client:
        return httpx.Client(**options, transport=transport)

    async def _transmit(self, request: httpx.Request) -> httpx.Response:
        return self._http.send(request)  # blocks, so the coroutine never suspends

    async def _pause(self, seconds: float) -> None:
        time.sleep(seconds)

    def send(self, call: Call[T]) -> T:
        """Send a call, retrying as the policy allows; return its answer, read."""
        return finished(self._sent(call))

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()
