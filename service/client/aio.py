"""The asyncio client: each operation of ``service.client.operations``, sent and read."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Coroutine
from types import TracebackType
from typing import Any, Generic, ParamSpec, Self, TypeVar, overload

import anyio
import httpx

from service.client import operations as op
from service.client.calls import Call, RetryPolicy, default_key, default_url, raise_for_problem
from service.http.pagination import Page

P = ParamSpec("P")
T = TypeVar("T")
Item = TypeVar("Item")


class _Operation(Generic[P, T]):
    """A client method made from an operation: same parameters, the answer read."""

    def __init__(self, build: Callable[P, Call[T]]) -> None:
        self._build = build

    @overload
    def __get__(self, client: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(
        self, client: AsyncTvetMatchClient, owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(
        self, client: AsyncTvetMatchClient | None, owner: type[Any]
    ) -> Self | Callable[P, Coroutine[Any, Any, T]]:
        if client is None:
            return self
        build = self._build

        @functools.wraps(build)
        async def method(*args: P.args, **kwargs: P.kwargs) -> T:
            return await client.send(build(*args, **kwargs))

        return method


class _Pages(Generic[P, Item]):
    """A client method that walks a paged list by cursor and yields every item."""

    def __init__(self, build: Callable[P, Call[Page[Item]]]) -> None:
        self._build = build

    @overload
    def __get__(self, client: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(
        self, client: AsyncTvetMatchClient, owner: type[Any]
    ) -> Callable[P, AsyncIterator[Item]]: ...
    def __get__(
        self, client: AsyncTvetMatchClient | None, owner: type[Any]
    ) -> Self | Callable[P, AsyncIterator[Item]]:
        if client is None:
            return self
        build = self._build

        async def walk(*args: P.args, **kwargs: P.kwargs) -> AsyncIterator[Item]:
            page = await client.send(build(*args, **kwargs))
            for item in page.items:
                yield item
            while page.next_cursor is not None:
                kwargs["cursor"] = page.next_cursor
                page = await client.send(build(*args, **kwargs))
                for item in page.items:
                    yield item

        return walk


class AsyncTvetMatchClient:
    """Call the tvet-match API at ``base_url`` (default ``$TVETMATCH_URL`` or
    http://127.0.0.1:8000) with ``key`` (default ``$TVETMATCH_API_KEY``; none is needed
    for open reads).

    A refused request raises :class:`~service.client.ApiError`; what is retried, and
    after how long, is :class:`~service.client.RetryPolicy`'s. Every POST carries an
    ``Idempotency-Key`` (a new UUID per call unless one is given), so a retried POST is
    never carried out twice. The ``iter_*`` methods are async iterators that follow ``next_cursor``.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        key: str | None = None,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        key = key if key is not None else default_key()
        self._http = httpx.AsyncClient(
            base_url=(base_url or default_url()).rstrip("/"),
            headers={"Authorization": f"Bearer {key}"} if key else {},
            timeout=timeout,
            transport=transport,
        )
        self._retry = retry or RetryPolicy()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def send(self, call: Call[T]) -> T:
        """Send a call, retrying as the policy allows; return its answer, read."""
        headers = call.request_headers()  # once: every attempt carries the same key
        attempt = 0
        while True:
            try:
                response = await self._http.request(
                    call.method,
                    call.path,
                    params=call.params,
                    json=call.json,
                    content=call.content,
                    headers=headers,
                )
            except httpx.TransportError:
                wait = self._retry.after_error(call, attempt)
                if wait is None:
                    raise
            else:
                wait = self._retry.after_answer(response, attempt)
                if wait is None:
                    raise_for_problem(response)
                    return call.read(response)
            await anyio.sleep(wait)
            attempt += 1

    create_institution = _Operation(op.create_institution)
    create_institutions = _Operation(op.create_institutions)
    list_institutions = _Operation(op.list_institutions)
    iter_institutions = _Pages(op.list_institutions)
    read_institution = _Operation(op.read_institution)
    read_institution_tagged = _Operation(op.read_institution_tagged)
    update_institution = _Operation(op.update_institution)
    delete_institution = _Operation(op.delete_institution)
    read_matches = _Operation(op.read_matches)
    match_profile = _Operation(op.match_profile)
    read_taxonomy = _Operation(op.read_taxonomy)
    health = _Operation(op.health)

    create_key = _Operation(op.create_key)
    list_keys = _Operation(op.list_keys)
    iter_keys = _Pages(op.list_keys)
    revoke_key = _Operation(op.revoke_key)
    create_institution_key = _Operation(op.create_institution_key)
    list_institution_keys = _Operation(op.list_institution_keys)

    create_workshop = _Operation(op.create_workshop)
    list_workshops = _Operation(op.list_workshops)
    read_workshop = _Operation(op.read_workshop)
    read_workshop_tagged = _Operation(op.read_workshop_tagged)
    update_workshop = _Operation(op.update_workshop)
    set_participants = _Operation(op.set_participants)
    list_participants = _Operation(op.list_participants)
    iter_participants = _Pages(op.list_participants)
    import_survey = _Operation(op.import_survey)
    run_pairing = _Operation(op.run_pairing)
    list_pairings = _Operation(op.list_pairings)
    iter_pairings = _Pages(op.list_pairings)
    read_pairing = _Operation(op.read_pairing)
    diff_pairings = _Operation(op.diff_pairings)
    make_schedule = _Operation(op.make_schedule)
    read_schedule = _Operation(op.read_schedule)
    export_pairing = _Operation(op.export_pairing)
    record_outcome = _Operation(op.record_outcome)
    list_outcomes = _Operation(op.list_outcomes)
    workshop_report = _Operation(op.workshop_report)

    create_opportunity = _Operation(op.create_opportunity)
    list_opportunities = _Operation(op.list_opportunities)
    read_opportunity = _Operation(op.read_opportunity)
    update_opportunity = _Operation(op.update_opportunity)
    close_opportunity = _Operation(op.close_opportunity)
    match_opportunity = _Operation(op.match_opportunity)
    opportunities_for = _Operation(op.opportunities_for)
    express_interest = _Operation(op.express_interest)
    list_interest = _Operation(op.list_interest)
    withdraw_interest = _Operation(op.withdraw_interest)

    create_saved_search = _Operation(op.create_saved_search)
    list_saved_searches = _Operation(op.list_saved_searches)
    read_saved_search = _Operation(op.read_saved_search)
    delete_saved_search = _Operation(op.delete_saved_search)
    list_alerts = _Operation(op.list_alerts)

    create_webhook = _Operation(op.create_webhook)
    list_webhooks = _Operation(op.list_webhooks)
    read_webhook = _Operation(op.read_webhook)
    delete_webhook = _Operation(op.delete_webhook)
    list_deliveries = _Operation(op.list_deliveries)
