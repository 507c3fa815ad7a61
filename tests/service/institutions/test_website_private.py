"""A website marked private is shown only to the institution, admins, and the
institutions it agreed to meet (a meeting request accepted either way)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from tests.conftest import ADMIN, ClientFactory, bearer

API = "/api/v1"
SITE = "https://www.kampot-poly.example.org/"


@pytest.fixture
def app(make_client: ClientFactory, settings: Settings) -> TestClient:
    return make_client(settings.model_copy(update={"rate_limit": "", "rate_limit_writes": ""}))


def _register(app: TestClient, name: str, country: str, **profile: Any) -> Any:
    body = {"name": name, "country": country, "kind": "college", **profile}
    answer = app.post(f"{API}/institutions", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def _website(app: TestClient, institution_id: int, key: str | None = None) -> Any:
    headers = bearer(key) if key else {}
    return app.get(f"{API}/institutions/{institution_id}", headers=headers).json()["website"]


def test_a_private_website_is_revealed_to_accepted_partners_only(app: TestClient) -> None:
    college = _register(app, "Kampot Polytechnic", "KH", website=SITE, website_private=True)
    assert college["website_private"] is True
    centre = _register(app, "Tianjin CNC Centre", "CN")
    other = _register(app, "Vientiane Hotel School", "LA")
    cid = college["id"]
    assert _website(app, cid) is None
    assert _website(app, cid, other["api_key"]) is None
    assert _website(app, cid, college["api_key"]) == SITE
    assert app.get(f"{API}/institutions/{cid}", headers=ADMIN).json()["website"] == SITE
    listed = app.get(f"{API}/institutions").json()["items"]
    assert [i["website"] for i in listed if i["id"] == cid] == [None]

    sent = app.post(
        f"{API}/meeting-requests",
        json={"to_institution_id": cid, "message": "Shall we meet?"},
        headers=bearer(centre["api_key"]),
    ).json()
    assert sent["to_institution"]["website"] is None
    assert _website(app, cid, centre["api_key"]) is None
    before = app.get(f"{API}/institutions/{cid}", headers=bearer(centre["api_key"]))
    accepted = app.post(
        f"{API}/meeting-requests/{sent['id']}/accept", headers=bearer(college["api_key"])
    ).json()
    assert accepted["to_institution"]["website"] == SITE
    after = app.get(f"{API}/institutions/{cid}", headers=bearer(centre["api_key"]))
    assert after.json()["website"] == SITE
    assert after.headers["ETag"] != before.headers["ETag"]  # a cached copy is not reused
    assert _website(app, cid, other["api_key"]) is None

    # Made public again, anyone sees it; the flag may be changed but not cleared.
    refused = app.patch(
        f"{API}/institutions/{cid}",
        json={"website_private": None},
        headers=bearer(college["api_key"]),
    )
    assert refused.status_code == 422, refused.text
    made_public = app.patch(
        f"{API}/institutions/{cid}",
        json={"website_private": False},
        headers=bearer(college["api_key"]),
    )
    assert made_public.status_code == 200, made_public.text
    assert _website(app, cid) == SITE
