"""Real ``tvet-match serve`` processes on loopback, for tests that need a whole server.

The environment a server gets is the test's alone: inherited ``TVETMATCH_*`` variables
are dropped, rate limits are off (these tests send many requests from one address), and
the admin token is the suite's.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import httpx
import pytest

from tests.conftest import ADMIN_TOKEN
from tests.service.http.test_http import free_port, serve_command
from tests.support.forked import Forker

_START_ATTEMPTS = 3


def server_env(*, data_dir: Path, database_url: str | None) -> dict[str, str]:
    """Return the environment of a server (or a ``tvet-match`` command) on this database."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TVETMATCH_")}
    env.update(
        TVETMATCH_DATA_DIR=str(data_dir),
        TVETMATCH_ADMIN_TOKEN=ADMIN_TOKEN,
        TVETMATCH_RATE_LIMIT="",
        TVETMATCH_RATE_LIMIT_WRITES="",
        TVETMATCH_LOG_FORMAT="text",
    )
    if database_url:
        env["TVETMATCH_DATABASE_URL"] = database_url
    return env


class ServerProcess(Protocol):
    """What a test needs of a server's process: a ``subprocess.Popen``, or a forked one."""

    @property
    def pid(self) -> int: ...
    def poll(self) -> int | None: ...
    def wait(self, timeout: float | None = None) -> int: ...
    def terminate(self) -> None: ...
    def kill(self) -> None: ...


@dataclass
class Server:
    """A running server: its process, base URL and log file."""

    process: ServerProcess
    url: str
    log: Path

    def kill(self) -> None:
        """Kill the process at once (SIGKILL: no shutdown, no flush) and reap it."""
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """Ask the process to stop; kill it if it has not within 15 s."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


def start_server(
    env: Mapping[str, str],
    log: Path,
    *,
    ready_within: float = 180,
    workers: int = 1,
    forker: Forker | None = None,
) -> Server:
    """Start ``tvet-match serve`` (one process unless asked) on a free loopback port; return
    once it is ready. With a ``forker``, the server is forked from its fork server instead
    of started as a new command (``tests.support.forked``).

    A port is free when picked but can be taken before the server binds it (by another
    test worker, or another run on the machine): the server then exits, and the start is
    retried on another port. A server is ready when ``/readyz`` answers 200 and the
    listening socket is its own, not that of whoever holds the port. ``ready_within`` is
    a deadline, not a measure: on a loaded machine a first start (seeding) took 90 s.
    """
    for _attempt in range(_START_ATTEMPTS):
        port = free_port()
        command = serve_command(port, workers=workers)
        process: ServerProcess
        if forker is not None:
            process = forker.start(command[1:], env, log)
        else:
            with log.open("ab") as out:
                process = subprocess.Popen(
                    command, env=dict(env), stdout=out, stderr=subprocess.STDOUT
                )
        server = Server(process, f"http://127.0.0.1:{port}", log)
        if _ready(server, port, ready_within):
            return server
        if process.poll() is None:
            server.kill()
            pytest.fail(f"server not ready within {ready_within:.0f} s:\n{log.read_text()}")
        if "address already in use" not in log.read_text().lower():
            pytest.fail(f"server exited with {process.poll()}:\n{log.read_text()}")
    pytest.fail(f"no free port after {_START_ATTEMPTS} attempts:\n{log.read_text()}")


def _ready(server: Server, port: int, within: float) -> bool:
    """Wait until the server answers ``/readyz`` on its own socket; False if it exited."""
    deadline = time.monotonic() + within
    # One client for all the polls: each new one loads the CA bundle again (80 ms of CPU,
    # more than the poll interval). No connection is kept: each poll asks whoever listens.
    no_keep_alive = httpx.Limits(max_keepalive_connections=0)
    with httpx.Client(timeout=2, limits=no_keep_alive) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                return False
            try:
                answer = client.get(f"{server.url}/readyz")
                if answer.status_code == 200 and _listens(server.process.pid, port):
                    return True
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    return False


def _listens(pid: int, port: int) -> bool:
    """Whether process ``pid`` or one of its workers holds a socket listening on loopback
    ``port`` (Linux /proc). With ``--workers N`` the server only binds the port, and each
    forked worker listens on a socket of its own."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return True  # no /proc here: trust the answer
    return not listening_sockets(port).isdisjoint(
        link for each in (pid, *map(int, children)) for link in open_sockets(each)
    )


