"""Webhook events end to end: every event type arrives signed, only to those allowed to
see it, and a write that fails enqueues nothing."""

from __future__ import annotations

import re
import time
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from service.config import Settings
from service.db import make_engine
from service.webhooks.models import WebhookEvent
from service.webhooks.signing import new_secret
from tests.conftest import ADMIN, bearer
from tests.service.webhooks import end_to_end
from tests.service.webhooks.end_to_end import (
    ALL_EVENTS,
    API,
    VERIFY,
    cause_every_event,
    deliveries,
    institution,
    register,
    wait_until,
)
from tests.support.receiver import Receiver

settings = end_to_end.fast_delivery


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
