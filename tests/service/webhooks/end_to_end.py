"""What the end-to-end webhook tests share: fast delivery settings, waiting, and writes
that cause events (the receiver fixture is in this folder's conftest)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from tests.conftest import ADMIN

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
def fast_delivery(settings: Settings) -> Settings:
    """Fast delivery for tests: poll every 50 ms, retry after 50 ms, three attempts.

    A module takes it as its ``settings`` with ``settings = end_to_end.fast_delivery``."""
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
