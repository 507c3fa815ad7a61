"""What the sync and async clients share: a described call, its answer, errors, retries."""

from __future__ import annotations

import email.utils
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

DEFAULT_URL = "http://127.0.0.1:8000"
API_PREFIX = "/api/v1"
# Answers that mean "not now": the request was not carried out, so sending it again is safe.
RETRY_STATUSES = frozenset({429, 503})
# Methods a server carries out at most once however often they are sent (RFC 9110, 9.2.2).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


def default_url() -> str:
    """Return ``$TVETMATCH_URL``, or the local service."""
    return os.environ.get("TVETMATCH_URL") or DEFAULT_URL


def default_key() -> str | None:
    """Return ``$TVETMATCH_API_KEY``, if set."""
    return os.environ.get("TVETMATCH_API_KEY") or None


@dataclass(frozen=True, slots=True)
class FieldIssue:
    """One refused field: where it is (``body.name``, ``query.cursor``) and why."""

    loc: tuple[str | int, ...]
    msg: str

    @property
    def field(self) -> str:
        """The field's dotted path without where it was sent (``name``, ``cursor``)."""
        parts = self.loc[1:] if self.loc and self.loc[0] in _PLACES else self.loc
        return ".".join(str(part) for part in parts)


_PLACES = ("body", "query", "path", "header")


class ApiError(Exception):
    """The service refused the request; ``problem`` is its RFC 9457 document."""

    def __init__(self, status: int, problem: dict[str, Any], headers: httpx.Headers) -> None:
        detail = problem.get("detail") or problem.get("title") or "error"
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.problem = problem
        self.detail: str = str(detail)
        self.headers = headers
        self.errors = [
            FieldIssue(tuple(item.get("loc", ())), str(item.get("msg", "")))
            for item in problem.get("errors") or []
            if isinstance(item, dict)
        ]

    @property
    def fields(self) -> list[str]:
        """The refused fields, e.g. ``["name", "country"]``."""
        return [issue.field for issue in self.errors]

    @property
    def etag(self) -> str | None:
        """The current ETag a 412 answer carries."""
        etag: str | None = self.headers.get("etag")
        return etag


@dataclass(frozen=True, slots=True)
class Tagged(Generic[T]):
    """A resource and its ``ETag``: send ``etag`` back as ``if_match`` to change it safely."""

    value: T
    etag: str


@dataclass(frozen=True, slots=True)
class Call(Generic[T_co]):
    """One API request, described: sent by either client, then read by ``read``."""

    method: str
    path: str
    read: Callable[[httpx.Response], T_co]
    params: Mapping[str, Any] | None = None
    json: Any = None
    content: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def request_headers(self) -> dict[str, str]:
        """The headers to send, with an ``Idempotency-Key`` for a POST that has none."""
        headers = dict(self.headers)
        if self.method == "POST" and "Idempotency-Key" not in headers:
            headers["Idempotency-Key"] = str(uuid.uuid4())
        return headers


def parsed(kind: Any) -> Callable[[httpx.Response], Any]:
    """Return a reader that validates a JSON answer as ``kind`` (a model or a type)."""
    adapter: TypeAdapter[Any] = TypeAdapter(kind)

    def read(response: httpx.Response) -> Any:
        return adapter.validate_json(response.content)

    return read


def nothing(_response: httpx.Response) -> None:
    """Read an answer without a body (204)."""


def raw(response: httpx.Response) -> bytes:
    """Read an answer as bytes (a CSV or iCalendar download)."""
    return response.content


def tagged(kind: Any) -> Callable[[httpx.Response], Tagged[Any]]:
    """Return a reader of a JSON answer and its ``ETag``."""
    read = parsed(kind)

    def read_tagged(response: httpx.Response) -> Tagged[Any]:
        return Tagged(read(response), response.headers.get("etag", ""))

    return read_tagged


def body(data: BaseModel | Mapping[str, Any] | Any) -> Any:
    """Return JSON for a request body: a model's fields as set, or the data as given."""
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json", exclude_unset=True)
    return data


def clean(params: Mapping[str, Any]) -> dict[str, Any]:
    """Drop query parameters left at ``None``."""
    return {name: value for name, value in params.items() if value is not None}


def raise_for_problem(response: httpx.Response) -> None:
    """Raise :class:`ApiError` for a 4xx or 5xx answer."""
    if response.status_code < 400:
        return
    try:
        problem = response.json()
    except ValueError:
        problem = {"detail": response.text}
    if not isinstance(problem, dict):
        problem = {"detail": str(problem)}
    raise ApiError(response.status_code, problem, response.headers)


def retry_after(response: httpx.Response) -> float | None:
    """Return the seconds ``Retry-After`` asks for (as seconds or as an HTTP date)."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When to send a request again, and after how long.

    Answers 429 and 503, and 409 with ``Retry-After`` (an earlier attempt of the same
    POST still running), are retried after what ``Retry-After`` says, or an exponential
    backoff without it; a wait longer than ``max_wait`` is not attempted (the error is
    raised, with the wait in its headers). Connection errors are retried for GET, PUT,
    DELETE and for POSTs, which always carry an ``Idempotency-Key``; never for PATCH.
    """

    retries: int = 3
    backoff: float = 0.5
    max_wait: float = 60.0

    def _backoff(self, attempt: int) -> float:
        return float(self.backoff * 2.0**attempt)

    def after_answer(self, response: httpx.Response, attempt: int) -> float | None:
        """Return how long to wait before sending again, or ``None`` not to."""
        status = response.status_code
        in_flight = status == 409 and response.request.method == "POST"
        if attempt >= self.retries or not (status in RETRY_STATUSES or in_flight):
            return None
        asked = retry_after(response)
        if in_flight and asked is None:
            return None  # a conflict of another kind: retrying would not help
        wait = self._backoff(attempt) if asked is None else asked
        return wait if wait <= self.max_wait else None

    def after_error(self, call: Call[Any], attempt: int) -> float | None:
        """Return how long to wait after a connection error, or ``None`` to raise it."""
        safe = call.method in IDEMPOTENT_METHODS or call.method == "POST"
        if attempt >= self.retries or not safe:
            return None
        return self._backoff(attempt)
