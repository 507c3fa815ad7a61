"""Idle and trickling sockets over a real server: closed after their deadline."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support.forked import Forker
from tests.support.server import Server, running_server, server_env

IDLE_SOCKETS = 200


@pytest.fixture
def server(tmp_path: Path, forker: Forker) -> Iterator[Server]:
    env = server_env(data_dir=tmp_path / "data", database_url=None)
    env.update(
        TVETMATCH_SEED_ON_EMPTY="false",
        TVETMATCH_HEADER_TIMEOUT_SECONDS="2",
        TVETMATCH_BODY_TIMEOUT_SECONDS="3",
    )
    with running_server(env, tmp_path / "server.log", forker=forker) as running:
        yield running


def connect(server: Server) -> socket.socket:
    address = urlsplit(server.url)
    assert address.hostname is not None
    assert address.port is not None
    sock = socket.create_connection((address.hostname, address.port), timeout=10)
    return sock


def closed_by_server(sock: socket.socket) -> bool:
    """Whether the server has closed this socket (read returns end of file or a reset)."""
    sock.settimeout(0.05)
    try:
        while sock.recv(65536):  # what is left of an answer
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        pass
    return True


def test_idle_and_half_sent_requests_are_closed_while_others_are_served(server: Server) -> None:
    sockets = [connect(server) for _ in range(IDLE_SOCKETS)]
    try:
        for n, sock in enumerate(sockets):  # every other one sends half a request line
            if n % 2:
                sock.sendall(b"GET /api/v1/instit")
        assert httpx.get(f"{server.url}/livez", timeout=10).status_code == 200
        assert not any(closed_by_server(sock) for sock in sockets[:10])
        time.sleep(3)
        still_open = [n for n, sock in enumerate(sockets) if not closed_by_server(sock)]
        assert still_open == []
        assert httpx.get(f"{server.url}/livez", timeout=10).status_code == 200
    finally:
        for sock in sockets:
            sock.close()


def test_a_body_that_trickles_is_cut_off(server: Server) -> None:
    sock = connect(server)
    try:
        sock.sendall(
            b"POST /api/v1/institutions HTTP/1.1\r\nHost: test\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        started = time.monotonic()
        deadline = started + 10
        while not closed_by_server(sock) and time.monotonic() < deadline:
            sock.sendall(b" ")  # one byte every half second: never done in time
            time.sleep(0.5)
        assert 2.5 < time.monotonic() - started < 6
    finally:
        sock.close()


def test_a_client_that_waits_between_requests_is_served_then_closed(server: Server) -> None:
    sock = connect(server)
    try:
        sock.sendall(b"GET /livez HTTP/1.1\r\nHost: test\r\n\r\n")
        sock.settimeout(10)
        assert sock.recv(1024).startswith(b"HTTP/1.1 200")
        time.sleep(2.5)  # past the head deadline, which starts again after each answer
        assert closed_by_server(sock)
    finally:
        sock.close()
