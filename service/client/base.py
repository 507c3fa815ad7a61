"""What both clients are made of: their settings, every operation, and the sending loop.

The loop that sends a call until it is answered (:meth:`Client._sent`) and the walk
through a paged list (:meth:`Client._items`) are written once, as coroutines over two
I/O steps each client supplies: ``_transmit`` (send one request) and ``_pause`` (wait
before the next attempt). The asyncio client awaits them. The blocking client's steps
block instead of suspending, so its coroutines never suspend and it runs them without
an event loop (``service.client.blocking``).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from typing import Any, ClassVar, Generic, TypedDict, TypeVar

import httpx

from service.client.calls import Call, RetryPolicy, default_key, default_url, raise_for_problem
from service.client.operations import Operations
from service.http.pagination import Page

T = TypeVar("T")
Item = TypeVar("Item")
Http = TypeVar("Http", httpx.Client, httpx.AsyncClient)
Transport = TypeVar("Transport", httpx.BaseTransport, httpx.AsyncBaseTransport)


class HttpOptions(TypedDict):
    """The settings of the httpx client under either client."""

    base_url: str
    headers: dict[str, str]
    timeout: float


class Client(Operations, Generic[Http, Transport]):
    """Call the tvet-match API at ``base_url`` (default ``$TVETMATCH_URL`` or
    http://127.0.0.1:8000) with ``key`` (default ``$TVETMATCH_API_KEY``; none is needed
    for open reads).

    A refused request raises :class:`~service.client.ApiError`; what is retried, and
    after how long, is :class:`~service.client.RetryPolicy`'s. Every POST carries an
    ``Idempotency-Key`` (a new UUID per call unless one is given), so a retried POST is
    never carried out twice. The ``iter_*`` methods follow ``next_cursor`` to the end.
    """

    # Whether the operations answer at once (True) or answer a coroutine (False).
    blocking: ClassVar[bool]

    def __init__(
        self,
        base_url: str | None = None,
        *,
        key: str | None = None,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        transport: Transport | None = None,
    ) -> None:
        key = key if key is not None else default_key()
        options = HttpOptions(
            base_url=(base_url or default_url()).rstrip("/"),
            headers={"Authorization": f"Bearer {key}"} if key else {},
            timeout=timeout,
        )
        self._http: Http = self._connect(options, transport)
        self._retry = retry or RetryPolicy()

    def _connect(self, options: HttpOptions, transport: Transport | None) -> Http:
        """Open the httpx client this client sends with."""
        raise NotImplementedError

    async def _transmit(self, request: httpx.Request) -> httpx.Response:
        """Send one request and return its response (connection errors are raised)."""
        raise NotImplementedError

    async def _pause(self, seconds: float) -> None:
        """Wait before the next attempt."""
        raise NotImplementedError

    async def _sent(self, call: Call[T]) -> T:
        """Send a call, retrying as the policy allows; return its answer, read."""
        headers = call.request_headers()  # once: every attempt carries the same key
        attempt = 0
        while True:
            request = self._http.build_request(
                call.method,
                call.path,
                params=call.params,
                json=call.json,
                content=call.content,
                headers=headers,
            )
            try:
                response = await self._transmit(request)
            except httpx.TransportError:
                wait = self._retry.after_error(call, attempt)
                if wait is None:
                    raise
            else:
                wait = self._retry.after_answer(response, attempt)
                if wait is None:
                    raise_for_problem(response)
                    return call.read(response)
            await self._pause(wait)
            attempt += 1

    async def _items(
        self, describe: Callable[..., Call[Page[Item]]], args: Any, kwargs: dict[str, Any]
    ) -> AsyncGenerator[Item, None]:
        """Yield every item of a paged list, asking for each next page by its cursor."""
        page = await self._sent(describe(*args, **kwargs))
        for item in page.items:
            yield item
        while page.next_cursor is not None:
            page = await self._sent(describe(*args, **{**kwargs, "cursor": page.next_cursor}))
            for item in page.items:
                yield item
