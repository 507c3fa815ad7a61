"""A lean load generator: match requests from a process of its own, over raw HTTP/1.1.

``bench.load`` used to send its requests from threads of the benchmark process, each
with an ``httpx.Client``: about 0.65 ms of client CPU a request, and eight threads
taking turns at one GIL, on the same two cores as the server measured. Users' clients
run elsewhere; here the client's cost is an artifact of measuring, so it is kept as
small as it honestly can be:

- the load runs in a fresh Python process (``python -m bench.lean_load``, which imports
  only the standard library and uvloop), so no thread of the benchmark competes with it and
  its CPU time is its own;
- one asyncio task per client, each with one keep-alive connection
  (``asyncio.open_connection``), sending requests encoded once beforehand as bytes, on
  uvloop's event loop where it is installed (it comes with the server's uvicorn[standard]);
- a response is read as its head (status line and headers) up to the blank line, then
  ``Content-Length`` bytes of body (or chunks, with ``Transfer-Encoding: chunked``, or up
  to the end of the connection when it gives neither); the body is read in full and not
  decoded.

What counts is what ``bench.load.load`` counted with httpx: a request answered 200 is a
success and its latency is kept; any other status, or a connection that breaks before
the whole answer arrived, is an error (the client then connects again and goes on). A
connection the server closed while idle (keep-alive timeout, ``Connection: close``) is
replaced before the next request without counting an error, as httpx's pool does. No
request starts after the time budget.

The process reads its instructions as JSON on stdin and writes what it measured as JSON
on stdout; ``run`` does both sides. Server CPU is the user+system time of the server's
process and every descendant (the workers, with ``--workers N``), read from ``/proc``
just before the first and just after the last request, as is the client's own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench.measure import cpu_seconds

__all__ = ["Measured", "cpu_seconds_of", "process_tree", "run"]

_ROOT = Path(__file__).resolve().parents[1]
_HEAD_END = b"\r\n\r\n"
_TIMEOUT_SECONDS = 60.0
# Statuses that never carry a body (RFC 9112, section 6.3).
_NO_BODY = frozenset({204, 304})


@dataclass(frozen=True, slots=True)
class Measured:
    """What one run of the generator saw: raw figures, summarised by ``bench.load``."""

    latencies: list[float]  # seconds, of the requests answered 200
    errors: int
    seconds: float  # wall time from the first request sent to the last answer
    server_cpu_seconds: float
    client_cpu_seconds: float


class _Broken(Exception):
    """The connection ended before a whole answer arrived."""


def process_tree(pid: int) -> list[int]:
    """Return ``pid`` and every process below it (Linux ``/proc``): a server's workers."""
    pids = [pid]
    # A process that ends while it is read has no children left to count.
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                pids += process_tree(int(child))
    return pids


def cpu_seconds_of(pids: Sequence[int]) -> float:
    """CPU time of these processes; one that has ended since counts as nothing more."""
    total = 0.0
    for pid in pids:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            total += cpu_seconds(pid)
    return total


