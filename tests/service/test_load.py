"""A short load on a real server: concurrent suggestion reads and registrations, no errors.

Figures (requests per second, median and 99th-percentile latency) are printed (``-s``)
and written to ``load.json`` in the test's temporary folder; they describe this machine
at this moment, so only the error count is asserted.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.conftest import fresh_postgres_database
from tests.support.forked import Forker
from tests.support.server import load_seed, running_server, server_env

pytestmark = pytest.mark.http

READS = 400
WRITES = 100
THREADS = 8
BUDGET_SECONDS = 20  # no request starts after this; a stuck server shows as errors instead
TIMEOUT_SECONDS = 30


@dataclass
class Tally:
    """What the workers saw, gathered under one lock."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error is not None:
                self.errors.append(error)


def _jobs(ids: list[int]) -> list[tuple[str, int]]:
    jobs = [("read", ids[i % len(ids)]) for i in range(READS)]
    jobs += [("write", n) for n in range(WRITES)]
    random.Random(20260512).shuffle(jobs)
    return jobs


def _send(api: httpx.Client, job: tuple[str, int]) -> str | None:
    kind, number = job
    try:
        if kind == "read":
            response = api.get(f"/institutions/{number}/matches", params={"limit": 10})
            expected = 200
        else:
            profile = {
                "name": f"Load Test College {number:04d}",
                "country": ("KH", "CN", "TH", "VN")[number % 4],
                "kind": "college",
                "fields": ["CNC machining", "industrial robotics"][: 1 + number % 2],
                "needs": [f"teacher training in topic {number % 7}"],
                "offers": [f"student internships in region {number % 5}"],
            }
            response = api.post("/institutions", json=profile)
            expected = 201
    except httpx.HTTPError as error:
        return f"{kind} {number}: {type(error).__name__}: {error}"
    if response.status_code != expected:
        return f"{kind} {number}: {response.status_code} {response.text[:200]}"
    return None


def _run_load(base: str) -> tuple[dict[str, float | int], list[str]]:
    with httpx.Client(base_url=f"{base}/api/v1", timeout=TIMEOUT_SECONDS) as probe:
        ids = [
            item["id"] for item in probe.get("/institutions", params={"limit": 100}).json()["items"]
        ]
        assert probe.get(f"/institutions/{ids[0]}/matches").status_code == 200  # warm up
    work: Iterator[tuple[str, int]] = iter(_jobs(ids))
    take = threading.Lock()
    tally = Tally()
    started = time.perf_counter()
    deadline = started + BUDGET_SECONDS

    def worker() -> None:
        with httpx.Client(base_url=f"{base}/api/v1", timeout=TIMEOUT_SECONDS) as api:
            while time.perf_counter() < deadline:
                with take:
                    job = next(work, None)
                if job is None:
                    return
                sent = time.perf_counter()
                error = _send(api, job)
                tally.record(time.perf_counter() - sent, error)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for done in [pool.submit(worker) for _ in range(THREADS)]:
            done.result()
    elapsed = time.perf_counter() - started
    latencies = sorted(tally.latencies)
    assert latencies, "no request was sent"
    figures: dict[str, float | int] = {
        "requests": len(latencies),
        "planned": READS + WRITES,
        "threads": THREADS,
        "seconds": round(elapsed, 2),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 1),
        "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 1),
        "errors": len(tally.errors),
    }
    return figures, tally.errors


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_concurrent_reads_and_writes_give_no_errors(
    database: str, request: pytest.FixtureRequest, tmp_path: Path, forker: Forker
) -> None:
    database_url = None
    if database == "postgres":
        database_url = fresh_postgres_database(request.getfixturevalue("postgres_server"))
    env = server_env(data_dir=tmp_path / "data", database_url=database_url)
    load_seed(env, tmp_path / "seed.log", forker=forker)
    with running_server(env, tmp_path / "server.log", forker=forker) as server:
        figures, errors = _run_load(server.url)
    (tmp_path / "load.json").write_text(json.dumps({"database": database, **figures}, indent=2))
    print(
        f"\nload on {database}: {figures['requests']} requests ({READS} reads, {WRITES} writes) "
        f"by {THREADS} threads in {figures['seconds']} s: {figures['requests_per_second']} req/s, "
        f"p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms, {figures['errors']} errors"
    )
    assert not errors, "; ".join(errors[:5])
