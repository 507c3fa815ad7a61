"""Parallel requests over a real socket: duplicates are 409s and caps hold in the database.

Each test runs a real server on SQLite, then on PostgreSQL, and sends requests from
threads at once, as clients retrying or racing each other would.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from service.alerts.saved_searches import MAX_PER_OWNER
from service.webhooks.registry import MAX_PER_OWNER as MAX_WEBHOOKS
from tests.conftest import ADMIN, bearer
from tests.support.forked import Forker
from tests.support.server import Server, running_server, server_env

API = "/api/v1"
T = TypeVar("T")


@pytest.fixture
def server(database_url: str, tmp_path: Path, forker: Forker) -> Iterator[Server]:
    env = server_env(data_dir=tmp_path / "data", database_url=database_url)
    env["TVETMATCH_SEED_ON_EMPTY"] = "false"
    env["TVETMATCH_WEBHOOK_POLL_SECONDS"] = "0"
    with running_server(env, tmp_path / "server.log", forker=forker) as running:
        yield running


@pytest.fixture
def api(server: Server) -> Iterator[httpx.Client]:
    limits = httpx.Limits(max_connections=40)
    with httpx.Client(base_url=server.url + API, timeout=60, limits=limits) as client:
        yield client


def at_once(calls: Sequence[Callable[[], T]]) -> list[T]:
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


def register(api: httpx.Client, name: str, country: str, **more: Any) -> dict[str, Any]:
    body = {"name": name, "country": country, "kind": "college", **more}
    response = api.post("/institutions", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_identical_creates_at_once_make_one_and_409_the_rest(api: httpx.Client) -> None:
    body = {"name": "Racing College", "country": "KH", "kind": "college"}
    answers = at_once([lambda: api.post("/institutions", json=body)] * 12)
    statuses = Counter(answer.status_code for answer in answers)
    assert statuses == {201: 1, 409: 11}, [a.text for a in answers if a.status_code >= 500]
    (created,) = [a.json() for a in answers if a.status_code == 201]
    for refused in (a for a in answers if a.status_code == 409):
        assert refused.json()["existing_id"] == created["id"]
        assert refused.json()["errors"][0]["loc"] == ["body", "name"]
    assert api.get("/institutions").json()["total"] == 1


def test_renames_at_once_to_one_name_keep_it_unique(api: httpx.Client) -> None:
    rows = [register(api, f"Old {n}", "KH") for n in range(8)]

    def rename(row: dict[str, Any]) -> Callable[[], httpx.Response]:
        return lambda: api.patch(
            f"/institutions/{row['id']}", json={"name": "Same New"}, headers=bearer(row["api_key"])
        )

    statuses = Counter(answer.status_code for answer in at_once([rename(r) for r in rows]))
    assert statuses == {200: 1, 409: 7}


def test_open_interests_stay_under_the_cap_when_sent_at_once(api: httpx.Client) -> None:
    hotel = register(api, "Hotel", "TH", offers=["hotel internships"])
    school = register(api, "School", "KH", needs=["hotel internships"])
    offer = {"type": "internships", "title": "Internship", "eligible_countries": ["KH"]}
    ids = []
    for n in range(30):
        published = api.post(
            "/opportunities",
            json={**offer, "title": f"Internship {n}"},
            headers=bearer(hotel["api_key"]),
        )
        assert published.status_code == 201, published.text
        ids.append(published.json()["id"])

    def interest(opportunity_id: int) -> Callable[[], httpx.Response]:
        return lambda: api.post(
            f"/opportunities/{opportunity_id}/interest",
            json={"note": "yes"},
            headers=bearer(school["api_key"]),
        )

    statuses = Counter(answer.status_code for answer in at_once([interest(i) for i in ids]))
    assert statuses == {201: 20, 409: 10}
    held = sum(
        api.get(f"/opportunities/{i}/interest", headers=bearer(hotel["api_key"])).json()["total"]
        for i in ids
    )
    assert held == 20


def test_saved_searches_stay_under_the_cap_when_sent_at_once(api: httpx.Client) -> None:
    owner = register(api, "Searcher", "KH")
    auth = bearer(owner["api_key"])
    for n in range(MAX_PER_OWNER - 5):
        body = {"name": f"search {n}", "targets": ["institutions"]}
        assert api.post("/saved-searches", json=body, headers=auth).status_code == 201

    def save(n: int) -> Callable[[], httpx.Response]:
        return lambda: api.post(
            "/saved-searches", json={"name": f"late {n}", "targets": ["institutions"]}, headers=auth
        )

    statuses = Counter(answer.status_code for answer in at_once([save(n) for n in range(15)]))
    assert statuses == {201: 5, 409: 10}
    assert api.get("/saved-searches", headers=auth).json()["total"] == MAX_PER_OWNER


def test_pairing_runs_at_once_each_get_their_own_number(api: httpx.Client) -> None:
    workshop = api.post(
        "/workshops",
        json={
            "name": "Racing Workshop",
            "starts_on": "2031-05-12",
            "ends_on": "2031-05-13",
            "time_zone": "Asia/Phnom_Penh",
        },
        headers=ADMIN,
    ).json()
    ids = [
        register(api, f"{country} {n}", country, needs=["CNC training"], offers=["internships"])[
            "id"
        ]
        for n in range(3)
        for country in ("CN", "KH")
    ]
    url = f"/workshops/{workshop['id']}/participants"
    assert api.put(url, json={"institution_ids": ids}, headers=ADMIN).status_code == 204
    runs = f"/workshops/{workshop['id']}/pairings"
    answers = at_once([lambda: api.post(runs, json={}, headers=ADMIN)] * 4)
    assert [answer.status_code for answer in answers] == [201] * 4, [a.text for a in answers]
    assert sorted(answer.json()["number"] for answer in answers) == [1, 2, 3, 4]


def test_webhooks_stay_under_the_cap_when_sent_at_once(api: httpx.Client) -> None:
    owner = register(api, "Hooked", "KH")
    auth = bearer(owner["api_key"])
    body = {"url": "https://receiver.example.org/hook", "events": ["match.alert"]}
    for _ in range(MAX_WEBHOOKS - 5):
        assert api.post("/webhooks", json=body, headers=auth).status_code == 201
    answers = at_once([lambda: api.post("/webhooks", json=body, headers=auth)] * 15)
    assert Counter(answer.status_code for answer in answers) == {201: 5, 422: 10}
    assert len(api.get("/webhooks", headers=auth).json()) == MAX_WEBHOOKS
