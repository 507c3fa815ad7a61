"""Two real service processes on one PostgreSQL database stay consistent."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_TOKEN, bearer, fresh_postgres_database
from tests.service.http.test_http import free_port, serve_command

pytestmark = [pytest.mark.http, pytest.mark.postgres]


def _start(database_url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "TVETMATCH_DATABASE_URL": database_url,
        "TVETMATCH_ADMIN_TOKEN": ADMIN_TOKEN,
        "TVETMATCH_CHANGE_POLL_SECONDS": "0.2",
        "TVETMATCH_LOG_FORMAT": "text",
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            serve_command(port),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return process, f"http://127.0.0.1:{port}"


def _wait_ready(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail("server not ready within 60 s")


@pytest.fixture
def two_servers(postgres_server: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    database = fresh_postgres_database(postgres_server)
    # Start one first so that it creates the schema; then the second.
    first, first_url = _start(database, tmp_path / "a.log")
    processes = [first]
    try:
        _wait_ready(first, first_url, tmp_path / "a.log")
        second, second_url = _start(database, tmp_path / "b.log")
        processes.append(second)
        _wait_ready(second, second_url, tmp_path / "b.log")
        yield first_url, second_url
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_a_write_through_one_instance_is_suggested_by_the_other(
    two_servers: tuple[str, str],
) -> None:
    first, second = two_servers
    seeker = {
        "name": "Kampot Demo Institute",
        "country": "KH",
        "kind": "college",
        "needs": ["CNC teacher training"],
        "offers": ["student internships"],
    }
    partner = {
        "name": "Wuxi Demo CNC Centre",
        "country": "CN",
        "kind": "college",
        "needs": ["student internships"],
        "offers": ["CNC teacher training"],
    }
    with httpx.Client(timeout=10) as client:
        seeker_created = client.post(f"{first}/api/v1/institutions", json=seeker).json()
        seeker_id = seeker_created["id"]
        written = time.monotonic()
        created = client.post(f"{first}/api/v1/institutions", json=partner).json()
        seen_after = None
        while time.monotonic() - written < 10:
            items = client.get(f"{second}/api/v1/institutions/{seeker_id}/matches").json()["items"]
            if any(item["institution"]["id"] == created["id"] for item in items):
                seen_after = time.monotonic() - written
                break
            time.sleep(0.05)
        assert seen_after is not None, "the second instance never suggested the new profile"
        print(f"\nwrite-to-visible across instances: {seen_after * 1000:.0f} ms")
        # The second now keeps the partner's public view: a rename through the first
        # replaces it there too.
        client.patch(
            f"{first}/api/v1/institutions/{created['id']}",
            json={"name": "Wuxi Demo CNC College"},
            headers=bearer(created["api_key"]),
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            items = client.get(f"{second}/api/v1/institutions/{seeker_id}/matches").json()["items"]
            names = {item["institution"]["id"]: item["institution"]["name"] for item in items}
            if names.get(created["id"]) == "Wuxi Demo CNC College":
                break
            time.sleep(0.05)
        else:
            pytest.fail("the second instance kept showing the partner's old name")
        # A change and a delete travel the same way.
        client.patch(
            f"{first}/api/v1/institutions/{created['id']}",
            json={"offers": ["hotel management"], "needs": ["chef exchange"]},
            headers=bearer(created["api_key"]),
        )
        client.delete(
            f"{second}/api/v1/institutions/{created['id']}", headers=bearer(created["api_key"])
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            items = client.get(f"{first}/api/v1/institutions/{seeker_id}/matches").json()["items"]
            if all(item["institution"]["id"] != created["id"] for item in items):
                break
            time.sleep(0.05)
        else:
            pytest.fail("the deletion through the second instance never reached the first")
        # A declined meeting request rests the pair in both instances: the second forgets
        # what it kept of the seeker's resting partners when the change log names it.
        again = client.post(f"{first}/api/v1/institutions", json=partner).json()
        assert _suggested_within(client, second, seeker_id, again["id"], present=True)
        asked = client.post(
            f"{first}/api/v1/meeting-requests",
            json={"to_institution_id": again["id"], "message": "Shall we meet?"},
            headers=bearer(seeker_created["api_key"]),
        )
        assert asked.status_code == 201, asked.text
        declined = client.post(
            f"{first}/api/v1/meeting-requests/{asked.json()['id']}/decline",
            headers=bearer(again["api_key"]),
        )
        assert declined.status_code == 200, declined.text
        assert _suggested_within(client, second, seeker_id, again["id"], present=False)
    assert seen_after < 5


def _suggested_within(
    client: httpx.Client, base: str, seeker_id: int, partner_id: int, *, present: bool
) -> bool:
    """Whether, within 10 s, ``base`` suggests (``present``) or stops suggesting the partner."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        items = client.get(f"{base}/api/v1/institutions/{seeker_id}/matches").json()["items"]
        if any(item["institution"]["id"] == partner_id for item in items) == present:
            return True
        time.sleep(0.05)
    return False
