"""``serve --workers 2``: forked workers, a listening socket each, stopped with their parent."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from service.http.workers import PortReservation
from tests.service.http.test_http import (
    CLI,
    blas_threads,
    free_port,
    frozen_objects,
    serve_command,
)
from tests.support.server import (
    Server,
    listening_sockets,
    open_sockets,
    running_server,
    server_env,
)

pytestmark = [pytest.mark.http]

_PID = re.compile(r'tvetmatch_index_generation\{generation="[^"]*",pid="(\d+)"\} 1')


def _workers(server: Server) -> set[int]:
    """The server's forked workers: every child of its process."""
    pid = server.process.pid
    return {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie not yet reaped counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


def _answering_pid(url: str) -> int:
    """The pid of the worker that answers a request on a connection of its own."""
    found = _PID.search(httpx.get(f"{url}/metrics", timeout=10).text)
    assert found is not None
    return int(found.group(1))


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("forked-workers")
    env = server_env(data_dir=folder, database_url=None)
    with running_server(env, folder / "server.log", workers=2) as server:
        yield server


def test_fresh_connections_reach_both_workers_each_listening_on_its_own_socket(
    two_workers: Server,
) -> None:
    workers = _workers(two_workers)
    assert len(workers) == 2
    # Ready means one worker listens; the other joins the port's group once started.
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    while seen != workers and time.monotonic() < deadline:
        metrics = httpx.get(f"{two_workers.url}/metrics", timeout=10).text
        found = _PID.search(metrics)
        assert found is not None
        seen.add(int(found.group(1)))
        # Each worker froze what it inherited and what its own start left, and kept the
        # parent's one BLAS thread.
        assert frozen_objects(metrics) > 10_000
        assert blas_threads(metrics) == 1
    assert seen == workers, "the kernel never routed a connection to one of the workers"

    port = urlsplit(two_workers.url).port
    assert port is not None
    listening = listening_sockets(port)
    held = {pid: open_sockets(pid) & listening for pid in workers}
    assert len(listening) == 2
    assert all(len(sockets) == 1 for sockets in held.values()), held
    # The parent holds the port (bound) but listens on nothing: it answers no one.
    assert not open_sockets(two_workers.process.pid) & listening


def test_sigterm_stops_every_worker_and_the_server_exits_0(tmp_path: Path) -> None:
    env = server_env(data_dir=tmp_path, database_url=None)
    with running_server(env, tmp_path / "server.log", workers=2) as server:
        workers = _workers(server)
        os.kill(server.process.pid, signal.SIGTERM)
        assert server.process.wait(timeout=60) == 0
    # The parent waited for them: reaped, not zombies left for someone else.
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def test_a_server_killed_with_sigkill_leaves_no_worker_running(tmp_path: Path) -> None:
    env = server_env(data_dir=tmp_path, database_url=None)
    with running_server(env, tmp_path / "server.log", workers=2) as server:
        workers = _workers(server)
        assert len(workers) == 2
        server.kill()
        # Each worker asked the kernel for SIGTERM when its parent dies.
        deadline = time.monotonic() + 60
        while not all(_gone(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(_gone(pid) for pid in workers), "a worker outlived its parent"


def _holder(port: int, how: str) -> socket.socket:
    """A socket holding loopback ``port`` as another program or server would."""
    sock = socket.socket()
    if how != "plain-listener":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    if how != "reserved":
        sock.listen()
    return sock


@pytest.mark.parametrize(
    "how",
    [
        "plain-listener",  # another program
        "reuseport-listener",  # another server of this user, which would share the port
        "reserved",  # another server still preparing: its parent binds but does not listen
    ],
)
def test_a_port_taken_fails_the_start_before_any_preparation(tmp_path: Path, how: str) -> None:
    data_dir = tmp_path / "data"
    port = free_port()
    with _holder(port, how):
        env = server_env(data_dir=data_dir, database_url=None)
        done = subprocess.run(
            serve_command(port, workers=2, cli=CLI),
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 1, done.stderr
    assert f"cannot serve on 127.0.0.1 port {port}: address already in use" in done.stderr.lower()
    # Nothing migrated, seeded or fitted for a server that cannot listen.
    assert not any(data_dir.glob("*")), sorted(data_dir.glob("*"))


# Workers whose application refuses to start (its lifespan startup fails), forked from a
# process that needs no database: the supervision alone.
_FAILING_START = """
import logging
import uvicorn
from service.http.workers import PortReservation, serve_forked

async def app(scope, receive, send):
    assert scope["type"] == "lifespan"
    await receive()
    await send({"type": "lifespan.startup.failed", "message": "no database here"})

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
config = lambda: uvicorn.Config(app, lifespan="on", log_config=None)
raise SystemExit(serve_forked(config, PortReservation("127.0.0.1", 0), workers=2))
"""


def test_workers_that_cannot_start_stop_the_server_instead_of_being_forked_again() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _FAILING_START],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "could not start: stopping the server" in done.stderr
    assert "starting another" not in done.stderr


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        pytest.param(
            "::1",
            marks=pytest.mark.skipif(not _has_ipv6_loopback(), reason="no IPv6 loopback"),
        ),
    ],
)
def test_a_reserved_port_is_refused_to_a_second_server(host: str) -> None:
    first = PortReservation(host, 0)
    try:
        assert first.port > 0
        assert [address.sockaddr[:2] for address in first.addresses()] == [(host, first.port)]
        with pytest.raises(OSError, match=f"cannot serve on {re.escape(host)} port {first.port}"):
            PortReservation(host, first.port)
    finally:
        first.close()
