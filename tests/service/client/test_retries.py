"""Retries against a live, rate-limited server: a real 429, its Retry-After honoured."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from service.client import ApiError, AsyncTvetMatchClient, RetryPolicy, TvetMatchClient
from service.client.calls import retry_after
from tests.support.forked import Forker
from tests.support.server import Server, running_server, server_env

pytestmark = pytest.mark.http


class Recording(httpx.BaseTransport):
    """Real HTTP, noting when each answer came and with which status."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.answers: list[tuple[float, int, str | None]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.answers.append(
            (time.monotonic(), response.status_code, response.headers.get("retry-after"))
        )
        return response

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def limited(tmp_path: Path, forker: Forker) -> Iterator[Server]:
    """A server allowing each address 2 requests a second and 3 a minute."""
    env = server_env(data_dir=tmp_path / "data", database_url=None)
    env["TVETMATCH_RATE_LIMIT"] = "2/second;3/minute"
    with running_server(env, tmp_path / "server.log", forker=forker) as server:
        yield server


def test_a_429_is_retried_after_retry_after_and_a_long_wait_is_not(limited: Server) -> None:
    transport = Recording()
    with TvetMatchClient(limited.url, transport=transport, retry=RetryPolicy(max_wait=10)) as api:
        for _ in range(3):  # the third is over 2/second: 429, then retried
            assert api.list_institutions().total > 0  # the embedded demo seed
        statuses = [status for _, status, _ in transport.answers]
        assert statuses == [200, 200, 429, 200]
        (refused_at, _, wait), (retried_at, _, _) = transport.answers[2:4]
        assert wait is not None
        assert retried_at - refused_at >= int(wait) - 0.05

        # Now over 3/minute: the wait asked for is longer than max_wait, so no retry.
        with pytest.raises(ApiError) as refused:
            api.list_institutions()
    assert refused.value.status == 429
    asked = retry_after(httpx.Response(429, headers=refused.value.headers))
    assert asked is not None
    assert asked > 10
    assert [status for _, status, _ in transport.answers][4:] == [429]


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("7", 7.0), ("", None), ("soon", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],
)
def test_retry_after_is_read_in_seconds_or_as_a_date(header: str, seconds: float | None) -> None:
    assert retry_after(httpx.Response(429, headers={"Retry-After": header})) == seconds


def test_a_connection_error_is_retried_for_reads_but_not_for_patch() -> None:
    closed = "http://127.0.0.1:9"  # discard port: nothing listens on loopback
    attempts: list[str] = []

    class Counting(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            attempts.append(request.method)
            return super().handle_request(request)

    policy = RetryPolicy(retries=2, backoff=0.01)
    with TvetMatchClient(closed, transport=Counting(), retry=policy) as api:
        with pytest.raises(httpx.ConnectError):
            api.list_institutions()
        with pytest.raises(httpx.ConnectError):
            api.update_institution(1, {"city": "Guilin"})
        with pytest.raises(httpx.ConnectError):
            api.create_institution({"name": "X", "country": "KH", "kind": "college"})
    assert attempts == ["GET"] * 3 + ["PATCH"] + ["POST"] * 3


class RecordingAsync(httpx.AsyncBaseTransport):
    """Real HTTP for the asyncio client, noting when each answer came and its status."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.answers: list[tuple[float, int, str | None]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        self.answers.append(
            (time.monotonic(), response.status_code, response.headers.get("retry-after"))
        )
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
def one_a_second(tmp_path: Path, forker: Forker) -> Iterator[Server]:
    """A server allowing each address 1 request a second."""
    env = server_env(data_dir=tmp_path / "data", database_url=None)
    env["TVETMATCH_RATE_LIMIT"] = "1/second"
    with running_server(env, tmp_path / "server.log", forker=forker) as server:
        yield server


def test_the_async_client_retries_a_429_after_retry_after_too(one_a_second: Server) -> None:
    transport = RecordingAsync()

    async def three_reads_at_once() -> list[int]:
        policy = RetryPolicy(max_wait=10)
        async with AsyncTvetMatchClient(one_a_second.url, transport=transport, retry=policy) as api:
            pages = await asyncio.gather(*(api.list_institutions() for _ in range(3)))
            return [page.total for page in pages]

    totals = asyncio.run(three_reads_at_once())
    assert len(totals) == 3
    assert all(total > 0 for total in totals)  # the embedded demo seed
    statuses = [status for _, status, _ in transport.answers]
    assert statuses.count(200) == 3
    assert set(statuses) == {200, 429}  # over 1/second: refused, then retried
    refused_at, _, wait = next(answer for answer in transport.answers if answer[1] == 429)
    assert wait is not None
    last_read_at = max(at for at, status, _ in transport.answers if status == 200)
    assert last_read_at - refused_at >= int(wait) - 0.05


def test_the_async_client_retries_connection_errors_for_reads_but_not_for_patch() -> None:
    closed = "http://127.0.0.1:9"  # discard port: nothing listens on loopback
    attempts: list[str] = []

    class Counting(httpx.AsyncHTTPTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            attempts.append(request.method)
            return await super().handle_async_request(request)

    async def scenario() -> None:
        policy = RetryPolicy(retries=2, backoff=0.01)
        async with AsyncTvetMatchClient(closed, transport=Counting(), retry=policy) as api:
            with pytest.raises(httpx.ConnectError):
                await api.list_institutions()
            with pytest.raises(httpx.ConnectError):
                await api.update_institution(1, {"city": "Guilin"})

    asyncio.run(scenario())
    assert attempts == ["GET"] * 3 + ["PATCH"]
