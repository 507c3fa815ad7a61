"""Run ``tvet-match serve`` on loopback as a subprocess, and time its start.

The server is the console script installed beside this Python (``.venv/bin/tvet-match``),
started with ``TVETMATCH_DATA_DIR`` pointing at a prepared database, the demo seed turned
off, an admin token of its own (``TVETMATCH_ADMIN_TOKEN``) for the benchmark's writes,
and rate limits set out of reach (the limiter still counts every request). "Ready" means
``/healthz`` answered 200: the index has been built from every stored institution.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Self

import httpx

from bench.measure import cpu_seconds, memory_mib

__all__ = ["Server"]

_HOST = "127.0.0.1"
_POLL_SECONDS = 0.02
_UNREACHABLE_LIMIT = "1000000000/minute"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((_HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _command() -> list[str]:
    script = Path(sys.executable).parent / "tvet-match"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "service.cli"]


@dataclass
class Server:
    """A running server; use as a context manager so it is always stopped."""

    data_dir: Path
    log_path: Path
    ready_timeout: float = 1800.0
    # Worker processes (``serve --workers``); 1 serves from the process started here.
    workers: int = 1
    port: int = 0
    startup_seconds: float = 0.0
    # Bearer token with every right, for writes on a service that checks callers.
    admin_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    _process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{_HOST}:{self.port}"

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def worker_pids(self) -> list[int]:
        """The processes that answer requests: the server itself, or its forked workers.

        With ``--workers N`` every child of the server is a worker: the first index fit
        ran in a refit process that was waited for before the workers were forked, and a
        later refit is a child of a worker.
        """
        if self.workers == 1:
            return [self.pid]
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        return [int(child) for child in children]

    def memory_mib(self, field: str = "VmHWM") -> float:
        """Return the server's peak (``VmHWM``) or current (``VmRSS``) resident memory."""
        return memory_mib(self.pid, field)

    @property
    def exit_code(self) -> int | None:
        """The server's exit status if it has stopped, else ``None``."""
        return None if self._process is None else self._process.poll()

    def settle(
        self, quiet_share: float = 0.1, window: float = 1.0, timeout: float = 300.0
    ) -> tuple[float, float]:
        """Wait until the server uses under ``quiet_share`` of a core for ``window`` seconds.

        Return the seconds waited and the CPU seconds the server used meanwhile: work it
        does after saying it is ready (a background refit, say) would otherwise land on
        the first requests measured.
        """
        started = time.perf_counter()
        used_before = cpu_seconds(self.pid)
        while time.perf_counter() - started < timeout:
            before = cpu_seconds(self.pid)
            time.sleep(window)
            if cpu_seconds(self.pid) - before < quiet_share * window:
                break
        waited = time.perf_counter() - started - window
        return max(waited, 0.0), cpu_seconds(self.pid) - used_before

    def log_lines(self, containing: str) -> list[str]:
        """Return the lines the server wrote that contain ``containing``."""
        if self._log is not None:
            self._log.flush()
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return [line for line in text.splitlines() if containing in line]

    def log_tail(self, lines: int = 40) -> list[str]:
        """Return the last lines the server wrote."""
        if self._log is not None:
            self._log.flush()
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return text.splitlines()[-lines:]

    def __enter__(self) -> Self:
        self.port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("TVETMATCH_")}
        env["TVETMATCH_DATA_DIR"] = str(self.data_dir)
        env["TVETMATCH_SEED_ON_EMPTY"] = "false"
        env["TVETMATCH_ADMIN_TOKEN"] = self.admin_token
        # Keep the rate limiter counting (its cost is part of a request) but out of reach:
        # the load comes from one address, which the default limit is meant to slow down.
        env["TVETMATCH_RATE_LIMIT"] = _UNREACHABLE_LIMIT
        env["TVETMATCH_RATE_LIMIT_WRITES"] = _UNREACHABLE_LIMIT
        self._log = self.log_path.open("wb")
        command = [*_command(), "serve", "--workers", str(self.workers)]
        command += ["--host", _HOST, "--port", str(self.port)]
        started = time.perf_counter()
        self._process = subprocess.Popen(
            command, cwd=self.data_dir, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )
        try:
            self._wait_ready(started)
        except BaseException:
            self._stop()
            raise
        self.startup_seconds = time.perf_counter() - started
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop()

    def _wait_ready(self, started: float) -> None:
        assert self._process is not None
        with httpx.Client(base_url=self.base_url, timeout=5.0) as client:
            while time.perf_counter() - started < self.ready_timeout:
                if self._process.poll() is not None:
                    raise RuntimeError(
                        f"server exited with {self._process.returncode}; see {self.log_path}"
                    )
                try:
                    if client.get("/healthz").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(_POLL_SECONDS)
        raise TimeoutError(f"server not ready after {self.ready_timeout:.0f}s; see {self.log_path}")

    def _stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
