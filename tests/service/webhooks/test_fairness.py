"""One owner's dead endpoints do not delay another's deliveries; failing webhooks are parked."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from service.db import make_engine
from service.webhooks.backoff import Backoff
from service.webhooks.claims import DueWebhook, pick
from service.webhooks.delivery import DeliveryWorker
from tests.conftest import ADMIN, ClientFactory, bearer
from tests.service.webhooks.end_to_end import (
    API,
    deliveries,
    institution,
    register,
    wait_until,
)
from tests.support.receiver import Receiver

SLOW_TIMEOUT = 8.0  # how long each of the slow owner's attempts hangs before failing


class Blackhole:
    """A loopback server that accepts connections and never answers; counts them."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0), backlog=64)
        self._socket.settimeout(0.1)
        self.accepted = 0
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        port: int = self._socket.getsockname()[1]
        return port

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            self._held.append(connection)
            self.accepted += 1

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for connection in self._held:
            connection.close()
        self._socket.close()


@pytest.fixture
def blackhole() -> Iterator[Blackhole]:
    hole = Blackhole()
    yield hole
    hole.close()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Four delivery slots, two per owner; no retry within a test."""
    return settings.model_copy(
        update={
            "webhook_poll_seconds": 0.05,
            "webhook_timeout_seconds": SLOW_TIMEOUT,
            "webhook_connect_timeout_seconds": 1.0,
            "webhook_concurrency": 4,
            "webhook_owner_concurrency": 2,
            "webhook_backoff_seconds": 60.0,
            "webhook_max_attempts": 3,
            "webhook_allow_private_targets": True,
            "rate_limit": "",
            "rate_limit_writes": "",
        }
    )


def test_one_owners_dead_endpoints_do_not_delay_anothers_delivery(
    client: TestClient, blackhole: Blackhole, receiver: Receiver
) -> None:
    slow = institution(client, "Slow Tenant College", "VN")
    quick = institution(client, "Quick Tenant College", "KH")
    # The slow owner's twenty webhooks come first: in due-time order they are all ahead.
    slow_hooks = [
        register(
            client,
            f"http://127.0.0.1:{blackhole.port}/hooks/{n}",
            ["institution.created"],
            bearer(slow["api_key"]),
        )
        for n in range(20)
    ]
    quick_hook = register(client, receiver.url, ["institution.created"], bearer(quick["api_key"]))
    started = time.monotonic()
    institution(client, "News College", "LA")  # one event: 21 deliveries due at once
    receiver.wait_for(lambda r: len(r) == 1, timeout=SLOW_TIMEOUT * 20)
    waited = time.monotonic() - started
    # Sent before any of the slow owner's attempts ended (each hangs SLOW_TIMEOUT s)...
    assert all(deliveries(client, h["id"])[0]["attempts"] == 0 for h in slow_hooks)
    # ...and so within the stated bound, where one at a time it took 20 x SLOW_TIMEOUT.
    assert waited < SLOW_TIMEOUT - 2, f"the quick owner's delivery waited {waited:.1f} s"
    wait_until(lambda: deliveries(client, quick_hook["id"])[0]["status"] == "delivered")
    # The slow owner holds no more than its two slots, though two more are free.
    time.sleep(1.0)
    assert blackhole.accepted == 2


def test_a_webhook_that_keeps_failing_is_parked_probed_and_resumed(
    make_client: ClientFactory, settings: Settings, receiver: Receiver
) -> None:
    client = make_client(
        settings.model_copy(
            update={
                "webhook_backoff_seconds": 0.05,
                "webhook_max_attempts": 100,
                "webhook_breaker_failures": 3,
                "webhook_breaker_cooldown_seconds": 1.5,
            }
        )
    )
    receiver.answer_only(500)
    hook = register(client, receiver.url, ["institution.created"], ADMIN)
    institution(client, "Flaky Receiver College", "VN")

    def read() -> dict[str, object]:
        response = client.get(f"{API}/webhooks/{hook['id']}", headers=ADMIN)
        assert response.status_code == 200
        body: dict[str, object] = response.json()
        return body

    assert read()["state"] == "active"
    receiver.wait_for(lambda r: len(r) == 3)
    parked_at = time.monotonic()
    parked = wait_until(lambda: (body := read())["state"] == "parked" and body)
    assert parked["consecutive_failures"] == 3
    assert isinstance(parked["parked_until"], str)
    time.sleep(0.5)  # ten polls: a parked webhook takes none
    assert len(receiver.received) == 3
    (delivery,) = deliveries(client, hook["id"])
    assert (delivery["status"], delivery["attempts"]) == ("pending", 3)
    # After the cool-down one attempt probes it; it fails, and the webhook rests again.
    receiver.wait_for(lambda r: len(r) == 4, timeout=15)
    assert time.monotonic() - parked_at >= 1.0
    again = wait_until(lambda: (body := read())["consecutive_failures"] == 4 and body)
    assert again["state"] == "parked"
    assert again["parked_until"] != parked["parked_until"]
    # The receiver recovers: the next probe succeeds, and the webhook is active again.
    receiver.answer_only(200)
    receiver.wait_for(lambda r: len(r) == 5, timeout=15)
    resumed = wait_until(lambda: (body := read())["state"] == "active" and body)
    assert (resumed["consecutive_failures"], resumed["parked_until"]) == (0, None)
    assert deliveries(client, hook["id"])[0]["status"] == "delivered"


def _due(webhook_id: int, owner: str, minute: int) -> DueWebhook:
    return DueWebhook(webhook_id, owner, datetime(2026, 12, 6, 10, minute, tzinfo=UTC))


def test_pick_takes_the_oldest_first_within_the_owner_and_webhook_caps() -> None:
    due = [_due(n, "institution:1", n) for n in range(1, 21)] + [_due(21, "institution:2", 30)]
    assert pick(due, Counter(), Counter(), limit=4, per_owner=2) == [1, 2, 21]
    # Attempts already in flight (on any instance) count against the caps.
    busy = Counter({"institution:1": 1})
    assert pick(due, Counter({1: 1}), busy, limit=4, per_owner=2) == [2, 21]
    assert pick(due, Counter(), Counter(), limit=1, per_owner=2) == [1]
    assert pick(due, Counter(), Counter(), limit=30, per_owner=30) == list(range(1, 22))


def test_closing_does_not_wait_forever_for_an_attempt_stuck_in_a_name_lookup(
    client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.app.state.deliveries.close()  # type: ignore[attr-defined]
    register(client, "http://stuck.example/hook", ["institution.created"], ADMIN)
    institution(client, "Stuck Lookup College", "VN")
    released = threading.Event()
    looking_up = threading.Event()

    def getaddrinfo(*_args: object, **_kwargs: object) -> list[Any]:
        looking_up.set()
        released.wait(60)  # a resolver that does not answer (not bounded by HTTP timeouts)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    engine = make_engine(settings)
    worker = DeliveryWorker(
        engine, backoff=Backoff(base=60, max_attempts=3), poll_seconds=0.05, timeout_seconds=0.5
    )
    worker.start()
    try:
        assert looking_up.wait(15)
        started = time.monotonic()
        worker.close()
        closed_after = time.monotonic() - started
    finally:
        released.set()
        # The abandoned attempt still records itself; let it, then close its connections.
        wait_until(lambda: worker._in_progress() == 0)
        engine.dispose()
    assert closed_after < 0.5 + 10 + 5  # the attempt's timeout, the grace, and slack
