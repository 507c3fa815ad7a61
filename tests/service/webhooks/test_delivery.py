"""Webhook delivery end to end: retries, giving up, a receiver down, restarts, several
workers, leases, redirects and unusable URLs."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from service.config import Settings
from service.db import make_engine
from service.webhooks.backoff import Backoff
from service.webhooks.delivery import DeliveryWorker
from service.webhooks.models import WebhookDelivery
from tests.conftest import ADMIN, ClientFactory
from tests.service.webhooks import end_to_end
from tests.service.webhooks.end_to_end import (
    API,
    VERIFY,
    deliveries,
    institution,
    register,
    wait_until,
)
from tests.support.receiver import Receiver, running_receiver

settings = end_to_end.fast_delivery


def test_a_failed_delivery_is_retried_until_it_succeeds(
    client: TestClient, receiver: Receiver
) -> None:
    hook = register(client, receiver.url, ["institution.created"], ADMIN)
    receiver.answer_with(500, 503)
    institution(client, "Retried College", "VN")
    got = receiver.wait_for(lambda r: len(r) == 3)
    assert [r.answered for r in got] == [500, 503, 200]
    assert len({r.headers["Webhook-Id"] for r in got}) == 1  # the same event each time
    assert len({r.body for r in got}) == 1
    (delivery,) = wait_until(
        lambda: (items := deliveries(client, hook["id"]))[0]["status"] == "delivered" and items
    )
    assert delivery["attempts"] == 3
    assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 503, 200]
    assert delivery["attempt_log"][0]["error"] == "answered 500"
    assert delivery["next_attempt_at"] is None
    assert delivery["finished_at"] is not None


def test_a_delivery_is_given_up_after_the_last_attempt(
    client: TestClient, receiver: Receiver
) -> None:
    hook = register(client, receiver.url, ["institution.created"], ADMIN)
    receiver.answer_with(500, 500, 500, 500)
    institution(client, "Unlucky College", "VN")
    (delivery,) = wait_until(
        lambda: (items := deliveries(client, hook["id"]))[0]["status"] == "dead" and items
    )
    assert delivery["attempts"] == 3  # webhook_max_attempts
    assert len(receiver.received) == 3
    assert deliveries(client, hook["id"], ADMIN) == [delivery]
    listed = client.get(f"{API}/webhooks/{hook['id']}/deliveries?status=pending", headers=ADMIN)
    assert listed.json()["items"] == []


def test_a_receiver_that_is_down_is_recorded_as_an_error(
    make_client: ClientFactory, settings: Settings
) -> None:
    client = make_client(settings.model_copy(update={"webhook_max_attempts": 1}))
    with running_receiver() as gone:
        url = gone.url  # a loopback port nobody listens on once the receiver stops
    hook = register(client, url, ["institution.created"], ADMIN)
    institution(client, "Lonely College", "VN")
    (delivery,) = wait_until(
        lambda: (items := deliveries(client, hook["id"]))[0]["status"] == "dead" and items
    )
    (attempt,) = delivery["attempt_log"]
    assert attempt["status_code"] is None
    assert "ConnectError" in attempt["error"]


def test_a_pending_delivery_is_sent_after_a_restart(
    make_client: ClientFactory, settings: Settings, receiver: Receiver
) -> None:
    # The first instance sends nothing (its worker is off): the delivery is left pending.
    first = make_client(settings.model_copy(update={"webhook_poll_seconds": 0}))
    hook = register(first, receiver.url, ["institution.created"], ADMIN)
    institution(first, "Patient College", "VN")
    (pending,) = deliveries(first, hook["id"])
    assert (pending["status"], pending["attempts"]) == ("pending", 0)
    first.__exit__(None, None, None)  # the service stops
    assert receiver.received == []
    second = make_client(settings)  # the same database, a new process's worth of state
    (got,) = receiver.wait_for(lambda r: len(r) == 1)
    assert got.json["data"]["institution"]["name"] == "Patient College"
    assert VERIFY(hook["secret"], got.headers, got.body)
    wait_until(lambda: deliveries(second, hook["id"])[0]["status"] == "delivered")


def test_several_workers_on_one_database_send_each_delivery_once(
    client: TestClient, settings: Settings, receiver: Receiver
) -> None:
    hook = register(client, receiver.url, ["institution.created"], ADMIN)
    # Stop this app's own worker from taking part: only the two below send.
    client.app.state.deliveries.close()  # type: ignore[attr-defined]
    bulk = [{"name": f"College {n}", "country": "VN", "kind": "college"} for n in range(40)]
    assert client.post(f"{API}/institutions/bulk", json=bulk, headers=ADMIN).status_code == 201
    engine = make_engine(settings)
    workers = [
        DeliveryWorker(
            engine, backoff=Backoff(base=0.05, max_attempts=3), allow_private_targets=True, batch=5
        )
        for _ in range(2)
    ]
    sent = [0, 0]

    def drain(n: int) -> None:
        while (count := workers[n].run_once()) or not all_done():
            sent[n] += count
            if not count:
                time.sleep(0.01)  # the other worker holds the rest

    def all_done() -> bool:
        with Session(engine) as session:
            statement = select(func.count()).select_from(WebhookDelivery)
            return session.exec(statement.where(WebhookDelivery.status == "pending")).one() == 0

    threads = [threading.Thread(target=drain, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for worker in workers:
        worker.close()
    engine.dispose()
    ids = [r.headers["Webhook-Id"] for r in receiver.received]
    assert len(ids) == 40
    assert len(set(ids)) == 40  # none twice
    assert sent[0] + sent[1] == 40
    assert all(d["attempts"] == 1 for d in deliveries(client, hook["id"]))


def test_a_delivery_held_by_a_worker_that_died_is_sent_once_its_lease_lapses(
    client: TestClient, settings: Settings, receiver: Receiver
) -> None:
    client.app.state.deliveries.close()  # type: ignore[attr-defined]
    hook = register(client, receiver.url, ["institution.created"], ADMIN)
    institution(client, "Orphaned College", "VN")
    engine = make_engine(settings)
    backoff = Backoff(base=0.05, max_attempts=3)
    dead = DeliveryWorker(engine, backoff=backoff, allow_private_targets=True, lease_seconds=0.5)
    assert dead._claim("a-worker-that-dies-now") != []  # claimed, never attempted
    survivor = DeliveryWorker(engine, backoff=backoff, allow_private_targets=True)
    assert survivor.run_once() == 0  # still held
    time.sleep(0.6)
    assert survivor.run_once() == 1
    (got,) = receiver.wait_for(lambda r: len(r) == 1)
    assert VERIFY(hook["secret"], got.headers, got.body)
    for worker in (dead, survivor):
        worker.close()
    engine.dispose()
    (delivery,) = deliveries(client, hook["id"])
    assert (delivery["status"], delivery["attempts"]) == ("delivered", 1)


def test_the_delivery_client_does_not_follow_redirects(
    client: TestClient, receiver: Receiver
) -> None:
    hook = register(client, receiver.url, ["institution.created"], ADMIN)
    receiver.answer_with(302, 302, 302)
    institution(client, "Redirected College", "VN")
    (delivery,) = wait_until(
        lambda: (items := deliveries(client, hook["id"]))[0]["status"] == "dead" and items
    )
    assert [a["status_code"] for a in delivery["attempt_log"]] == [302, 302, 302]


@pytest.mark.parametrize(
    ("url", "error"), [("http://\U000f7cef/", "InvalidURL"), ("http://a..b/", "UnicodeError")]
)
def test_a_url_the_http_client_cannot_use_is_recorded_not_stuck(
    client: TestClient, url: str, error: str
) -> None:
    hook = register(client, url, ["institution.created"], ADMIN)
    institution(client, "Odd URL College", "VN")
    (delivery,) = wait_until(
        lambda: (items := deliveries(client, hook["id"]))[0]["status"] == "dead" and items
    )
    assert len(delivery["attempt_log"]) == 3
    assert all(error in attempt["error"] for attempt in delivery["attempt_log"])
