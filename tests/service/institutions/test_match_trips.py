"""Match requests wait their turn in the event loop: at most ``MATCH_TRIPS`` rank at once
in a worker's thread pool, however many arrive together."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.deps import MATCH_TRIPS
from service.institutions import routes
from service.institutions.suggestions import suggest_for
from tests.service.institutions.test_matches import API, HOTEL, KAMPOT, WUXI, create


def test_at_most_match_trips_rankings_run_at_once(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    asker = create(client, KAMPOT)
    create(client, WUXI)
    create(client, HOTEL)
    running, most = 0, 0
    lock = threading.Lock()

    def counted(**kwargs: Any) -> Any:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            time.sleep(0.2)  # long enough for every request to have arrived
            return suggest_for(**kwargs)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(routes, "suggest_for", counted)
    asked = MATCH_TRIPS * 3
    with ThreadPoolExecutor(asked) as pool:
        answers = list(
            pool.map(lambda _: client.get(f"{API}/institutions/{asker}/matches"), range(asked))
        )
    assert [answer.status_code for answer in answers] == [200] * asked
    assert all(answer.json()["items"] for answer in answers)
    assert most == MATCH_TRIPS