def listening_sockets(port: int) -> set[str]:
    """The sockets listening on loopback ``port``, as ``/proc/<pid>/fd`` links name them."""
    table = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return {
        f"socket:[{fields[9]}]"
        for fields in (line.split() for line in table)
        if fields[1] == f"0100007F:{port:04X}" and fields[3] == "0A"  # 0A: LISTEN
    }


def open_sockets(pid: int) -> set[str]:
    """What the open files of process ``pid`` link to (``socket:[inode]`` for sockets)."""
    links = set()
    with suppress(OSError):  # the process is gone
        for name in os.listdir(f"/proc/{pid}/fd"):
            with suppress(OSError):  # closed since it was listed
                links.add(os.readlink(f"/proc/{pid}/fd/{name}"))
    return links


@contextmanager
def running_server(
    env: Mapping[str, str],
    log: Path,
    *,
    workers: int = 1,
    ready_within: float = 180,
    forker: Forker | None = None,
) -> Iterator[Server]:
    """Run a server for the ``with`` block, and stop it after (unless it is gone already).

    With a ``forker``, the server is forked from it (``start_server``)."""
    server = start_server(env, log, workers=workers, ready_within=ready_within, forker=forker)
    try:
        yield server
    finally:
        server.stop()


def load_seed(env: Mapping[str, str], log: Path, *, forker: Forker) -> None:
    """Load the demo seed with ``tvet-match seed`` (creating the schema if needed), forked
    from ``forker``; its output goes to ``log``."""
    seeding = forker.start(["seed"], env, log)
    assert seeding.wait(timeout=120) == 0, log.read_text()


class FreshServers:
    """Servers that each start on their own copy of a template data directory.

    A test that needs the same starting state again and again (a stateful fuzzer replaying
    a chain of calls) takes one per run. The servers are forked from one fork server
    (``tests.support.forked``), which imports the service once instead of once per start;
    and the next one is started while the current one works, waiting when asked for.
    """

    def __init__(
        self, template: Path, env: Mapping[str, str], folder: Path, *, forker: Forker | None = None
    ) -> None:
        """Start servers on copies of ``template``; fork them from ``forker`` if given (it
        stays open on ``close``), else from a fork server of their own."""
        self._template = template
        self._env = dict(env)
        self._folder = folder
        self._numbers = itertools.count(1)
        self._starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fresh-server")
        self._own_forker = forker is None
        self._forker = forker or Forker(self._env, folder / "fork-server.log")
        self._next: Future[Server] | None = None

    def take(self) -> Server:
        """Return a running server on a fresh copy of the template; start the next one."""
        if self._next is None:
            self._next = self._starter.submit(self._start)
        server = self._next.result()
        self._next = self._starter.submit(self._start)
        return server

    def _start(self) -> Server:
        data_dir = self._folder / f"server-{next(self._numbers)}"
        shutil.copytree(self._template, data_dir)
        env = dict(self._env, TVETMATCH_DATA_DIR=str(data_dir))
        return start_server(env, data_dir / "server.log", ready_within=240, forker=self._forker)

    def close(self) -> None:
        """Stop the server started for the next taker, if any, and the fork server."""
        # A start that failed has nothing to stop (and was reported to its taker, if any).
        if self._next is not None and self._next.exception() is None:
            self._next.result().stop()
        self._next = None
        self._starter.shutdown()
        if self._own_forker:
            self._forker.close()
