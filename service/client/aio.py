"""The asyncio client: the shared operations, sent over ``httpx.AsyncClient``."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import TypeVar

import anyio
import httpx

from service.client.base import Client, HttpOptions
from service.client.calls import Call

T = TypeVar("T")


class AsyncTvetMatchClient(
    Client[httpx.AsyncClient, httpx.AsyncBaseTransport],
    AbstractAsyncContextManager["AsyncTvetMatchClient", None],
):
    """The asyncio client: every method answers a coroutine and the ``iter_*`` methods
    are async iterators; use it in an ``async with`` block, or ``await aclose()``.

    Settings, retries and idempotency keys: :class:`~service.client.base.Client`.
    """

    blocking = False

    def _connect(
        self, options: HttpOptions, transport: httpx.AsyncBaseTransport | None
    ) -> httpx.AsyncClient:
        return httpx.AsyncClient(**options, transport=transport)

    async def _transmit(self, request: httpx.Request) -> httpx.Response:
        return await self._http.send(request)

    async def _pause(self, seconds: float) -> None:
        await anyio.sleep(seconds)

    async def send(self, call: Call[T]) -> T:
        """Send a call, retrying as the policy allows; return its answer, read."""
        return await self._sent(call)

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()
