"""HTTP load on a running server: match requests from concurrent clients, write-to-visible.

``load`` asks ``GET /api/v1/institutions/{id}/matches?limit=10`` for stored ids picked at
random with the seed, from ``clients`` clients at once, each with one keep-alive
connection and one request after the other. By default the clients are asyncio tasks in
a process of their own (``bench.lean_load``: raw HTTP/1.1, about a fifth of httpx's CPU
a request); ``client="httpx"`` sends from threads of this process with an
``httpx.Client`` each, as the benchmark did before. Throughput is requests answered per
second of wall time; a request that fails or does not answer 200 counts as an error and
is not in the latency figures. The clients share the machine with the server, as a load
balancer or a second service on the same host would; the CPU time each side spent per
request is reported (the server's with its workers), so a reader can tell a server limit
from a client one.
"""

from __future__ import annotations

import contextlib
import random
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import httpx

from bench import lean_load
from bench.database import to_payload
from bench.measure import cpu_seconds, percentile
from bench.profiles import COUNTRIES
from matching import Profile

__all__ = ["CLIENTS", "Client", "LoadResult", "VisibleResult", "load", "write_to_visible"]

_TIMEOUT = 60.0


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What a fixed number of match requests from ``clients`` clients measured."""

    clients: int
    requests: int
    errors: int
    seconds: float
    req_per_s: float
    p50_ms: float
    p99_ms: float
    server_cpu_ms_per_request: float
    client_cpu_ms_per_request: float
    truncated: bool
    client: str = "lean"  # which generator sent the load (CLIENTS)


def _matches_path(pid: int) -> str:
    return f"/api/v1/institutions/{pid}/matches?limit=10"


Client = Literal["lean", "httpx"]
CLIENTS: tuple[Client, ...] = ("lean", "httpx")


def load(
    base_url: str,
    ids: Sequence[int],
    *,
    server_pid: int,
    clients: int,
    requests: int,
    seed: int,
    budget_seconds: float,
    client: Client = "lean",
) -> LoadResult:
    """Send ``requests`` match requests from ``clients`` clients; stop early past the budget.

    ``client`` "lean" sends them from a process of its own (``bench.lean_load``), "httpx"
    from threads of this one, each with an ``httpx.Client`` (for comparison: it costs the
    shared cores several times more CPU a request).
    """
    rng = random.Random(seed)
    paths = [_matches_path(rng.choice(ids)) for _ in range(requests)]
    send = lean_load.run if client == "lean" else _httpx_run
    measured = send(
        base_url, paths, server_pid=server_pid, clients=clients, budget_seconds=budget_seconds
    )
    done = len(measured.latencies) + measured.errors
    ms = [s * 1000 for s in measured.latencies]
    return LoadResult(
        clients=clients,
        requests=done,
        errors=measured.errors,
        seconds=measured.seconds,
        req_per_s=len(measured.latencies) / measured.seconds,
        p50_ms=percentile(ms, 50),
        p99_ms=percentile(ms, 99),
        server_cpu_ms_per_request=measured.server_cpu_seconds * 1000 / max(done, 1),
        client_cpu_ms_per_request=measured.client_cpu_seconds * 1000 / max(done, 1),
        truncated=done < requests,
        client=client,
    )


def _httpx_run(
    base_url: str,
    paths: Sequence[str],
    *,
    server_pid: int,
    clients: int,
    budget_seconds: float,
) -> lean_load.Measured:
    """``lean_load.run``'s work done the former way: threads here, an ``httpx.Client`` each."""
    next_item = iter(range(len(paths)))
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client() -> None:
        with httpx.Client(base_url=base_url, timeout=_TIMEOUT) as http:
            # Open the connection before the clock starts; a failure here shows up in the
            # timed requests.
            with contextlib.suppress(httpx.HTTPError):
                http.get("/healthz")
            start.wait()
            while True:
                with lock:
                    item = next(next_item, None)
                if item is None or time.perf_counter() > deadline[0]:
                    return
                began = time.perf_counter()
                try:
                    ok = http.get(paths[item]).status_code == 200
                except httpx.HTTPError:
                    ok = False
                took = time.perf_counter() - began
                with lock:
                    if ok:
                        latencies.append(took)
                    else:
                        errors[0] += 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    server_pids = lean_load.process_tree(server_pid)
    server_cpu, client_cpu = lean_load.cpu_seconds_of(server_pids), cpu_seconds()
    began = time.perf_counter()
    deadline[0] = began + budget_seconds
    start.wait()
    for thread in threads:
        thread.join()
    return lean_load.Measured(
        latencies=latencies,
        errors=errors[0],
        seconds=time.perf_counter() - began,
        server_cpu_seconds=lean_load.cpu_seconds_of(server_pids) - server_cpu,
        client_cpu_seconds=cpu_seconds() - client_cpu,
    )


@dataclass(frozen=True, slots=True)
class VisibleResult:
    """How long a new profile takes to appear in the suggestions of the one it complements."""

    tries: int
    visible_median_ms: float
    visible_max_ms: float
    post_median_ms: float
    get_after_post_median_ms: float
    failures: int
    polls_median: float
    samples_ms: list[float] = field(default_factory=list)


def _complement(target: Profile, index: int, rng: random.Random) -> dict[str, object]:
    """Return a new profile that offers what ``target`` needs and needs what it offers."""
    payload = to_payload(target)
    payload.update(
        name=f"Benchmark complement {index} of {target.id}",
        country=rng.choice([c for c in COUNTRIES if c != target.country]),
        kind="college",
        needs=list(target.offers),
        offers=list(target.needs),
        description="",
    )
    return payload


def write_to_visible(
    base_url: str,
    targets: Sequence[Profile],
    *,
    seed: int,
    token: str | None = None,
    timeout_seconds: float = 10.0,
) -> VisibleResult:
    """POST a complement of each target, then poll the target's matches until it appears."""
    rng = random.Random(seed)
    visible: list[float] = []
    posts: list[float] = []
    polls: list[int] = []
    failures = 0
    writer = {"authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(base_url=base_url, timeout=_TIMEOUT) as http:
        for index, target in enumerate(targets):
            assert target.id is not None
            payload = _complement(target, index, rng)
            try:
                began = time.perf_counter()
                created = http.post("/api/v1/institutions", json=payload, headers=writer)
                posted = time.perf_counter()
                if created.status_code != 201:
                    failures += 1
                    continue
                new_id = created.json()["id"]
                count = 0
                while time.perf_counter() - began < timeout_seconds:
                    count += 1
                    answer = http.get(_matches_path(target.id))
                    items = answer.json()["items"] if answer.status_code == 200 else []
                    if any(item["institution"]["id"] == new_id for item in items):
                        visible.append(time.perf_counter() - began)
                        posts.append(posted - began)
                        polls.append(count)
                        break
                else:
                    failures += 1
            except httpx.HTTPError:
                failures += 1
    ms = [s * 1000 for s in visible]
    return VisibleResult(
        tries=len(targets),
        visible_median_ms=percentile(ms, 50),
        visible_max_ms=max(ms, default=float("nan")),
        post_median_ms=percentile([s * 1000 for s in posts], 50),
        get_after_post_median_ms=percentile(
            [(seen - posted) * 1000 for seen, posted in zip(visible, posts, strict=True)], 50
        ),
        failures=failures,
        polls_median=statistics.median(polls) if polls else float("nan"),
        samples_ms=[round(v, 2) for v in ms],
    )
