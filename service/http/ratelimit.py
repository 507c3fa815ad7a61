"""Rate limits per caller: per API key when one is sent, else per client address.

Counting happens before the body is read or the key is looked up, so a flood costs
little. The counter of a keyed request is a hash of the bearer key as authentication
reads it (scheme in any case, spaces trimmed; never the key itself), so ``bearer K`` and
``BEARER  K`` share one budget. A request without a well-formed bearer key is counted
against its client address (an IPv6 address by its /64, which one client usually holds
whole): inventing malformed headers buys no budget. Behind a reverse proxy the address is
the proxy's unless the proxy is listed in ``TVETMATCH_TRUSTED_PROXIES``, the only peers
whose ``X-Forwarded-For`` the server believes. The admin token is not limited.

Counters live in this process for ``memory://`` (``service.http.windows``; each worker and
instance counts alone), else in a ``limits`` storage that several instances can share
(e.g. ``redis://``); with ``memory://`` each allows the full rate.
If the storage fails, requests are let through and the failure is logged.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import math
import time
from collections.abc import Sequence
from typing import Protocol

from limits import RateLimitItem, parse_many
from limits.storage import MovingWindowSupport, storage_from_string
from limits.strategies import MovingWindowRateLimiter, SlidingWindowCounterRateLimiter
from limits.util import WindowStats
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from service.auth.keys import bearer_token
from service.http.problems import problem
from service.http.windows import MovingWindows

log = logging.getLogger(__name__)

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_NAMESPACE = "tvetmatch"


class Limiter(Protocol):
    """What counting needs of a limiter: ``limits``' strategies and ``MovingWindows``."""

    def hit(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool: ...

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats: ...


def _limiter(storage: str) -> Limiter:
    if storage == "memory://":
        return MovingWindows()
    counters = storage_from_string(storage)
    # A moving window is exact, and so is its Retry-After; memcached lacks it and gets
    # the sliding-window approximation.
    if isinstance(counters, MovingWindowSupport):
        return MovingWindowRateLimiter(counters)
    return SlidingWindowCounterRateLimiter(counters)


def _parse(text: str) -> list[RateLimitItem]:
    return parse_many(text) if text.strip() else []


class RateLimits:
    """The configured limits and the counters that apply them."""

    def __init__(self, *, every: str, writes: str, storage: str) -> None:
        self.every = _parse(every)
        self.writes = _parse(writes)
        self.limiter: Limiter = _limiter(storage)
        # Network storages block; keep them off the event loop.
        self.blocking = not storage.startswith("memory://")

    @property
    def active(self) -> bool:
        """Whether any limit is configured."""
        return bool(self.every or self.writes)

    def hit(self, key: str, *, write: bool) -> int | None:
        """Count one request; return the seconds to wait when it is over a limit, else None."""
        scoped: Sequence[tuple[str, list[RateLimitItem]]] = (
            ("all", self.every),
            ("writes", self.writes if write else []),
        )
        for scope, items in scoped:
            for item in items:
                if not self.limiter.hit(item, _NAMESPACE, scope, key):
                    reset_at, _ = self.limiter.get_window_stats(item, _NAMESPACE, scope, key)
                    return max(1, math.ceil(reset_at - time.time()))
        return None


def caller_key(scope: Scope, authorization: str | None) -> str:
    """Return the counter key: a hash of the bearer key, else the client address."""
    token = bearer_token(authorization) if authorization else None
    if token is not None:
        return "key:" + hashlib.sha256(token.encode()).hexdigest()[:32]
    client = scope.get("client")
    host = client[0] if client else "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"ip:{host}"
    if address.version == 6:
        return f"ip:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"ip:{address}"


class RateLimitMiddleware:
    """ASGI middleware answering 429 (with ``Retry-After``) to callers over their limit."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limits: RateLimits,
        exempt: frozenset[str],
        exempt_prefixes: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.limits = limits
        self.exempt = exempt
        self.exempt_prefixes = exempt_prefixes
        self._storage_failing = False

    def _is_admin(self, scope: Scope, authorization: str) -> bool:
        admin_token: str | None = getattr(scope["app"].state, "admin_token", None)
        if not admin_token:
            return False
        token = bearer_token(authorization)
        return token is not None and hmac.compare_digest(token.encode(), admin_token.encode())

    async def _hit(self, key: str, *, write: bool) -> int | None:
        try:
            if self.limits.blocking:
                wait = await run_in_threadpool(self.limits.hit, key, write=write)
            else:
                wait = self.limits.hit(key, write=write)
        except Exception:
            if not self._storage_failing:
                log.exception("rate-limit storage failed; letting requests through")
            self._storage_failing = True
            return None
        if self._storage_failing:
            log.warning("rate-limit storage works again")
            self._storage_failing = False
        return wait

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"] in self.exempt
            or scope["path"].startswith(self.exempt_prefixes)
            or not self.limits.active
        ):
            await self.app(scope, receive, send)
            return
        authorization = Headers(scope=scope).get("authorization")
        if authorization and self._is_admin(scope, authorization):
            await self.app(scope, receive, send)
            return
        key = caller_key(scope, authorization)
        keyed = key.startswith("key:")
        wait = await self._hit(key, write=scope["method"] not in READ_METHODS)
        if wait is None:
            await self.app(scope, receive, send)
            return
        log.info("rate limit reached by %s", "a key" if keyed else key)
        response = problem(
            429,
            f"Too many requests from this {'key' if keyed else 'address'}; retry in {wait} s.",
            headers={"Retry-After": str(wait)},
        )
        await response(scope, receive, send)
