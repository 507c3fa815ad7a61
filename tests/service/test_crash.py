"""Kill -9 a real server mid-write, start it again on the same data, and count what survived.

Every write that was acknowledged (201 received) must be there after the restart; a bulk
import cut short must be there whole or not at all; an embedded SQLite database must pass
its integrity check and still be in WAL mode. Writes that were in flight when the process
died may land either way: nobody was told they had.

The servers are forked from the test process's fork server (``tests.support.forked``),
each a process of its own killed with SIGKILL: importing the service took most of each
of the eight starts.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN, fresh_postgres_database
from tests.support.forked import Forker
from tests.support.server import Server, server_env, start_server

pytestmark = pytest.mark.http

WRITERS = 6
ACKNOWLEDGED_BEFORE_KILL = 120
BULK_SIZE = 4000
SCENARIO_BUDGET = 20  # seconds for the writes of one scenario; every wait below has a deadline

DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@dataclass
class Database:
    """Where a scenario's server keeps its data, and how to start one on it."""

    env: dict[str, str]
    sqlite_file: Path | None
    log: Path
    forker: Forker

    def start(self) -> Server:
        return start_server(self.env, self.log, forker=self.forker)

    def check_sqlite_file(self) -> None:
        """The file a killed server left behind is sound and still in WAL mode."""
        if self.sqlite_file is None:
            return
        connection = sqlite3.connect(self.sqlite_file)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        finally:
            connection.close()


@pytest.fixture(params=DATABASES)
def database(request: pytest.FixtureRequest, tmp_path: Path, forker: Forker) -> Database:
    database_url = None
    sqlite_file: Path | None = tmp_path / "data" / "tvet-match.sqlite3"
    if request.param == "postgres":
        database_url = fresh_postgres_database(request.getfixturevalue("postgres_server"))
        sqlite_file = None
    env = server_env(data_dir=tmp_path / "data", database_url=database_url)
    env["TVETMATCH_SEED_ON_EMPTY"] = "false"
    return Database(env, sqlite_file, tmp_path / "server.log", forker)


def _profile(name: str, number: int) -> dict[str, object]:
    return {
        "name": name,
        "country": ("KH", "CN", "TH", "VN", "LA")[number % 5],
        "kind": "college",
        "needs": [f"teacher training in topic {number % 11}"],
        "offers": [f"internships in sector {number % 7}"],
    }


@dataclass
class Writes:
    """Registrations the server acknowledged, and those that got no answer."""

    acknowledged: dict[int, str] = field(default_factory=dict)
    unanswered: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _write_until_refused(base: str, writer: int, writes: Writes, stop_at: float) -> None:
    with httpx.Client(base_url=f"{base}/api/v1", timeout=10) as api:
        for number in range(100_000):
            if time.monotonic() > stop_at:
                return
            name = f"Crash Writer {writer}-{number:05d}"
            try:
                response = api.post("/institutions", json=_profile(name, number))
            except httpx.TransportError:
                with writes.lock:
                    writes.unanswered.append(name)
                return  # the server is gone
            with writes.lock:
                if response.status_code == 201:
                    writes.acknowledged[response.json()["id"]] = name
                else:
                    writes.refused.append(f"{name}: {response.status_code} {response.text[:200]}")
                    return


def test_acknowledged_writes_survive_a_kill(database: Database) -> None:
    server = database.start()
    writes = Writes()
    stop_at = time.monotonic() + SCENARIO_BUDGET
    writers = [
        threading.Thread(target=_write_until_refused, args=(server.url, n, writes, stop_at))
        for n in range(WRITERS)
    ]
    for thread in writers:
        thread.start()
    try:
        while time.monotonic() < stop_at and len(writes.acknowledged) < ACKNOWLEDGED_BEFORE_KILL:
            time.sleep(0.01)
    finally:
        server.kill()  # while the writers are still sending
        for thread in writers:
            thread.join(timeout=30)
    assert not writes.refused, writes.refused[:3]
    assert len(writes.acknowledged) >= ACKNOWLEDGED_BEFORE_KILL, "too few writes before the kill"
    database.check_sqlite_file()

    restarted = database.start()
    try:
        lost = []
        with httpx.Client(base_url=f"{restarted.url}/api/v1", timeout=10) as api:
            for institution_id, name in sorted(writes.acknowledged.items()):
                found = api.get(f"/institutions/{institution_id}")
                if found.status_code != 200 or found.json()["name"] != name:
                    lost.append((institution_id, name))
    finally:
        restarted.stop()
    print(
        f"\nkill -9 during {WRITERS} concurrent writers: {len(writes.acknowledged)} acknowledged, "
        f"{len(lost)} lost, {len(writes.unanswered)} in flight at the kill"
    )
    assert not lost, f"acknowledged but missing after restart: {lost[:5]}"


def _bulk(tag: str) -> list[dict[str, object]]:
    return [_profile(f"Crash Bulk {tag} {n:05d}", n) for n in range(BULK_SIZE)]


def _count(api: httpx.Client, tag: str) -> int:
    total: int = api.get("/institutions", params={"q": tag, "limit": 1}).json()["total"]
    return total


def test_a_bulk_import_cut_short_is_whole_or_absent(database: Database) -> None:
    server = database.start()
    outcome: list[int | str] = []

    def send(tag: str) -> None:
        try:
            response = httpx.post(
                f"{server.url}/api/v1/institutions/bulk",
                json=_bulk(tag),
                headers=ADMIN,
                timeout=SCENARIO_BUDGET,
            )
            outcome.append(response.status_code)
        except httpx.TransportError as error:
            outcome.append(type(error).__name__)

    tag = uuid.uuid4().hex[:8]
    sender = threading.Thread(target=send, args=(tag,))
    try:
        # Time one whole import first, then kill the server about halfway into the next.
        started = time.monotonic()
        send(uuid.uuid4().hex[:8])
        duration = time.monotonic() - started
        assert outcome == [201], outcome
        sender.start()
        time.sleep(duration / 2)
    finally:
        server.kill()
    sender.join(timeout=30)
    database.check_sqlite_file()

    restarted = database.start()
    try:
        with httpx.Client(base_url=f"{restarted.url}/api/v1", timeout=10) as api:
            present = _count(api, tag)
    finally:
        restarted.stop()
    print(
        f"\nkill -9 {duration / 2:.2f} s into a {BULK_SIZE}-profile bulk import "
        f"(one takes {duration:.2f} s): answer {outcome[1:] or 'none'}, "
        f"{present} of {BULK_SIZE} present after restart"
    )
    assert present in (0, BULK_SIZE)
    if outcome[1:] == [201]:
        assert present == BULK_SIZE
