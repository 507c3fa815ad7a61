"""The ``Idempotency-Key`` header on POST: run once, answer every retry the same.

ASGI middleware over the store in ``service.http.idempotency_store``. It sits inside the rate limit
(a retry over the limit is refused before the database is asked) and outside routing.
The body is read once, here, within the body limit, and handed on to the app as read.
A malformed key is not refused here but by the route (its POST routes are
:class:`IdempotentPostRoute`, which declares the header), after the key that authorises
the request: so a request without a valid key is told 401 first, as everywhere else.

Which answers are kept: every answer under 500, except 401, 403 and 429. A 2xx, and a
4xx that says what was wrong with the request itself (400, 404, 409, 413, 422), would be
the same on a retry, and a retry must not run the request again. Not kept, so that a
retry runs again: a 5xx (the service failed; nothing was committed, or see below), 429
(try later), and 401/403 (the key, or its rights, may be fixed). If a request's writes
were committed and its answer is not kept (say, a 503 after the commit), a retry is told
so (409) and is not run again.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request, params
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import AfterValidator
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import FieldError
from service.http import idempotency_store as idempotency
from service.http.idempotency_store import Answer, Claim, ClaimLost, Refusal, RequestKey
from service.http.problems import database_unavailable, is_database_outage, problem
from service.http.ratelimit import caller_key
from service.values.validation import Documented, drop_null

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# A token of visible ASCII, bare or as a quoted string (the draft's sf-string form).
KEY_PATTERN = r'^[!#-~]{1,255}$|^"[!#-~]{1,255}"$'
_KEY = re.compile(KEY_PATTERN)
# A replay is the first answer, in the language it was written in (Content-Language).
_KEPT_HEADERS = frozenset(
    {"content-type", "content-language", "vary", "location", "etag", "content-disposition"}
)
_NOT_KEPT = frozenset({401, 403, 429})
_PURGE_EVERY = 60.0

DESCRIPTION = (
    "A unique value (a UUID, say) that makes a retried POST safe: a request sent again with "
    "the same key and the same body gets the first answer (with `Idempotent-Replayed: "
    "true`) and changes nothing twice. The same key with another path or body: 422; "
    "while the first request still runs: 409 with `Retry-After`. Keys are scoped to the "
    "caller's key (or address, without one) and kept for 24 hours (configurable)."
)


_MALFORMED = "must be 1 to 255 visible ASCII characters (a UUID, say), bare or in double quotes"


def _checked_key(value: str) -> str:
    if not _KEY.fullmatch(value.strip()):
        raise ValueError(_MALFORMED)
    return value


def _key_from(values: list[str]) -> str | JSONResponse | None:
    """Return the key sent, a refusal of several, or ``None`` for one the route refuses."""
    if len(values) != 1:
        reason = "send one Idempotency-Key, not several"
        error = FieldError(("header", HEADER), reason)
        return problem(422, f"header.{HEADER}: {reason}", errors=[error])
    value = values[0].strip()
    if not _KEY.fullmatch(value):
        return None
    return value[1:-1] if value.startswith('"') else value


IdempotencyKey = Annotated[
    str,
    AfterValidator(_checked_key),
    Documented(pattern=KEY_PATTERN, minLength=1, maxLength=257),
]


def idempotency_key_header(
    key: Annotated[
        IdempotencyKey | None,
        Header(alias=HEADER, description=DESCRIPTION, json_schema_extra=drop_null),
    ] = None,
) -> None:
    """Declare the header on a POST route, and refuse a malformed one (after the caller's
    key is checked); what it does is done by :class:`IdempotencyMiddleware`."""


class IdempotentPostRoute(APIRoute):
    """A route class whose POST routes take ``Idempotency-Key`` (use it on each router)."""

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: set[str] | list[str] | None = None,
        dependencies: Sequence[params.Depends] | None = None,
        **options: Any,
    ) -> None:
        declared = list(dependencies or [])
        if "POST" in {method.upper() for method in methods or ()}:
            declared.append(Depends(idempotency_key_header))
        super().__init__(path, endpoint, methods=methods, dependencies=declared, **options)


class _BodyTooLarge(Exception):
    pass


async def _read_body(receive: Receive, limit: int | None) -> bytes | None:
    """Return the whole request body, or ``None`` if the client went away first."""
    chunks: list[bytes] = []
    size = 0
    while True:
        try:
            message = await receive()
        except HTTPException as error:  # FastAPI's count of the body's bytes, or ours
            if error.status_code == 413:
                raise _BodyTooLarge(error.detail) from error
            raise
        if message["type"] == "http.disconnect":
            return None
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            raise _BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """Return a ``receive`` that hands the app the body already read, then the client's."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _send_answer(answer: Answer, send: Send) -> None:
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in answer.headers]
    headers += [
        (b"content-length", str(len(answer.body)).encode()),
        (REPLAYED_HEADER.lower().encode(), b"true"),
    ]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body, "more_body": False})