def _encode(host: str, port: int, path: str) -> bytes:
    head = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: */*\r\n"
    return (head + "User-Agent: tvet-match-bench\r\n\r\n").encode("latin-1")


class _Connection:
    """One keep-alive connection, opened again whenever the server has ended it."""

    def __init__(self, host: str, port: int) -> None:
        self._host, self._port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        self.close()
        self._reader, self._writer = await asyncio.open_connection(self._host, self._port)
        return self._reader, self._writer

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None

    async def get(self, request: bytes) -> int:
        """Send ``request``, read the whole answer, return its status; raise ``_Broken``."""
        reader, writer = self._reader, self._writer
        # Closed by the server while idle (keep-alive timeout): not an error, a new one.
        if reader is None or writer is None or reader.at_eof():
            reader, writer = await self._open()
        try:
            writer.write(request)
            await writer.drain()
            status, close = await _read_answer(reader)
        except _Broken:
            self.close()
            raise
        except (
            OSError,
            ValueError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
        ) as error:
            # ValueError: a length or status that is not a number.
            self.close()
            raise _Broken(str(error)) from error
        if close:
            self.close()
        return status


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; return its status and whether the server ends the connection."""
    head = await reader.readuntil(_HEAD_END)
    lines = head.split(b"\r\n")
    status_line = lines[0].split(b" ", 2)
    if len(status_line) < 2 or not status_line[0].startswith(b"HTTP/1."):
        raise _Broken(f"not an HTTP/1.x status line: {lines[0]!r}")
    status = int(status_line[1])
    length: int | None = None
    chunked = False
    close = status_line[0] == b"HTTP/1.0"
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = value.strip().lower().endswith(b"chunked")
        elif name == b"connection":
            close = b"close" in value.lower()
    if status in _NO_BODY or 100 <= status < 200:
        return status, close
    if chunked:
        await _read_chunks(reader)
    elif length is not None:
        await reader.readexactly(length)
    else:
        # Neither: the body runs to the end of the connection (RFC 9112, section 6.3).
        await reader.read()
        close = True
    return status, close


async def _read_chunks(reader: asyncio.StreamReader) -> None:
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0], 16)
        if size == 0:
            # Trailer fields, if any, then the blank line that ends the message.
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass
            return
        await reader.readexactly(size + 2)


async def _load(
    base_url: str, paths: list[str], server_pid: int, clients: int, budget_seconds: float
) -> Measured:
    """Send ``GET`` each of ``paths`` over ``clients`` connections; see ``run``."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    requests = [_encode(host, port, path) for path in paths]
    connections = [_Connection(host, port) for _ in range(clients)]
    # Open each connection before the clock starts, with a request the server answers
    # cheaply; a failure here shows up in the timed requests.
    warm = _encode(host, port, "/healthz")
    await asyncio.gather(*(c.get(warm) for c in connections), return_exceptions=True)
    server_pids = process_tree(server_pid)
    latencies: list[float] = []
    errors = 0
    next_request = iter(requests)

    async def client(connection: _Connection) -> None:
        nonlocal errors
        for request in next_request:
            if time.perf_counter() > deadline:
                return
            began = time.perf_counter()
            try:
                ok = await connection.get(request) == 200
            except (_Broken, OSError):
                ok = False
            if ok:
                latencies.append(time.perf_counter() - began)
            else:
                errors += 1

    server_cpu, client_cpu = cpu_seconds_of(server_pids), cpu_seconds()
    began = time.perf_counter()
    deadline = began + budget_seconds
    tasks = [asyncio.create_task(client(c)) for c in connections]
    # A request still unanswered this long past the budget is an error (httpx's timeout).
    _, stuck = await asyncio.wait(tasks, timeout=budget_seconds + _TIMEOUT_SECONDS)
    for task in stuck:
        task.cancel()
    seconds = time.perf_counter() - began
    measured = Measured(
        latencies=latencies,
        errors=errors + len(stuck),
        seconds=seconds,
        server_cpu_seconds=cpu_seconds_of(server_pids) - server_cpu,
        client_cpu_seconds=cpu_seconds() - client_cpu,
    )
    for connection in connections:
        connection.close()
    return measured


def run(
    base_url: str,
    paths: Sequence[str],
    *,
    server_pid: int,
    clients: int,
    budget_seconds: float,
) -> Measured:
    """Send ``GET`` each of ``paths`` from ``clients`` connections, in a process of its own.

    ``server_pid`` is the server's process: its CPU time and its descendants' is measured.
    """
    spec = {
        "base_url": base_url,
        "paths": list(paths),
        "server_pid": server_pid,
        "clients": clients,
        "budget_seconds": budget_seconds,
    }
    # Started from this checkout's root, so ``bench`` is this one whatever PYTHONPATH says
    # (bench.request_cpu --before points it at another tree for the server).
    done = subprocess.run(
        [sys.executable, "-m", "bench.lean_load"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        cwd=_ROOT,
        check=False,
        # The generator gives up on answers itself; this bounds a hang anywhere else
        # (connecting, say), loudly.
        timeout=budget_seconds + 2 * _TIMEOUT_SECONDS,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the load generator failed ({done.returncode}):\n{done.stderr}")
    return Measured(**json.loads(done.stdout))


def main() -> int:
    """Read a spec on stdin, send the load, write what it measured on stdout."""
    spec = json.load(sys.stdin)
    try:
        # uvicorn's event loop (installed with uvicorn[standard], as the server is): it
        # halved the client's CPU a request here (0.14 to 0.075 ms; wrk took 0.06).
        import uvloop
    except ImportError:
        measured = asyncio.run(_load(**spec))
    else:
        measured = uvloop.run(_load(**spec))
    json.dump(asdict(measured), sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
