"""Workshops through the API: who may run them, participants, and pairing runs."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from tests.conftest import ADMIN, ClientFactory, bearer
from tests.service.workshops.workshop_api import (
    API,
    TOPICS,
    WORKSHOP,
    institution,
    pairs_of,
    run,
)


def test_workshop_is_created_by_admins_and_validated(client: TestClient) -> None:
    assert client.post(f"{API}/workshops", json=WORKSHOP).status_code == 401
    bad = {**WORKSHOP, "time_zone": "Mars/Olympus", "ends_on": "2026-05-01"}
    response = client.post(f"{API}/workshops", json=bad, headers=ADMIN)
    assert response.status_code == 422
    fields = {error["loc"][-1] for error in response.json()["errors"]}
    assert "time_zone" in fields
    listed = client.get(f"{API}/workshops").json()
    assert listed == []


def test_only_its_organisers_run_a_workshop(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str]
) -> None:
    url = f"{API}/workshops/{workshop['id']}"
    other = client.post(
        f"{API}/keys",
        json={"label": "other", "role": "organiser", "workshops": [999]},
        headers=ADMIN,
    ).json()["key"]
    school_key = client.post(
        f"{API}/institutions", json={"name": "S", "country": "KH", "kind": "college"}
    ).json()["api_key"]
    for key in (other, school_key):
        response = client.patch(url, json={"venue": "Elsewhere"}, headers=bearer(key))
        assert response.status_code == 403
    assert client.get(url).json()["venue"] == "Phnom Penh"
    assert client.patch(url, json={"venue": "Siem Reap"}, headers=organiser).json()["venue"] == (
        "Siem Reap"
    )


def test_participants_must_exist_and_nothing_changes_otherwise(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    url = f"{API}/workshops/{workshop['id']}/participants"
    response = client.put(url, json={"institution_ids": [people[0], 999]}, headers=organiser)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "institution_ids", 1]
    listed = client.get(url, params={"limit": 100}).json()
    assert [p["id"] for p in listed["items"]] == sorted(people)
    assert client.get(f"{API}/workshops/{workshop['id']}").json()["participants"] == len(people)


def test_pairing_pairs_each_topic_across_the_border(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    result = run(client, workshop, organiser)
    assert result["number"] == 1
    names = {(p["a"]["name"], p["b"]["name"]) for p in result["pairs"]}
    # Each Chinese college meets the institute that needs its topic.
    for topic in TOPICS:
        assert (f"CN {topic}", f"KH {topic}") in names
    assert result["total"] == pytest.approx(sum(p["score"] for p in result["pairs"]))
    assert result["upper_bound"] >= result["total"] - 1e-9
    assert all(p["reasons"] for p in result["pairs"])
    assert all(p["a"]["country"] != p["b"]["country"] for p in result["pairs"])
    # The Thai institute competes with KH CNC for CN CNC and loses nothing it could win.
    (left,) = result["unpaired"]
    assert left["institution"]["name"] == "TH CNC"
    assert left["reason"] == "capacity"
    assert any(alt["institution_id"] == left["institution"]["id"] for alt in result["alternates"])


def test_pairing_total_is_the_best_possible(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    result = run(client, workshop, organiser)
    # Brute force over the same scores: every pair scored by asking for all suggestions.
    score: dict[tuple[int, int], float] = {}
    for pid in people:
        query = f"{API}/institutions/{pid}/matches?limit=100"
        for item in client.get(query).json()["items"]:
            if item["institution"]["id"] in people:
                edge = (min(pid, item["institution"]["id"]), max(pid, item["institution"]["id"]))
                score[edge] = item["score"]
    best = 0.0
    edges = list(score)
    for size in range(1, len(people) // 2 + 1):
        for chosen in itertools.combinations(edges, size):
            used = [pid for edge in chosen for pid in edge]
            if len(used) == len(set(used)):
                best = max(best, sum(score[edge] for edge in chosen))
    assert result["total"] == pytest.approx(best, abs=1e-4)


def test_locked_forbidden_and_country_rules_hold(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    cn_cnc, kh_cnc, th_cnc = people[0], people[4], people[8]
    locked = run(client, workshop, organiser, locked=[[cn_cnc, th_cnc]])
    assert (cn_cnc, th_cnc) in pairs_of(locked)
    assert next(p for p in locked["pairs"] if (p["a"]["id"], p["b"]["id"]) == (cn_cnc, th_cnc))[
        "locked"
    ]
    forbidden = run(client, workshop, organiser, forbidden=[[cn_cnc, kh_cnc]])
    assert (cn_cnc, kh_cnc) not in pairs_of(forbidden)
    asean_only = run(client, workshop, organiser, china_with_asean_only=True, max_partners=2)
    countries = {(p["a"]["country"], p["b"]["country"]) for p in asean_only["pairs"]}
    assert all("CN" in pair for pair in countries)
    assert [
        r["number"]
        for r in client.get(f"{API}/workshops/{workshop['id']}/pairings", headers=organiser).json()[
            "items"
        ]
    ] == [1, 2, 3]


def test_declared_partners_are_never_paired(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    cn_cnc, kh_cnc = people[0], people[4]
    client.patch(
        f"{API}/institutions/{kh_cnc}", json={"existing_partners": [cn_cnc]}, headers=ADMIN
    )
    assert (cn_cnc, kh_cnc) not in pairs_of(run(client, workshop, organiser))


def test_runs_are_stored_and_compared(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    first = run(client, workshop, organiser)
    second = run(client, workshop, organiser, forbidden=[[people[0], people[4]]])
    url = f"{API}/workshops/{workshop['id']}/pairings"
    assert client.get(f"{url}/1", headers=organiser).json() == first
    diff = client.get(f"{url}/2/diff?against=1", headers=organiser).json()
    assert [people[0], people[4]] in diff["removed"]
    assert diff["total_change"] == pytest.approx(second["total"] - first["total"])
    assert client.get(f"{url}/9", headers=organiser).status_code == 404
    assert client.get(f"{url}/1").status_code == 401


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ({"max_partners": 0}, "max_partners"),
        ({"min_partners": 3, "max_partners": 2}, "body"),
        ({"fairness": "random"}, "fairness"),
        ({"locked": [[1]]}, "locked"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_bad_rules_are_refused(
    client: TestClient,
    workshop: dict[str, Any],
    organiser: dict[str, str],
    people: list[int],
    rules: dict[str, Any],
    field: str,
) -> None:
    response = client.post(
        f"{API}/workshops/{workshop['id']}/pairings", json=rules, headers=organiser
    )
    assert response.status_code == 422
    assert field in [str(part) for part in response.json()["errors"][0]["loc"]]
    runs = client.get(f"{API}/workshops/{workshop['id']}/pairings", headers=organiser).json()
    assert runs["items"] == []


def test_a_locked_pair_that_breaks_a_rule_is_refused(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    same_country = [people[0], people[1]]  # two Chinese colleges
    response = client.post(
        f"{API}/workshops/{workshop['id']}/pairings",
        json={"locked": [same_country]},
        headers=organiser,
    )
    assert response.status_code == 422
    assert "locked" in response.json()["detail"]


def test_pairing_includes_participants_written_through_another_instance(
    make_client: ClientFactory, settings: Settings
) -> None:
    # Without polling, this instance's index learns of the other's writes only on demand.
    quiet = settings.model_copy(update={"change_poll_seconds": 0})
    this, other = make_client(quiet), make_client(quiet)
    ids = [institution(other, f"CN {t}", "CN", t, chinese=True) for t in TOPICS[:2]]
    ids += [institution(other, f"KH {t}", "KH", t, chinese=False) for t in TOPICS[:2]]
    workshop = this.post(f"{API}/workshops", json=WORKSHOP, headers=ADMIN).json()
    response = this.put(
        f"{API}/workshops/{workshop['id']}/participants",
        json={"institution_ids": ids},
        headers=ADMIN,
    )
    assert response.status_code == 204, response.text
    paired = {i for pair in pairs_of(run(this, workshop, ADMIN)) for i in pair}
    assert paired == set(ids)
