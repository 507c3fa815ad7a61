"""The benchmark's load generators against a real server: what they count, and how.

One server (the demo seed, 90 institutions) serves the whole module; each test sends a
few dozen requests, so the module takes seconds beyond the server's start. The service
answers with a ``Content-Length``; the other ways an HTTP/1.1 body can end are served
by the standard library's HTTP server.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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


class _OtherBodies(BaseHTTPRequestHandler):
    """Bodies in chunks (``/chunked``), or running to the end of the connection."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.send_response(200)
        if self.path == "/chunked":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"hello ", b"world" * 2000):
                self.wfile.write(b"%x;ext=1\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\nX-Trailer: yes\r\n\r\n")
        else:
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"x" * 5000)
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test's output quiet."""


@pytest.fixture
def other_bodies() -> Iterator[str]:
    with ThreadingHTTPServer(("127.0.0.1", 0), _OtherBodies) as server:
        serving = threading.Thread(target=server.serve_forever, daemon=True)
        serving.start()
        yield f"http://127.0.0.1:{server.server_address[1]}"
        server.shutdown()


def test_reads_chunked_bodies_and_bodies_ended_by_the_connection(other_bodies: str) -> None:
    # One connection: a body read short or long would garble the next answer's head.
    paths = ["/chunked", "/chunked", "/until-close", "/chunked", "/until-close", "/chunked"]
    measured = run(
        other_bodies, paths, server_pid=os.getpid(), clients=1, budget_seconds=_BUDGET_SECONDS
    )
    assert (len(measured.latencies), measured.errors) == (6, 0)
