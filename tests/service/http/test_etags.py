"""ETag, If-None-Match (304) and If-Match (412) on institution profiles and workshops."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from service.http.etags import if_match_holds, if_none_match_holds
from tests.conftest import ADMIN, ClientFactory, bearer

API = "/api/v1"


def register(client: TestClient, name: str, country: str = "KH", **extra: Any) -> dict[str, Any]:
    body = {"name": name, "country": country, "kind": "college", **extra}
    response = client.post(f"{API}/institutions", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.fixture
def owned(client: TestClient) -> tuple[str, dict[str, str]]:
    """An institution's URL and its own key's header."""
    created = register(client, "Kampot Demo Institute", contact_email="intl@kampot.example.org")
    return f"{API}/institutions/{created['id']}", bearer(created["api_key"])


@pytest.mark.parametrize(
    ("header", "holds"),
    [('"3"', True), ('"2", "3"', True), ("*", True), ('W/"3"', False), ('"4"', False)],
)
def test_if_match_compares_strongly(header: str, holds: bool) -> None:
    assert if_match_holds(header, '"3"') is holds


@pytest.mark.parametrize(
    ("header", "full_answer"),
    [('"3"', False), ('W/"3"', False), ('"1", W/"3"', False), ("*", False), ('"4"', True)],
)
def test_if_none_match_compares_weakly(header: str, full_answer: bool) -> None:
    assert if_none_match_holds(header, '"3"') is full_answer


def test_a_malformed_tag_list_matches_nothing() -> None:
    assert not if_match_holds("3", '"3"')
    assert if_none_match_holds("3", '"3"')


def test_a_profile_has_an_etag_and_its_private_view_another(
    client: TestClient, owned: tuple[str, dict[str, str]]
) -> None:
    url, key = owned
    public, private = client.get(url), client.get(url, headers=key)
    assert public.headers["etag"].startswith('"')
    assert public.headers["etag"].endswith('"')
    assert private.headers["etag"] != public.headers["etag"]
    assert "contact_email" in private.json()
    assert "contact_email" not in public.json()
    assert client.get(url).headers["etag"] == public.headers["etag"]


def test_if_none_match_answers_304_until_the_profile_changes(
    client: TestClient, owned: tuple[str, dict[str, str]]
) -> None:
    url, key = owned
    etag = client.get(url).headers["etag"]
    unchanged = client.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["etag"] == etag
    assert client.get(url, headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert client.patch(url, json={"city": "Kampot"}, headers=key).status_code == 200
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["city"] == "Kampot"
    assert changed.headers["etag"] != etag


def test_patch_with_the_current_etag_succeeds_and_answers_the_new_one(
    client: TestClient, owned: tuple[str, dict[str, str]]
) -> None:
    url, key = owned
    etag = client.get(url, headers=key).headers["etag"]
    response = client.patch(url, json={"city": "Kampot"}, headers={**key, "If-Match": etag})
    assert response.status_code == 200, response.text
    assert response.headers["etag"] != etag
    assert response.headers["etag"] == client.get(url, headers=key).headers["etag"]


def test_a_stale_if_match_gets_412_and_changes_nothing(
    client: TestClient, owned: tuple[str, dict[str, str]]
) -> None:
    url, key = owned
    stale = client.get(url, headers=key).headers["etag"]
    assert client.patch(url, json={"city": "Kampot"}, headers=key).status_code == 200
    current = client.get(url, headers=key).headers["etag"]

    response = client.patch(url, json={"city": "Takeo"}, headers={**key, "If-Match": stale})
    assert response.status_code == 412
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["etag"] == current
    assert "changed since" in response.json()["detail"]
    assert client.get(url).json()["city"] == "Kampot"

    deleted = client.delete(url, headers={**key, "If-Match": stale})
    assert deleted.status_code == 412
    assert client.get(url).status_code == 200
    assert client.delete(url, headers={**key, "If-Match": current}).status_code == 204
    assert client.get(url).status_code == 404


def test_a_change_refused_anyway_is_422_even_with_a_stale_tag(
    client: TestClient, owned: tuple[str, dict[str, str]]
) -> None:
    url, key = owned
    stale = client.get(url, headers=key).headers["etag"]
    assert client.patch(url, json={"city": "Kampot"}, headers=key).status_code == 200
    response = client.patch(url, json={"kind": None}, headers={**key, "If-Match": stale})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "kind"]


def test_if_match_star_and_the_public_tag(
    client: TestClient, owned: tuple[str, dict[str, str]]
) -> None:
    url, key = owned
    assert (
        client.patch(url, json={"city": "A"}, headers={**key, "If-Match": "*"}).status_code == 200
    )
    # An editor changes the view with the email: the public view's tag is another one.
    public = client.get(url).headers["etag"]
    response = client.patch(url, json={"city": "B"}, headers={**key, "If-Match": public})
    assert response.status_code == 412


def test_of_two_writers_who_read_the_same_version_only_one_wins(
    client: TestClient, owned: tuple[str, dict[str, str]]
) -> None:
    url, key = owned
    etag = client.get(url, headers=key).headers["etag"]

    def write(city: str) -> int:
        response = client.patch(url, json={"city": city}, headers={**key, "If-Match": etag})
        status: int = response.status_code
        return status

    cities = [f"City {n}" for n in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(write, cities))
    assert sorted(statuses) == [200] + [412] * 5
    assert client.get(url).json()["city"] == cities[statuses.index(200)]


def test_a_profile_tag_changes_when_a_partner_it_declared_is_deleted(client: TestClient) -> None:
    partner = register(client, "Partner College", "CN")
    declaring = register(client, "Declaring College", existing_partners=[partner["id"]])
    url = f"{API}/institutions/{declaring['id']}"
    before = client.get(url)
    assert before.json()["existing_partners"] == [partner["id"]]
    assert client.delete(f"{API}/institutions/{partner['id']}", headers=ADMIN).status_code == 204
    after = client.get(url, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.json()["existing_partners"] == []


def test_a_workshop_tag_follows_its_changes_and_participants(client: TestClient) -> None:
    workshop = {
        "name": "Tagged workshop",
        "starts_on": "2026-05-12",
        "ends_on": "2026-05-13",
        "time_zone": "Asia/Phnom_Penh",
    }
    created = client.post(f"{API}/workshops", json=workshop, headers=ADMIN).json()
    url = f"{API}/workshops/{created['id']}"
    first = client.get(url).headers["etag"]
    assert client.get(url, headers={"If-None-Match": first}).status_code == 304
    member = register(client, "Member College")
    body = {"institution_ids": [member["id"]]}
    assert client.put(f"{url}/participants", json=body, headers=ADMIN).status_code == 204
    second = client.get(url).headers["etag"]
    assert second != first
    stale = client.patch(url, json={"venue": "Siem Reap"}, headers={**ADMIN, "If-Match": first})
    assert stale.status_code == 412
    fresh = client.patch(url, json={"venue": "Siem Reap"}, headers={**ADMIN, "If-Match": second})
    assert fresh.status_code == 200
    assert fresh.headers["etag"] == client.get(url).headers["etag"] != second
    # Deleting a participant changes the count the workshop shows, and so its tag.
    third = fresh.headers["etag"]
    assert client.delete(f"{API}/institutions/{member['id']}", headers=ADMIN).status_code == 204
    assert client.get(url, headers={"If-None-Match": third}).status_code == 200


def test_the_conditional_headers_are_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    item = paths[f"{API}/institutions/{{institution_id}}"]
    names = {p["name"]: p for p in item["get"]["parameters"]}
    assert "If-None-Match" in names
    assert "304" in item["get"]["responses"]
    assert "ETag" in item["get"]["responses"]["200"]["headers"]
    for method in ("patch", "delete"):
        assert "If-Match" in {p["name"] for p in item[method]["parameters"]}
        assert "412" in item[method]["responses"]


def test_a_browser_may_send_the_conditions_and_read_the_tag(
    make_client: ClientFactory, settings: Settings
) -> None:
    origin = "https://portal.example"
    client = make_client(settings.model_copy(update={"cors_origins": [origin]}))
    preflight = client.options(
        f"{API}/institutions/1",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "if-match, idempotency-key, content-type",
        },
    )
    assert preflight.status_code == 200
    created = register(client, "Portal College")
    read = client.get(f"{API}/institutions/{created['id']}", headers={"Origin": origin})
    exposed = read.headers["access-control-expose-headers"].lower()
    assert "etag" in exposed
    assert "idempotent-replayed" in exposed


def test_a_new_institution_on_a_reused_id_does_not_match_the_old_etag(
    client: TestClient, database_url: str
) -> None:
    first = register(client, "First Holder")
    url = f"{API}/institutions/{first['id']}"
    old = client.get(url).headers["ETag"]
    assert client.delete(url, headers=ADMIN).status_code == 204
    second = register(client, "Second Holder")
    if database_url.startswith("sqlite"):
        assert second["id"] == first["id"]  # SQLite hands the freed id on
    url = f"{API}/institutions/{second['id']}"
    again = client.get(url, headers={"If-None-Match": old})
    assert again.status_code == 200
    assert again.json()["name"] == "Second Holder"
    assert again.headers["ETag"] != old
    # A change meant for the deleted profile must not land on its successor.
    stale = client.patch(url, json={"city": "Kampot"}, headers={**ADMIN, "If-Match": old})
    assert stale.status_code == 412
    assert stale.headers["ETag"] == client.get(url, headers=ADMIN).headers["ETag"]
    assert client.get(url).json()["city"] != "Kampot"


def test_a_new_etag_survives_a_read_back(client: TestClient) -> None:
    created = client.post(
        f"{API}/institutions", json={"name": "Tagged", "country": "KH", "kind": "college"}
    )
    url = f"{API}/institutions/{created.json()['id']}"
    tag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304
