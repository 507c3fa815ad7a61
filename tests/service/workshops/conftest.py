"""A workshop, its organisers' key and its participants, for the workshop API tests."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ADMIN, bearer
from tests.service.workshops.workshop_api import API, TOPICS, WORKSHOP, institution

# A real SMTP server on loopback, and an app that mails to it (as the web pages' tests).
from tests.web.conftest import inbox as inbox
from tests.web.conftest import mailing as mailing


@pytest.fixture
def workshop(client: TestClient) -> dict[str, Any]:
    response = client.post(f"{API}/workshops", json=WORKSHOP, headers=ADMIN)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.fixture
def organiser(client: TestClient, workshop: dict[str, Any]) -> dict[str, str]:
    body = {"label": "organisers", "role": "organiser", "workshops": [workshop["id"]]}
    return bearer(client.post(f"{API}/keys", json=body, headers=ADMIN).json()["key"])


@pytest.fixture
def people(client: TestClient, workshop: dict[str, Any], organiser: dict[str, str]) -> list[int]:
    ids = [institution(client, f"CN {t}", "CN", t, chinese=True) for t in TOPICS]
    ids += [institution(client, f"KH {t}", "KH", t, chinese=False) for t in TOPICS]
    ids += [institution(client, "TH CNC", "TH", "CNC", chinese=False)]
    response = client.put(
        f"{API}/workshops/{workshop['id']}/participants",
        json={"institution_ids": ids},
        headers=organiser,
    )
    assert response.status_code == 204, response.text
    return ids
