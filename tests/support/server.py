"""Real ``tvet-match serve`` processes on loopback, for tests that need a whole server.

The environment a server gets is the test's alone: inherited ``TVETMATCH_*`` variables
are dropped, rate limits are off (these tests send many requests from one address), and
the admin token is the suite's.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_TOKEN
from tests.service.http.test_http import CLI, free_port, serve_command


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


@dataclass
class Server:
    """A running server: its process, base URL and log file."""

    process: subprocess.Popen[bytes]
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
    env: Mapping[str, str], log: Path, *, ready_within: float = 60, workers: int = 1
) -> Server:
    """Start ``tvet-match serve`` (one process unless asked) on a free loopback port; return
    once it is ready."""
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            serve_command(port, workers=workers),
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + ready_within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{server.url}/readyz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.kill()
    pytest.fail(f"server not ready within {ready_within:.0f} s:\n{log.read_text()}")


@contextmanager
def running_server(
    env: Mapping[str, str], log: Path, *, workers: int = 1, ready_within: float = 60
) -> Iterator[Server]:
    """Run a server for the ``with`` block, and stop it after (unless it is gone already)."""
    server = start_server(env, log, workers=workers, ready_within=ready_within)
    try:
        yield server
    finally:
        server.stop()


def load_seed(env: Mapping[str, str]) -> None:
    """Load the demo seed with ``tvet-match seed`` (creating the schema if needed)."""
    subprocess.run([CLI, "seed"], env=dict(env), check=True, capture_output=True, timeout=120)
