"""A survey upload over a real socket: the upload limit holds while the body streams in."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conftest import ADMIN, ADMIN_TOKEN
from tests.support.forked import Forker
from tests.support.server import Server, running_server, server_env
from tests.web.conftest import create_workshop

API = "/api/v1"
LIMIT = 256 * 1024
CHUNK = 16 * 1024


@pytest.fixture
def server(tmp_path: Path, forker: Forker) -> Iterator[Server]:
    env = server_env(data_dir=tmp_path / "data", database_url=None)
    env.update(TVETMATCH_SEED_ON_EMPTY="false", TVETMATCH_MAX_BODY_BYTES=str(LIMIT))
    with running_server(env, tmp_path / "server.log", forker=forker) as running:
        with httpx.Client(base_url=running.url) as client:
            assert create_workshop(client)[0] == 1
        yield running


def _answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        received = sock.recv(65536)
        assert received, f"connection closed before an answer: {data!r}"
        data += received
    head, _, rest = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}
    while len(rest) < int(headers.get("content-length", "0")):
        rest += sock.recv(65536)
    return int(status_line.split()[1]), headers, rest


def test_an_upload_past_the_limit_is_refused_before_it_ends(server: Server) -> None:
    address = urlsplit(server.url)
    assert address.hostname is not None
    assert address.port is not None
    with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
        sock.sendall(
            f"POST {API}/workshops/1/imports HTTP/1.1\r\nHost: {address.netloc}\r\n"
            f"Authorization: Bearer {ADMIN_TOKEN}\r\nContent-Type: text/csv\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        # Twice the limit, in chunks, and never the last (empty) chunk: the body does not
        # end, so an answer can only come from a server that stopped reading it.
        row = b"name,country\r\n" + b"x" * (CHUNK - 14)
        for _ in range(2 * LIMIT // CHUNK):
            try:
                sock.sendall(f"{len(row):x}\r\n".encode() + row + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break  # the server answered and closed: the answer is read below
        status, headers, body = _answer(sock)
    assert status == 413
    assert headers["content-type"] == "application/problem+json"
    assert f"larger than {LIMIT} bytes" in json.loads(body)["detail"]
    listed = httpx.get(f"{server.url}{API}/workshops/1/participants", headers=ADMIN)
    assert listed.json()["total"] == 0


def test_an_upload_within_the_limit_is_read_whole(server: Server) -> None:
    survey = "name,country,kind\r\n" + "".join(
        f"Streamed College {n},KH,college\r\n" for n in range(1000)
    )
    assert CHUNK < len(survey) < LIMIT  # several chunks, within the limit

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        encoded = survey.encode()
        for start in range(0, len(encoded), CHUNK):
            yield encoded[start : start + CHUNK]

    response = httpx.post(
        f"{server.url}{API}/workshops/1/imports",
        params={"dry_run": "true"},
        content=chunks(),
        headers={**ADMIN, "Content-Type": "text/csv"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["create"]) == 1000
