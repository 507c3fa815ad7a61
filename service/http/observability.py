"""Request ids, access log lines and Prometheus metrics for every HTTP request."""

from __future__ import annotations

import gc
import logging
import os
import re
import time
import uuid
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, GCCollector, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from starlette.datastructures import Headers, MutableHeaders, State
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.http import logs
from service.http.blas import blas_threads

access_log = logging.getLogger("service.access")

REQUEST_ID_HEADER = "X-Request-ID"
# Probes and scrapes: never rate limited, and logged at DEBUG so they do not drown the log.
PROBE_PATHS = frozenset({"/livez", "/readyz", "/healthz", "/metrics"})
# Answers given before any route is chosen: unknown paths, 429, a declared oversize body.
UNROUTED = "unrouted"

_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Any other method is counted as "other", so a scanner cannot mint label values.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


def request_id_for(scope: Scope) -> str:
    """Return the client's ``X-Request-ID`` if it is a sane token, else a new random id."""
    sent = Headers(scope=scope).get(REQUEST_ID_HEADER)
    if sent is not None and _SANE_REQUEST_ID.fullmatch(sent):
        return sent
    return uuid.uuid4().hex


def route_template(scope: Scope) -> str:
    """Return the path template of the route that answered (``/x/{id}``), not the raw path."""
    # FastAPI resolves included routers lazily: scope["route"] is the router's own route,
    # without the prefix it was included with; the effective route beside it has the
    # full template. tests/service/http/test_operations.py checks this still holds.
    fastapi_scope = scope.get("fastapi")
    effective = fastapi_scope.get("effective_route_context") if fastapi_scope else None
    for candidate in (
        getattr(effective, "path_format", None),
        getattr(scope.get("route"), "path", None),
    ):
        if isinstance(candidate, str) and candidate:
            return candidate
    return UNROUTED


class _IndexCollector:
    """Read the matching index's size and refit figures at scrape time."""

    def __init__(self, state: State) -> None:
        self._state = state

    def collect(self) -> Iterable[Metric]:
        index = getattr(self._state, "index", None)
        if index is None:  # not started yet
            return
        yield GaugeMetricFamily(
            "tvetmatch_index_institutions", "Institutions in the matching index.", len(index)
        )
        yield GaugeMetricFamily(
            "tvetmatch_index_last_refit_seconds",
            "How long the last refit of the matching vocabulary took.",
            index.last_refit_seconds,
        )
        yield CounterMetricFamily(
            "tvetmatch_index_refits", "Refits of the matching vocabulary.", index.refits
        )
        # Each worker process has its own series: the pid tells scrapes of workers apart.
        mapped = GaugeMetricFamily(
            "tvetmatch_index_generation",
            "The index generation this worker process maps (empty: built in memory).",
            labels=["pid", "generation"],
        )
        mapped.add_metric([str(os.getpid()), index.generation or ""], 1)
        yield mapped


class _ProcessCollector:
    """Read how the answering worker process runs, at scrape time (by pid, as above)."""

    def collect(self) -> Iterable[Metric]:
        pid = str(os.getpid())
        frozen = GaugeMetricFamily(
            "tvetmatch_gc_frozen_objects",
            "Objects of this worker process's start, left out of garbage collections.",
            labels=["pid"],
        )
        frozen.add_metric([pid], gc.get_freeze_count())
        yield frozen
        blas = GaugeMetricFamily(
            "tvetmatch_blas_threads",
            "Threads the BLAS library of this worker process may use for a product.",
            labels=["pid"],
        )
        blas.add_metric([pid], blas_threads())
        yield blas


class Metrics:
    """One app's Prometheus registry and the series recorded into it."""

    def __init__(self, state: State) -> None:
        self.registry = CollectorRegistry()
        labels = ("method", "route", "status")
        self.requests = Counter(
            "tvetmatch_http_requests", "HTTP requests answered.", labels, registry=self.registry
        )
        self.latency = Histogram(
            "tvetmatch_http_request_duration_seconds",
            "Time from receiving a request to sending the end of its answer.",
            labels,
            registry=self.registry,
            buckets=_LATENCY_BUCKETS,
        )
        self.registry.register(_IndexCollector(state))
        self.registry.register(_ProcessCollector())
        # Collections per generation (a full one walks every object not frozen).
        GCCollector(registry=self.registry)

    def observe(self, *, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        method = method if method in _METHODS else "other"
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route, str(status)).observe(seconds)


class RequestContext:
    """ASGI middleware: give each request an id, then count and log its answer.

    The id comes from a sane incoming ``X-Request-ID`` or is new; it is echoed in the
    response header and set in :data:`service.http.logs.request_id` for every record logged
    while the request is handled.
    """

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_for(scope)
        token = logs.request_id.set(request_id)
        started = time.perf_counter()
        status = 500  # unless an answer starts: the app failed before it could send one

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            self.metrics.observe(
                method=scope["method"], route=route_template(scope), status=status, seconds=seconds
            )
            path: str = scope["path"]
            access_log.log(
                logging.DEBUG if path in PROBE_PATHS else logging.INFO,
                "%s %s %d",
                scope["method"],
                path,
                status,
                extra={
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                },
            )
            logs.request_id.reset(token)
