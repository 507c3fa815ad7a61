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
