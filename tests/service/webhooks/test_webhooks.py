"""Webhooks end to end: a real receiver on loopback gets signed deliveries, retries, restarts."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from service.config import Settings
from service.db import make_engine
from service.webhooks.addresses import TargetRefused
from service.webhooks.backoff import Backoff
from service.webhooks.delivery import DeliveryWorker, check_public_host
from service.webhooks.models import WebhookDelivery, WebhookEvent
from service.webhooks.signing import new_secret
from tests.conftest import ADMIN, ClientFactory, bearer
from tests.support.receiver import Receiver, running_receiver

API = "/api/v1"
ALL_EVENTS = [
    "institution.created",
    "institution.updated",
    "opportunity.published",
    "match.alert",
    "pairing.completed",
    "outcome.recorded",
]
DOCS = Path(__file__).parents[3] / "docs" / "webhooks.md"


def documented_verify() -> Callable[..., bool]:
    """The verification snippet of docs/webhooks.md, run as written there."""
    (snippet,) = re.findall(r"```python\n(.*?)```", DOCS.read_text(), flags=re.DOTALL)
    namespace: dict[str, Any] = {}
    exec(compile(snippet, str(DOCS), "exec"), namespace)
    verify: Callable[..., bool] = namespace["verify"]
    return verify


VERIFY = documented_verify()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Fast delivery for tests: poll every 50 ms, retry after 50 ms, three attempts."""
    return settings.model_copy(
        update={
            "webhook_poll_seconds": 0.05,
            "webhook_backoff_seconds": 0.05,
            "webhook_max_attempts": 3,
            "webhook_allow_private_targets": True,
            "rate_limit": "",
            "rate_limit_writes": "",
        }
    )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def wait_until(condition: Callable[[], Any], timeout: float = 15.0) -> Any:
    """Return the condition's first truthy value; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)
    return value


def register(client: TestClient, url: str, events: list[str], headers: Mapping[str, str]) -> Any:
    response = client.post(f"{API}/webhooks", json={"url": url, "events": events}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def institution(client: TestClient, name: str, country: str, **profile: Any) -> Any:
    body = {"name": name, "country": country, "kind": "college", **profile}
    response = client.post(f"{API}/institutions", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def deliveries(client: TestClient, webhook_id: int, headers: Mapping[str, str] = ADMIN) -> Any:
    response = client.get(f"{API}/webhooks/{webhook_id}/deliveries", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def cause_every_event(client: TestClient) -> None:
    """Do one thing of each kind that makes an event."""
    school = institution(
        client, "Siem Reap Hotel School", "KH", needs=["hotel internships"], offers=["chefs"]
    )
    hotel = institution(
        client, "Chiang Mai Hotel", "TH", needs=["chefs"], offers=["hotel internships"]
    )
    saved = {"institution_id": school["id"], "targets": ["institutions"], "min_score": 0.05}
    assert client.post(f"{API}/saved-searches", json=saved, headers=ADMIN).status_code == 201
    institution(client, "Bangkok Hotel", "TH", needs=["chefs"], offers=["hotel internships"])
    change = {"city": "Siem Reap"}
    assert client.patch(f"{API}/institutions/{school['id']}", json=change, headers=ADMIN).is_success
    offer = {
        "institution_id": hotel["id"],
        "type": "internships",
        "title": "Hotel internships with free accommodation",
    }
    assert client.post(f"{API}/opportunities", json=offer, headers=ADMIN).status_code == 201
    workshop = {
        "name": "Phnom Penh 2026",
        "starts_on": "2026-05-12",
        "ends_on": "2026-05-13",
        "time_zone": "Asia/Phnom_Penh",
    }
    assert client.post(f"{API}/workshops", json=workshop, headers=ADMIN).status_code == 201
    people = {"institution_ids": [school["id"], hotel["id"]]}
    assert client.put(f"{API}/workshops/1/participants", json=people, headers=ADMIN).is_success
    assert client.post(f"{API}/workshops/1/pairings", json={}, headers=ADMIN).status_code == 201
    outcome = {"pair": [school["id"], hotel["id"]], "status": "met"}
    assert client.post(f"{API}/workshops/1/outcomes", json=outcome, headers=ADMIN).is_success


def test_every_event_type_arrives_signed(client: TestClient, receiver: Receiver) -> None:
    hook = register(client, receiver.url, ALL_EVENTS, ADMIN)
    assert hook["secret"].startswith("whsec_")
    cause_every_event(client)
    got = receiver.wait_for(lambda r: {x.event_type for x in r} >= set(ALL_EVENTS))
    for delivery in got:
        assert VERIFY(hook["secret"], delivery.headers, delivery.body)
        assert not VERIFY(new_secret(), delivery.headers, delivery.body)
        assert not VERIFY(hook["secret"], delivery.headers, delivery.body + b" ")
        assert delivery.headers["webhook-id"] == delivery.json["id"]
        assert delivery.headers["content-type"] == "application/json"
    by_type: dict[str, Any] = {}
    for delivery in got:
        by_type.setdefault(delivery.event_type, delivery.json["data"])  # the first of each
    assert by_type["institution.created"]["institution"]["name"] == "Siem Reap Hotel School"
    assert "contact_email" not in by_type["institution.created"]["institution"]
    assert by_type["institution.updated"]["institution"]["city"] == "Siem Reap"
    assert by_type["opportunity.published"]["opportunity"]["type"] == "internships"
    assert by_type["match.alert"]["alert"]["target"] == "institution"
    assert by_type["pairing.completed"]["run"] == 1
    assert by_type["pairing.completed"]["pairs"][0]["score"] > 0
    assert by_type["outcome.recorded"]["status"] == "met"
    # Each attempt is recorded as delivered, with the receiver's answer.
    listed = wait_until(
        lambda: (
            (items := deliveries(client, hook["id"]))
            and all(d["status"] == "delivered" for d in items)
            and items
        )
    )
    assert {d["event_type"] for d in listed} == set(ALL_EVENTS)
    assert all(d["attempt_log"][0]["status_code"] == 200 for d in listed)
    assert "secret" not in client.get(f"{API}/webhooks/{hook['id']}", headers=ADMIN).json()


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


def test_a_write_that_fails_enqueues_nothing(
    client: TestClient, settings: Settings, receiver: Receiver
) -> None:
    hook = register(client, receiver.url, ["institution.created"], ADMIN)
    institution(client, "Only Once College", "VN")
    duplicate = {"name": "Only Once College", "country": "VN", "kind": "college"}
    assert client.post(f"{API}/institutions", json=duplicate).status_code == 409
    bulk = [{"name": "Fine", "country": "VN", "kind": "college"}, duplicate]
    assert client.post(f"{API}/institutions/bulk", json=bulk, headers=ADMIN).status_code == 409
    engine = make_engine(settings)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(WebhookEvent)).one() == 1
    engine.dispose()
    receiver.wait_for(lambda r: len(r) == 1)
    assert len(deliveries(client, hook["id"])) == 1


def test_events_go_only_to_those_allowed_to_see_them(
    client: TestClient, receiver: Receiver
) -> None:
    school = institution(client, "Hanoi Hotel School", "VN", needs=["hotel internships"])
    own_key = bearer(school["api_key"])
    mine = register(client, receiver.url, ["institution.created", "match.alert"], own_key)
    # An institution key may not take workshop events.
    refused = client.post(
        f"{API}/webhooks",
        json={"url": receiver.url, "events": ["institution.created", "pairing.completed"]},
        headers=own_key,
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "events", 1]
    # Someone else's saved search alerts its owner, not this institution.
    other = institution(client, "Da Nang College", "VN", needs=["hotel internships"])
    theirs = {"targets": ["institutions"], "min_score": 0.01}
    created = client.post(f"{API}/saved-searches", json=theirs, headers=bearer(other["api_key"]))
    assert created.status_code == 201
    institution(client, "Pattaya Hotel", "TH", offers=["hotel internships"], needs=["chefs"])
    got = receiver.wait_for(lambda r: len(r) >= 2)
    time.sleep(0.3)  # several polls: anything misrouted would have arrived by now
    assert [r.event_type for r in receiver.received] == ["institution.created"] * 2
    assert all(re.fullmatch(r"evt_\d+", r.headers["Webhook-Id"]) for r in got)
    assert [h["id"] for h in client.get(f"{API}/webhooks", headers=own_key).json()] == [mine["id"]]


def test_workshop_events_reach_only_that_workshops_organisers(
    client: TestClient, receiver: Receiver
) -> None:
    workshop = {
        "name": "W",
        "starts_on": "2026-05-12",
        "ends_on": "2026-05-13",
        "time_zone": "Asia/Phnom_Penh",
    }
    for _ in range(2):
        assert client.post(f"{API}/workshops", json=workshop, headers=ADMIN).status_code == 201
    keys = [
        client.post(
            f"{API}/keys",
            json={"label": f"organisers of {n}", "role": "organiser", "workshops": [n]},
            headers=ADMIN,
        ).json()
        for n in (1, 2)
    ]
    hook = register(client, receiver.url, ["pairing.completed"], bearer(keys[1]["key"]))
    a = institution(client, "A", "CN", offers=["CNC training"], needs=["interns"])
    b = institution(client, "B", "KH", offers=["interns"], needs=["CNC training"])
    for n in (1, 2):
        people = {"institution_ids": [a["id"], b["id"]]}
        assert client.put(
            f"{API}/workshops/{n}/participants", json=people, headers=ADMIN
        ).is_success
        assert client.post(f"{API}/workshops/{n}/pairings", json={}, headers=ADMIN).is_success
    (got,) = receiver.wait_for(lambda r: len(r) == 1)
    assert got.json["data"]["workshop_id"] == 2
    # Revoking the key stops its webhooks.
    assert client.delete(f"{API}/keys/{keys[1]['id']}", headers=ADMIN).status_code == 204
    assert client.post(f"{API}/workshops/2/pairings", json={}, headers=ADMIN).is_success
    time.sleep(0.3)
    assert len(receiver.received) == 1
    assert len(deliveries(client, hook["id"])) == 1


def test_webhook_urls_must_be_http_and_public_unless_allowed(
    make_client: ClientFactory, settings: Settings
) -> None:
    client = make_client(settings.model_copy(update={"webhook_allow_private_targets": False}))
    for url in ("http://127.0.0.1:9/x", "http://localhost/x", "https://[::1]/", "http://10.0.0.7/"):
        refused = client.post(
            f"{API}/webhooks", json={"url": url, "events": ["match.alert"]}, headers=ADMIN
        )
        assert refused.status_code == 422, url
        assert refused.json()["errors"][0]["loc"] == ["body", "url"]
    for body in (
        {"url": "ftp://example.org/", "events": ["match.alert"]},
        {"url": "http://[::1/", "events": ["match.alert"]},
        {"url": "http://example.org:99999/", "events": ["match.alert"]},
        {"url": "https://example.org/", "events": []},
        {"url": "https://example.org/", "events": ["institution.deleted"]},
    ):
        assert client.post(f"{API}/webhooks", json=body, headers=ADMIN).status_code == 422
    assert client.get(f"{API}/webhooks", headers=ADMIN).json() == []
    assert (
        client.post(
            f"{API}/webhooks", json={"url": "https://example.org/", "events": ["match.alert"]}
        ).status_code
        == 401
    )


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "169.254.169.254"])
def test_delivery_refuses_hosts_that_are_not_public(host: str) -> None:
    with pytest.raises(TargetRefused, match="not a public address"):
        check_public_host(f"http://{host}:8080/hook")


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


def test_others_cannot_see_or_delete_a_webhook(client: TestClient, receiver: Receiver) -> None:
    owner = institution(client, "Owner College", "VN")
    intruder = institution(client, "Intruder College", "LA")
    hook = register(client, receiver.url, ["institution.created"], bearer(owner["api_key"]))
    as_intruder = bearer(intruder["api_key"])
    for method, path in (
        ("get", f"/webhooks/{hook['id']}"),
        ("delete", f"/webhooks/{hook['id']}"),
        ("get", f"/webhooks/{hook['id']}/deliveries"),
    ):
        response = client.request(method.upper(), f"{API}{path}", headers=as_intruder)
        assert response.status_code == 403, path
        assert response.headers["content-type"] == "application/problem+json"
    assert client.get(f"{API}/webhooks", headers=as_intruder).json() == []
    assert client.get(f"{API}/webhooks/{hook['id']}", headers=ADMIN).status_code == 200
    assert client.get(f"{API}/webhooks/99", headers=ADMIN).status_code == 404
    # The owner's other key may manage it, and delete it with its deliveries.
    second = client.post(
        f"{API}/institutions/{owner['id']}/keys", headers=bearer(owner["api_key"])
    ).json()
    assert (
        client.delete(f"{API}/webhooks/{hook['id']}", headers=bearer(second["key"])).status_code
        == 204
    )
    assert client.get(f"{API}/webhooks", headers=ADMIN).json() == []


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
