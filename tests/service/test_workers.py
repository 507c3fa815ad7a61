"""``serve --workers 2``: two processes map one generation and see each other's writes."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.support.server import Server, running_server, server_env

pytestmark = [pytest.mark.http]

_GENERATION = re.compile(r'tvetmatch_index_generation\{generation="([^"]*)",pid="(\d+)"\} 1')


def _worker(client: httpx.Client) -> tuple[str, str]:
    """(pid, generation) of the worker holding this client's one kept-alive connection."""
    found = _GENERATION.search(client.get("/metrics").text)
    assert found is not None
    return found.group(2), found.group(1)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    env = server_env(data_dir=tmp_path, database_url=None)
    env["TVETMATCH_CHANGE_POLL_SECONDS"] = "0.05"
    # Two workers start after the migration, seed and first generation: slower to be ready.
    with running_server(env, tmp_path / "server.log", workers=2, ready_within=180) as running:
        yield running


def test_a_write_through_one_worker_is_suggested_by_the_other(
    server: Server, tmp_path: Path
) -> None:
    with ExitStack() as stack:
        # One connection per client, kept alive: each client talks to one worker.
        by_pid: dict[str, httpx.Client] = {}
        generations = set()
        # Ready means one worker answers; the other may still be starting on a busy machine.
        deadline = time.monotonic() + 120
        one = httpx.Limits(max_connections=1)
        while len(by_pid) < 2 and time.monotonic() < deadline:
            client = httpx.Client(base_url=server.url, timeout=10, limits=one)
            pid, generation = _worker(client)
            generations.add(generation)
            if pid in by_pid:
                client.close()
                time.sleep(0.05)
            else:
                by_pid[pid] = client
                stack.callback(client.close)
        assert len(by_pid) == 2, "the second worker never answered"
        # Prepared once before the workers started, and mapped by both.
        assert generations == {"gen-000001"}
        assert (tmp_path / "index" / "CURRENT").read_text() == "gen-000001\n"
        writer = next(iter(by_pid.values()))
        welding, farms = ["welding instructor exchange"], ["rice farm internships"]
        seeker: dict[str, object] = {"name": "Battambang Polytechnic", "country": "KH"}
        seeker.update(kind="college", needs=welding, offers=farms)
        partner = {**seeker, "name": "Nanning Welding Academy", "country": "CN"}
        partner.update(needs=farms, offers=welding)
        seeker_id = writer.post("/api/v1/institutions", json=seeker).json()["id"]
        created = writer.post("/api/v1/institutions", json=partner).json()["id"]
        written = time.monotonic()
        seen_by: set[str] = set()
        while seen_by != set(by_pid) and time.monotonic() - written < 20:
            for pid, client in by_pid.items():
                items = client.get(f"/api/v1/institutions/{seeker_id}/matches").json()["items"]
                if any(item["institution"]["id"] == created for item in items):
                    seen_by.add(pid)
        assert seen_by == set(by_pid), "a worker never suggested the new profile"
        print(f"\nwrite-to-visible across workers: {(time.monotonic() - written) * 1000:.0f} ms")
