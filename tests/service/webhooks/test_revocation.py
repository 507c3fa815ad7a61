"""Revoking a key cancels the queued deliveries of the webhooks it leaves without an owner."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from tests.conftest import ADMIN, bearer
from tests.service.webhooks.end_to_end import (
    API,
    deliveries,
    institution,
    register,
    wait_until,
)
from tests.support.receiver import Receiver, running_receiver


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Failed deliveries are retried every 50 ms for as long as the test lasts."""
    return settings.model_copy(
        update={
            "webhook_poll_seconds": 0.05,
            "webhook_backoff_seconds": 0.05,
            "webhook_max_attempts": 100,
            "webhook_allow_private_targets": True,
            "rate_limit": "",
            "rate_limit_writes": "",
        }
    )


@pytest.fixture
def failing() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        receiver.answer_only(500)
        yield receiver


def assert_no_more_attempts(receiver: Receiver) -> None:
    time.sleep(0.2)  # an attempt in flight when the key was revoked may still land
    seen = len(receiver.received)
    time.sleep(0.5)  # ten polls, each of which would retry a pending delivery
    assert len(receiver.received) == seen


def test_revoking_an_organiser_key_cancels_its_webhooks_queued_deliveries(
    client: TestClient, failing: Receiver
) -> None:
    key = client.post(
        f"{API}/keys",
        json={"label": "portal", "role": "organiser", "workshops": [1]},
        headers=ADMIN,
    ).json()
    hook = register(client, failing.url, ["institution.created"], bearer(key["key"]))
    institution(client, "Failing Portal College", "VN")
    failing.wait_for(lambda r: len(r) >= 2)  # failed, and being retried
    assert client.delete(f"{API}/keys/{key['id']}", headers=ADMIN).status_code == 204
    assert [d["status"] for d in deliveries(client, hook["id"])] == ["cancelled"]
    assert_no_more_attempts(failing)
    (delivery,) = deliveries(client, hook["id"])
    assert delivery["status"] == "cancelled"  # an attempt in flight did not undo it
    assert delivery["next_attempt_at"] is None
    assert delivery["finished_at"] is not None
    assert "revoked" in delivery["last_error"]
    assert delivery["attempts"] == len(delivery["attempt_log"]) == len(failing.received)
    listed = client.get(f"{API}/webhooks/{hook['id']}/deliveries?status=cancelled", headers=ADMIN)
    assert [d["id"] for d in listed.json()["items"]] == [delivery["id"]]


def test_an_institutions_deliveries_are_cancelled_with_its_last_live_key(
    client: TestClient, failing: Receiver
) -> None:
    school = institution(client, "Two Keys College", "KH")
    second = client.post(
        f"{API}/institutions/{school['id']}/keys", headers=bearer(school["api_key"])
    ).json()
    keys = client.get(f"{API}/institutions/{school['id']}/keys", headers=ADMIN).json()
    hook = register(client, failing.url, ["institution.created"], bearer(second["key"]))
    institution(client, "Another College", "KH")
    failing.wait_for(lambda r: len(r) >= 1)
    # One key left: the institution still owns its webhook, which keeps being retried.
    first = next(k for k in keys if k["id"] != second["id"])
    assert client.delete(f"{API}/keys/{first['id']}", headers=ADMIN).status_code == 204
    seen = len(failing.received)
    failing.wait_for(lambda r: len(r) > seen)
    assert deliveries(client, hook["id"])[0]["status"] == "pending"
    # The last one: nobody speaks for the webhook any more.
    assert client.delete(f"{API}/keys/{second['id']}", headers=ADMIN).status_code == 204
    assert [d["status"] for d in deliveries(client, hook["id"])] == ["cancelled"]
    assert_no_more_attempts(failing)
    # And nothing new is queued for it.
    institution(client, "Later College", "KH")
    assert len(deliveries(client, hook["id"])) == 1


def test_a_delivered_or_dead_delivery_is_not_rewritten_by_a_revocation(
    client: TestClient, settings: Settings
) -> None:
    with running_receiver() as fine:
        key = client.post(
            f"{API}/keys", json={"label": "ok", "role": "admin"}, headers=ADMIN
        ).json()
        hook = register(client, fine.url, ["institution.created"], bearer(key["key"]))
        institution(client, "Delivered College", "VN")
        wait_until(lambda: deliveries(client, hook["id"])[0]["status"] == "delivered")
        assert client.delete(f"{API}/keys/{key['id']}", headers=ADMIN).status_code == 204
        (delivery,) = deliveries(client, hook["id"])
        assert (delivery["status"], delivery["last_error"]) == ("delivered", None)
