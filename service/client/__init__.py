"""A typed Python client for the tvet-match API, blocking or asyncio.

    from service.client import TvetMatchClient

    with TvetMatchClient() as api:  # $TVETMATCH_URL, default http://127.0.0.1:8000
        npic = api.list_institutions(q="NPIC").items[0]
        for match in api.read_matches(npic.id, limit=3).items:
            print(f"{match.score:.2f}", match.institution.name, match.reasons[0])

``AsyncTvetMatchClient`` has the same methods, to ``await`` (``async with`` it). Methods
are named after the API's operation ids and take and return the service's own schemas
(pydantic models; a plain dict is accepted wherever a request model is). Refusals raise
:class:`ApiError` with the status and the refused fields; 429 and 503 are retried after
``Retry-After`` (:class:`RetryPolicy`); every POST carries an ``Idempotency-Key``.

How it is built: each operation is written once, as a method that describes its request
without sending it (``operations/``, a module per domain); both clients inherit every
operation from :class:`~service.client.operations.Operations`. The loop that sends a
call, retries it and reads the answer, and the walk through a paged list, are written
once too, as coroutines in ``base.py``: ``AsyncTvetMatchClient`` (``aio.py``) awaits
them; ``TvetMatchClient`` (``sync.py``) gives them blocking I/O, so they never suspend
and it runs them without an event loop (``blocking.py``). ``sync.py`` and ``aio.py`` hold
only that I/O: how to connect, send one request, wait and close.

To add an operation, write one method in its domain's mixin in ``operations/`` (a new
domain: a new module, its mixin added to ``Operations``), and nothing in ``sync.py`` or
``aio.py``::

    @operation
    def read_region(self, region_id: int, *, lang: str | None = None) -> Call[RegionOut]:
        '''Read a region (this docstring is the method's on both clients).'''
        path = f"{API_PREFIX}/regions/{region_id}"
        return Call("GET", path, parsed(RegionOut), params=clean({"lang": lang}))

- Name it after the route's ``operationId`` (``tests/service/client`` checks it against
  ``tests/service/http/operation_ids.txt``); a variant that also reads the ETag ends in
  ``_tagged`` and reads with ``tagged(...)``.
- ``self`` is the client, which the description does not use: it only says what to send.
  Take the service's request schema ``| Data`` and send it with ``body(...)``; take
  ``idempotency_key: str | None = None`` on a POST and send ``headers=keyed(...)``.
- The return type ``Call[X]`` makes the method answer ``X`` on ``TvetMatchClient`` and a
  coroutine of ``X`` on ``AsyncTvetMatchClient``, with the same parameters and docstring.
- A list paged by ``cursor`` also gets ``iter_<things> = paged(list_<things>)``, which
  follows ``next_cursor`` (an iterator, or an async iterator).
"""

from service.client.aio import AsyncTvetMatchClient
from service.client.calls import ApiError, Call, FieldIssue, RetryPolicy, Tagged
from service.client.sync import TvetMatchClient

__all__ = [
    "ApiError",
    "AsyncTvetMatchClient",
    "Call",
    "FieldIssue",
    "RetryPolicy",
    "Tagged",
    "TvetMatchClient",
]
