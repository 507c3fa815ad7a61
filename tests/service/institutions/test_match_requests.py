"""Where a match request's work runs (service.institutions.match_requests): on the event
loop, one at a time, while the index is small and the database is SQLite; else in the
thread pool, at most ``MATCH_TRIPS`` at once however many requests arrive together."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from service.institutions import match_requests
from service.institutions.match_requests import MATCH_TRIPS
from service.institutions.suggestions import suggest_for
from tests.conftest import ADMIN, ClientFactory
from tests.service.institutions.test_matches import (
    API,
    HOTEL,
    KAMPOT,
    WUXI,
    create,
    matches,
    names,
)


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _ask_together(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> tuple[int, set[bool]]:
    """Send match requests all at once; return how many ran at most at once, and whether
    each ran on the event loop."""
    asker = create(client, KAMPOT)
    create(client, WUXI)
    create(client, HOTEL)
    running, most, on_loop = 0, 0, set()
    lock = threading.Lock()

    def counted(**kwargs: Any) -> Any:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
            on_loop.add(_on_event_loop())
        try:
            time.sleep(0.2)  # long enough for every request to have arrived
            return suggest_for(**kwargs)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(match_requests, "suggest_for", counted)
    asked = MATCH_TRIPS * 3
    with ThreadPoolExecutor(asked) as pool:
        answers = list(
            pool.map(lambda _: client.get(f"{API}/institutions/{asker}/matches"), range(asked))
        )
    assert [answer.status_code for answer in answers] == [200] * asked
    assert all(answer.json()["items"] for answer in answers)
    return most, on_loop


def test_a_small_index_ranks_on_the_event_loop_with_sqlite_else_in_the_pool(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    most, on_loop = _ask_together(client, monkeypatch)
    if client.app.state.engine.dialect.name == "sqlite":  # type: ignore[attr-defined]
        assert (most, on_loop) == (1, {True})
    else:  # PostgreSQL: its queries wait on the network
        assert (most, on_loop) == (MATCH_TRIPS, {False})


def test_an_index_above_the_limit_ranks_in_the_pool_match_trips_at_once(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(match_requests, "ON_LOOP_MAX_PROFILES", 2)  # three will be indexed
    most, on_loop = _ask_together(client, monkeypatch)
    assert (most, on_loop) == (MATCH_TRIPS, {False})


def test_a_match_request_on_the_event_loop_never_waits_for_the_shared_pool(
    client: TestClient,
) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    if engine.dialect.name != "sqlite":
        pytest.skip("with PostgreSQL match requests rank in the thread pool")
    asker = create(client, KAMPOT)
    create(client, WUXI)
    # Every connection of the shared pool held, as by requests whose sessions the event
    # loop has yet to close: a loop waiting for one would wait out the pool's timeout.
    pool = engine.pool
    most = pool.size() + pool._max_overflow  # QueuePool's limit has no public reader
    held = [engine.connect() for _ in range(most)]
    try:
        assert pool.checkedout() == most
        answer = client.get(f"{API}/institutions/{asker}/matches")
        assert answer.status_code == 200
        assert [item["institution"]["name"] for item in answer.json()["items"]] == [WUXI["name"]]
    finally:
        for connection in held:
            connection.close()


def test_a_match_request_keeps_nothing_it_read_into_the_next(
    make_client: ClientFactory, settings: Settings, tmp_path: Path
) -> None:
    # Two instances on one database that never read each other's changes: an institution
    # written through the second is not in the first's index, so the first reads it from
    # the database for each match request, on the event loop's session with SQLite.
    first = make_client(settings.model_copy(update={"change_poll_seconds": 0}))
    create(first, WUXI)
    create(first, HOTEL)
    second = make_client(
        settings.model_copy(update={"change_poll_seconds": 0, "data_dir": tmp_path / "second"})
    )
    asker = create(second, KAMPOT)
    assert names(matches(first, asker))[0] == WUXI["name"]
    edited = {"fields": HOTEL["fields"], "needs": ["chef exchange"], "programs": []}
    answer = second.patch(f"{API}/institutions/{asker}", json=edited, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    # Asked as it is now, not as the previous request read it.
    assert names(matches(first, asker))[0] == HOTEL["name"]