class IdempotencyMiddleware:
    """Run a POST with an ``Idempotency-Key`` once per key; answer retries from the store."""

    def __init__(
        self, app: ASGIApp, *, ttl: timedelta, max_body_size: int | None, prefix: str
    ) -> None:
        self.app = app
        self.ttl = ttl
        self.max_body_size = max_body_size
        self.prefix = prefix
        self._purged_at = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or not scope["path"].startswith(self.prefix)
        ):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        values = headers.getlist(HEADER)
        if not values:
            await self.app(scope, receive, send)
            return
        key = _key_from(values)
        if isinstance(key, JSONResponse):
            await key(scope, receive, send)
            return
        if key is None:  # malformed: the route refuses it, after authentication
            await self.app(scope, receive, send)
            return
        try:
            body = await _read_body(receive, self.max_body_size)
        except _BodyTooLarge as error:
            detail = str(error) or f"The request body is larger than {self.max_body_size} bytes."
            await problem(413, detail)(scope, receive, send)
            return
        if body is None:
            return  # the client is gone; nothing was claimed
        query = scope.get("query_string", b"").decode("latin-1")
        target = scope["path"] + (f"?{query}" if query else "")
        request = RequestKey(
            scope=caller_key(scope, headers.get("authorization")),
            key=key,
            method="POST",
            target=target,
            fingerprint=idempotency.fingerprint(
                "POST", target, headers.get("content-type", ""), body
            ),
        )
        engine = scope["app"].state.engine
        try:
            await self._purge_now_and_then(engine)
            outcome = await run_in_threadpool(idempotency.claim, engine, request, ttl=self.ttl)
        except Exception as error:  # outside the app's handlers: answer as they would
            if not is_database_outage(error):
                raise
            log.error("idempotency keys cannot be stored: %s", getattr(error, "orig", error))
            await database_unavailable()(scope, receive, send)
            return
        if isinstance(outcome, Answer):
            await _send_answer(outcome, send)
        elif isinstance(outcome, Refusal):
            await self._refuse(outcome, scope, receive, send)
        else:
            await self._run(outcome, request, body, scope, receive, send)

    async def _refuse(self, refusal: Refusal, scope: Scope, receive: Receive, send: Send) -> None:
        if refusal.status == 422:
            response = problem(
                422,
                refusal.detail,
                errors=[FieldError(("header", HEADER), refusal.detail, "idempotency_key_reused")],
            )
        else:
            wait = {"Retry-After": str(refusal.retry_after)} if refusal.retry_after else None
            response = problem(refusal.status, refusal.detail, headers=wait)
        await response(scope, receive, send)

    async def _run(
        self,
        held: Claim,
        request: RequestKey,
        body: bytes,
        scope: Scope,
        receive: Receive,
        send: Send,
    ) -> None:
        engine = scope["app"].state.engine
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            assert start is not None
            answer = Answer(
                status=start["status"],
                headers=[
                    (name.decode("latin-1"), value.decode("latin-1"))
                    for name, value in start.get("headers", [])
                    if name.decode("latin-1").lower() in _KEPT_HEADERS
                ],
                body=b"".join(chunks),
            )
            await run_in_threadpool(self._settle, engine, request, held, answer)
            await send(start)
            await send({"type": "http.response.body", "body": answer.body, "more_body": False})

        token = idempotency.current_claim.set(held)
        try:
            await self.app(scope, _replaying(body, receive), capture)
        except BaseException:
            if not held.effects_committed:
                await run_in_threadpool(idempotency.release, engine, held)
            raise
        finally:
            idempotency.current_claim.reset(token)

    @staticmethod
    def _settle(engine: Any, request: RequestKey, held: Claim, answer: Answer) -> None:
        """Keep the answer, or give the key back so that a retry runs again."""
        if answer.status < 500 and answer.status not in _NOT_KEPT:
            if not idempotency.store_answer(engine, request, held, answer):
                log.warning("an idempotency claim was taken over before its answer was kept")
        elif not held.effects_committed:
            idempotency.release(engine, held)

    async def _purge_now_and_then(self, engine: Any) -> None:
        now = time.monotonic()
        if now - self._purged_at >= _PURGE_EVERY:
            self._purged_at = now
            removed = await run_in_threadpool(idempotency.purge_expired, engine)
            if removed:
                log.debug("purged %d expired idempotency keys", removed)


async def _on_claim_lost(_request: Request, exc: Exception) -> JSONResponse:
    return problem(409, str(exc))


def install_idempotency(app: FastAPI, *, ttl_seconds: int, max_body_size: int | None) -> None:
    """Honour ``Idempotency-Key`` on the app's POST routes under ``/api/``."""
    idempotency.watch_sessions()
    app.add_exception_handler(ClaimLost, _on_claim_lost)
    app.add_middleware(
        IdempotencyMiddleware,
        ttl=timedelta(seconds=ttl_seconds),
        max_body_size=max_body_size,
        prefix="/api/",
    )
