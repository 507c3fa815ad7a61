"""Fixtures of the web-page tests: an app without rate limits, and form helpers."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from tests.conftest import ADMIN, ClientFactory

API = "/api/v1"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def web(make_client: ClientFactory, settings: Settings) -> TestClient:
    """A started app on an empty test database (SQLite, then PostgreSQL), no rate limits."""
    return make_client(settings.model_copy(update={"rate_limit": "", "rate_limit_writes": ""}))


def csrf_token(page: httpx.Response) -> str:
    """Return the CSRF token of the first form on a page."""
    found = _CSRF.search(page.text)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def text_of(page: httpx.Response) -> str:
    """Return a page's HTML with entities decoded, to look for messages in it."""
    return html.unescape(page.text)


def sign_in(client: TestClient, key: str) -> httpx.Response:
    """Sign the client's browser in with a key through the sign-in form."""
    form = client.get("/web/sign-in")
    answer: httpx.Response = client.post(
        "/web/sign-in",
        data={"key": key, "csrf_token": csrf_token(form), "next": ""},
        follow_redirects=False,
    )
    return answer


def create(client: TestClient, **profile: Any) -> dict[str, Any]:
    """Register an institution through the API; return the answer (with its key)."""
    body = {"country": "KH", "kind": "college", **profile}
    answer = client.post(f"{API}/institutions", json=body)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def create_workshop(client: httpx.Client, name: str = "Phnom Penh 2026") -> tuple[int, str]:
    """Create a workshop and an organiser key for it (as admin); return its id and the key.

    ``client`` is the app's TestClient, or an httpx client on a running server.
    """
    body = {
        "name": name,
        "starts_on": "2026-05-12",
        "ends_on": "2026-05-13",
        "venue": "Phnom Penh",
        "time_zone": "Asia/Phnom_Penh",
    }
    workshop = client.post(f"{API}/workshops", json=body, headers=ADMIN)
    assert workshop.status_code == 201, workshop.text
    workshop_id: int = workshop.json()["id"]
    key = client.post(
        f"{API}/keys",
        json={"label": f"{name} organisers", "role": "organiser", "workshops": [workshop_id]},
        headers=ADMIN,
    )
    assert key.status_code == 201, key.text
    secret: str = key.json()["key"]
    return workshop_id, secret
