"""A thin HTTP client for the tvet-match API, with retries on 429 and 503.

from service.client import TvetMatchClient

with TvetMatchClient("http://127.0.0.1:8000", key="tvm_...") as api:
    npic = api.get("/institutions", params={"q": "NPIC"})["items"][0]
    for match in api.get(f"/institutions/{npic['id']}/matches")["items"]:
        print(match["score"], match["institution"]["name"], match["reasons"][0])
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any, Self

import httpx

__all__ = ["ApiError", "TvetMatchClient"]

_RETRY_STATUSES = (429, 503)
_MAX_WAIT = 30.0


class ApiError(Exception):
    """The service answered with an error; ``problem`` is its RFC 9457 document."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        detail = problem.get("detail") or problem.get("title") or "error"
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.problem = problem


class TvetMatchClient:
    """Call the API under ``base_url``/api/v1 with an optional bearer key.

    Answers 429 and 503 are retried up to ``retries`` times, waiting what ``Retry-After``
    says (at most 30 s) or an exponential backoff.
    """

    def __init__(
        self,
        base_url: str,
        *,
        key: str | None = None,
        timeout: float = 60.0,
        retries: int = 3,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/api/v1",
            headers=headers,
            timeout=timeout,
            transport=transport,
        )
        self._retries = retries

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def request(self, method: str, path: str, **options: Any) -> httpx.Response:
        """Send a request; return the response, or raise ApiError for 4xx/5xx."""
        for attempt in range(self._retries + 1):
            response = self._http.request(method, path, **options)
            if response.status_code not in _RETRY_STATUSES or attempt == self._retries:
                break
            time.sleep(_wait(response, attempt))
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {"detail": response.text}
            raise ApiError(response.status_code, problem)
        return response

    def get(self, path: str, **options: Any) -> Any:
        """GET and decode JSON."""
        return self.request("GET", path, **options).json()

    def post(self, path: str, **options: Any) -> Any:
        """POST and decode JSON."""
        return self.request("POST", path, **options).json()


def _wait(response: httpx.Response, attempt: int) -> float:
    header = response.headers.get("retry-after", "")
    try:
        seconds = float(header)
    except ValueError:
        seconds = 0.5 * 2.0**attempt
    return min(seconds, _MAX_WAIT)
