"""Fixtures of the web-page tests: an app without rate limits, one that sends mail to a
real SMTP server on loopback, form helpers, and for the browser tests one Chromium and
one seeded server shared by the whole session."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page

from service.config import Settings
from tests.conftest import ADMIN, ClientFactory
from tests.support.forked import Forker
from tests.support.server import running_server, server_env
from tests.support.smtp import Inbox, smtp_server
from tests.web.browser import launch, open_page

API = "/api/v1"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def web(make_client: ClientFactory, settings: Settings) -> TestClient:
    """A started app on an empty test database (SQLite, then PostgreSQL), no rate limits."""
    return make_client(settings.model_copy(update={"rate_limit": "", "rate_limit_writes": ""}))


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    """A real SMTP server on loopback, and what it received."""
    with smtp_server() as server:
        yield server


@pytest.fixture
def mailing(make_client: ClientFactory, settings: Settings, inbox: Inbox) -> TestClient:
    """An app like ``web`` that sends its mail to ``inbox``, with links to match.example.org."""
    mail = {
        "rate_limit": "",
        "rate_limit_writes": "",
        "smtp_host": inbox.host,
        "smtp_port": inbox.port,
        "smtp_starttls": False,
        "smtp_from": "tvet-match <no-reply@match.example.org>",
        "public_url": "https://match.example.org/",
    }
    return make_client(settings.model_copy(update=mail))


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


# -- browser tests -------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """The running server and the keys the flows sign in with."""

    url: str
    npic: dict[str, Any]
    npic_key: str
    other_id: int
    workshop_id: int
    organiser_key: str

    def api(self, method: str, path: str, **options: Any) -> Any:
        """Call the API as admin (or with the headers given); return the JSON answer."""
        options.setdefault("headers", ADMIN)
        answer = httpx.request(method, f"{self.url}{API}{path}", timeout=60, **options)
        assert answer.is_success, answer.text
        return answer.json() if answer.content else None

    def workshop(self, name: str) -> tuple[int, str]:
        """Create a workshop and its organiser key; return its id and the key."""
        with httpx.Client(base_url=self.url, timeout=60) as client:
            return create_workshop(client, name)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    yield from launch()


@pytest.fixture(scope="session")
def site(
    chromium: Browser, tmp_path_factory: pytest.TempPathFactory, forker: Forker
) -> Iterator[Site]:
    """One seeded server for the session (the browser first: no server when it is missing)."""
    folder = tmp_path_factory.mktemp("web")
    env = server_env(data_dir=folder / "data", database_url=None)
    with running_server(env, folder / "server.log", forker=forker) as server:
        found = httpx.get(f"{server.url}{API}/institutions?q=NPIC").json()["items"]
        (npic,) = [row for row in found if row["name"].endswith("(NPIC)")]
        key = httpx.post(f"{server.url}{API}/institutions/{npic['id']}/keys", headers=ADMIN)
        other = httpx.get(f"{server.url}{API}/institutions?q=Yalong+Group").json()["items"][0]
        with httpx.Client(base_url=server.url, timeout=60) as client:
            workshop_id, organiser_key = create_workshop(
                client, "3rd China-SEA Partnership Workshop"
            )
        yield Site(server.url, npic, key.json()["key"], other["id"], workshop_id, organiser_key)


@pytest.fixture
def page(chromium: Browser, site: Site) -> Iterator[Page]:
    yield from open_page(chromium, site.url, locale="en-GB")
