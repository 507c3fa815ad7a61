"""Cursor pagination beside limit/offset: every list pages the same way (institutions,
participants, runs and keys here; newest-first lists walk downwards)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from service.http.pagination import decode_cursor, encode_cursor
from tests.conftest import ADMIN, ClientFactory, bearer

API = "/api/v1"


def bulk(client: TestClient, names: list[str], country: str = "KH") -> list[int]:
    body = [{"name": name, "country": country, "kind": "college"} for name in names]
    response = client.post(f"{API}/institutions/bulk", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    ids: list[int] = response.json()["ids"]
    return ids


def walk(client: TestClient, url: str, **params: Any) -> list[dict[str, Any]]:
    """Follow next_cursor from the first page to the last; return every page."""
    pages = [client.get(url, params=params, headers=ADMIN).json()]
    while pages[-1]["next_cursor"] is not None:
        cursor = pages[-1]["next_cursor"]
        response = client.get(url, params={**params, "cursor": cursor}, headers=ADMIN)
        assert response.status_code == 200, response.text
        pages.append(response.json())
    return pages


def test_a_cursor_round_trips_and_is_opaque_text() -> None:
    cursor = encode_cursor(12345)
    assert decode_cursor(cursor) == 12345
    assert cursor.isascii()
    assert "=" not in cursor
    assert "12345" not in cursor


@pytest.mark.parametrize(
    "cursor",
    ["", "not-a-cursor", encode_cursor(1) + "x", "eyJ2IjoyLCJhZnRlciI6MX0", "eyJhZnRlciI6LTF9"],
    ids=["empty", "garbage", "damaged", "other-version", "negative"],
)
def test_anything_but_a_cursor_we_gave_out_is_refused(cursor: str) -> None:
    with pytest.raises(ValueError, match="not a cursor"):
        decode_cursor(cursor)


def test_walking_by_cursor_visits_every_institution_once_in_id_order(client: TestClient) -> None:
    ids = bulk(client, [f"College {n}" for n in range(7)])
    pages = walk(client, f"{API}/institutions", limit=3)
    assert [len(page["items"]) for page in pages] == [3, 3, 1]
    assert [item["id"] for page in pages for item in page["items"]] == ids
    assert all(page["total"] == 7 and page["offset"] == 0 for page in pages)
    assert pages[-1]["next_cursor"] is None


def test_a_cursor_keeps_the_filters_it_is_sent_with(client: TestClient) -> None:
    bulk(client, [f"Cambodian {n}" for n in range(4)], "KH")
    thai = bulk(client, [f"Thai {n}" for n in range(4)], "TH")
    pages = walk(client, f"{API}/institutions", limit=3, country="TH")
    assert [item["id"] for page in pages for item in page["items"]] == thai
    assert pages[0]["total"] == 4


def test_offset_pages_say_where_the_next_cursor_page_starts(client: TestClient) -> None:
    ids = bulk(client, [f"College {n}" for n in range(5)])
    page = client.get(f"{API}/institutions", params={"limit": 2, "offset": 1}).json()
    assert [item["id"] for item in page["items"]] == ids[1:3]
    after = client.get(
        f"{API}/institutions", params={"limit": 5, "cursor": page["next_cursor"]}
    ).json()
    assert [item["id"] for item in after["items"]] == ids[3:]
    assert after["next_cursor"] is None


def test_cursor_walk_is_stable_while_rows_come_and_go(client: TestClient) -> None:
    ids = bulk(client, [f"College {n}" for n in range(6)])
    first = client.get(f"{API}/institutions", params={"limit": 2}).json()
    # Meanwhile someone deletes a row already seen and adds two new ones.
    assert client.delete(f"{API}/institutions/{ids[0]}", headers=ADMIN).status_code == 204
    added = bulk(client, ["Late A", "Late B"])
    seen = [item["id"] for item in first["items"]]
    cursor = first["next_cursor"]
    while cursor is not None:
        page = client.get(f"{API}/institutions", params={"limit": 2, "cursor": cursor}).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
    # Nothing repeated, nothing skipped, the new rows at the end.
    assert seen == ids + added
    # By offset, the same walk would have skipped ids[2]: every row moved up one place.
    by_offset = client.get(f"{API}/institutions", params={"limit": 2, "offset": 2}).json()
    assert by_offset["items"][0]["id"] == ids[3]


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"cursor": "garbage"}, "not a cursor this service gave out"),
        ({"cursor": encode_cursor(1), "offset": 0}, "cannot be combined with offset"),
        ({"cursor": "a b"}, "pattern"),
    ],
    ids=["garbage", "with-offset", "bad-characters"],
)
def test_a_bad_cursor_is_refused_naming_the_cursor(
    client: TestClient, params: dict[str, Any], reason: str
) -> None:
    response = client.get(f"{API}/institutions", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["loc"] == ["query", "cursor"]
    assert reason in error["msg"]


def test_participants_pairing_runs_and_keys_page_by_cursor(client: TestClient) -> None:
    ids = bulk(client, [f"Participant {n}" for n in range(5)], "KH")
    ids += bulk(client, [f"Partner {n}" for n in range(5)], "CN")
    workshop = {
        "name": "Paged workshop",
        "starts_on": "2026-05-12",
        "ends_on": "2026-05-13",
        "time_zone": "Asia/Phnom_Penh",
    }
    wid = client.post(f"{API}/workshops", json=workshop, headers=ADMIN).json()["id"]
    base = f"{API}/workshops/{wid}"
    put = client.put(f"{base}/participants", json={"institution_ids": ids[::-1]}, headers=ADMIN)
    assert put.status_code == 204
    for _ in range(3):
        response = client.post(f"{base}/pairings", json={"max_partners": 1}, headers=ADMIN)
        assert response.status_code == 201, response.text

    participants = walk(client, f"{base}/participants", limit=4)
    assert [item["id"] for page in participants for item in page["items"]] == sorted(ids)
    assert participants[0]["total"] == 10
    runs = walk(client, f"{base}/pairings", limit=2)
    assert [run["number"] for page in runs for run in page["items"]] == [1, 2, 3]
    for _ in range(3):
        key = {"label": "organisers", "role": "organiser", "workshops": [wid]}
        assert client.post(f"{API}/keys", json=key, headers=ADMIN).status_code == 201
    keys = walk(client, f"{API}/keys", limit=2)
    key_ids = [key["id"] for page in keys for key in page["items"]]
    assert key_ids == sorted(key_ids)
    assert len(key_ids) == 3
    assert keys[0]["total"] == 3


def test_unknown_paging_parameters_are_refused(client: TestClient) -> None:
    response = client.get(f"{API}/keys", params={"page": 2}, headers=ADMIN)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "page"]


def test_a_newest_first_list_walks_its_keys_downwards(
    make_client: ClientFactory, settings: Settings
) -> None:
    quiet = {"rate_limit": "", "rate_limit_writes": "", "webhook_poll_seconds": 0}
    client = make_client(settings.model_copy(update=quiet))

    def register(name: str) -> tuple[int, str]:
        body = {"name": name, "country": "KH", "kind": "college", "contact_email": "a@example.org"}
        answer = client.post(f"{API}/institutions", json=body)
        assert answer.status_code == 201, answer.text
        return answer.json()["id"], answer.json()["api_key"]

    target, target_key = register("Kampot Polytechnic")
    sent = []
    for n in range(5):
        _, key = register(f"Asking College {n}")
        body = {"to_institution_id": target, "message": "Shall we meet?"}
        answer = client.post(f"{API}/meeting-requests", json=body, headers=bearer(key))
        assert answer.status_code == 201, answer.text
        sent.append(answer.json()["id"])
    url = f"{API}/meeting-requests"
    first = client.get(url, params={"limit": 2}, headers=bearer(target_key)).json()
    pages = [first]
    while pages[-1]["next_cursor"] is not None:
        params = {"limit": 2, "cursor": pages[-1]["next_cursor"]}
        pages.append(client.get(url, params=params, headers=bearer(target_key)).json())
    assert [len(page["items"]) for page in pages] == [2, 2, 1]
    assert [item["id"] for page in pages for item in page["items"]] == sent[::-1]
    assert all(page["total"] == 5 for page in pages)
    by_offset = client.get(url, params={"limit": 2, "offset": 2}, headers=bearer(target_key))
    assert [item["id"] for item in by_offset.json()["items"]] == sent[::-1][2:4]
