"""The benchmark's load generators against a real server: what they count, and how.

One server (the demo seed, 90 institutions) serves the whole module; each test sends a
few dozen requests, so the module takes seconds.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from bench.lean_load import run
from bench.load import Client, load
from tests.service.http.test_http import free_port
from tests.support.server import Server, running_server, server_env

pytestmark = pytest.mark.http

_MATCHES = "/api/v1/institutions/{}/matches?limit=10"
_BUDGET_SECONDS = 30.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("lean-load")
    env = server_env(data_dir=data_dir, database_url=None)
    with running_server(env, data_dir / "server.log") as running:
        yield running


def _send(server: Server, paths: list[str], clients: int) -> tuple[int, int, list[float]]:
    measured = run(
        server.url,
        paths,
        server_pid=server.process.pid,
        clients=clients,
        budget_seconds=_BUDGET_SECONDS,
    )
    return len(measured.latencies), measured.errors, measured.latencies


def test_answers_200_count_as_requests_and_others_as_errors(server: Server) -> None:
    paths = [_MATCHES.format(pid) for pid in range(1, 31)]
    paths += [_MATCHES.format(999_999)] * 5  # no such institution: 404
    paths += ["/api/v1/no-such-route"] * 3
    answered, errors, latencies = _send(server, paths, clients=4)
    assert (answered, errors) == (30, 8)
    assert all(0 < seconds < _BUDGET_SECONDS for seconds in latencies)


def test_goes_on_after_the_server_closes_the_connection(server: Server) -> None:
    # A request line uvicorn cannot parse: it answers 400 and closes the kept-alive
    # connection; the one client must connect again for the requests after it.
    paths = [_MATCHES.format(1), "/healthz not-a-version", _MATCHES.format(2), "/healthz"]
    assert _send(server, paths, clients=1)[:2] == (3, 1)


def test_a_server_that_is_gone_makes_every_request_an_error() -> None:
    measured = run(
        f"http://127.0.0.1:{free_port()}",
        ["/healthz"] * 6,
        server_pid=os.getpid(),
        clients=2,
        budget_seconds=_BUDGET_SECONDS,
    )
    assert (measured.latencies, measured.errors) == ([], 6)


@pytest.mark.parametrize("client", ["lean", "httpx"])
def test_both_generators_count_the_same_requests(server: Server, client: Client) -> None:
    figures = load(
        server.url,
        list(range(1, 91)),
        server_pid=server.process.pid,
        clients=3,
        requests=40,
        seed=7,
        budget_seconds=_BUDGET_SECONDS,
        client=client,
    )
    assert (figures.requests, figures.errors, figures.truncated) == (40, 0, False)
    assert figures.req_per_s > 0
    assert 0 < figures.p50_ms <= figures.p99_ms
    assert figures.server_cpu_ms_per_request > 0
