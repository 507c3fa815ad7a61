"""A workshop pairing run uses what participants said: an accepted meeting request is
kept as a locked pair, a pending one is a score bonus, a declined one is never paired."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from tests.conftest import ADMIN, ClientFactory, bearer

API = "/api/v1"
WORKSHOP = {
    "name": "Partnership Workshop",
    "starts_on": "2026-05-12",
    "ends_on": "2026-05-13",
    "time_zone": "Asia/Phnom_Penh",
}


@pytest.fixture
def app(make_client: ClientFactory, settings: Settings) -> TestClient:
    quiet = {"rate_limit": "", "rate_limit_writes": "", "webhook_poll_seconds": 0}
    return make_client(settings.model_copy(update=quiet))


def _register(
    app: TestClient, name: str, country: str, topic: str, *more_needs: str
) -> tuple[int, str]:
    # Chinese colleges offer teacher training in their topic; Cambodian ones need it.
    training, internships = [f"{topic} teacher training"], ["overseas internships"]
    chinese = country == "CN"
    body = {
        "name": name,
        "country": country,
        "kind": "college",
        "needs": [*(internships if chinese else training), *more_needs],
        "offers": training if chinese else internships,
    }
    answer = app.post(f"{API}/institutions", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"], answer.json()["api_key"]


@pytest.fixture
def four(app: TestClient) -> dict[str, tuple[int, str]]:
    """Two Chinese and two Cambodian colleges; CNC meets CNC and welding welding best."""
    return {
        name: _register(app, name, name[:2], name[3:])
        for name in ("CN CNC", "CN welding", "KH CNC", "KH welding")
    }


@pytest.fixture
def workshop(app: TestClient, four: dict[str, tuple[int, str]]) -> int:
    created = app.post(f"{API}/workshops", json=WORKSHOP, headers=ADMIN).json()
    ids = [pid for pid, _ in four.values()]
    answer = app.put(
        f"{API}/workshops/{created['id']}/participants",
        json={"institution_ids": ids},
        headers=ADMIN,
    )
    assert answer.status_code in (200, 204), answer.text
    workshop_id: int = created["id"]
    return workshop_id


def _ask(
    app: TestClient, four: dict[str, Any], asker: str, asked: str, answer: str | None, **extra: Any
) -> None:
    body = {"to_institution_id": four[asked][0], "message": "Shall we meet?", **extra}
    sent = app.post(f"{API}/meeting-requests", json=body, headers=bearer(four[asker][1]))
    assert sent.status_code == 201, sent.text
    if answer:
        url = f"{API}/meeting-requests/{sent.json()['id']}/{answer}"
        assert app.post(url, json={}, headers=bearer(four[asked][1])).status_code == 200


def _run(app: TestClient, workshop: int, **rules: Any) -> dict[str, Any]:
    answer = app.post(f"{API}/workshops/{workshop}/pairings", json=rules, headers=ADMIN)
    assert answer.status_code == 201, answer.text
    run: dict[str, Any] = answer.json()
    return run


def _pairs(run: dict[str, Any]) -> dict[frozenset[str], dict[str, Any]]:
    return {frozenset({p["a"]["name"], p["b"]["name"]}): p for p in run["pairs"]}


MISMATCH = frozenset({"CN CNC", "KH welding"})
NATURAL = {frozenset({"CN CNC", "KH CNC"}), frozenset({"CN welding", "KH welding"})}


def test_an_accepted_request_is_kept_as_a_locked_pair(
    app: TestClient, four: dict[str, Any], workshop: int
) -> None:
    assert set(_pairs(_run(app, workshop))) == NATURAL
    _ask(app, four, "KH welding", "CN CNC", "accept")
    run = _run(app, workshop)
    pairs = _pairs(run)
    assert MISMATCH in pairs
    assert (pairs[MISMATCH]["locked"], pairs[MISMATCH]["meeting_request"]) == (True, "accepted")
    assert run["requests_not_kept"] == []
    assert run["rules"]["keep_accepted_requests"] is True
    # The organiser's CSV export says which pair came from a mutual request.
    url = f"{API}/workshops/{workshop}/pairings/{run['number']}/export?what=pairs"
    exported = app.get(url, headers=ADMIN)
    assert exported.status_code == 200, exported.text
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    flagged = [{r["a_name"], r["b_name"]} for r in rows if r["meeting_request"] == "accepted"]
    assert flagged == [set(MISMATCH)]


def test_without_keeping_an_accepted_request_weighs_only_its_bonus(
    app: TestClient, four: dict[str, Any], workshop: int
) -> None:
    _ask(app, four, "KH welding", "CN CNC", "accept")
    run = _run(app, workshop, keep_accepted_requests=False, request_bonus=0.0)
    assert set(_pairs(run)) == NATURAL
    assert run["requests_not_kept"] == []


def test_the_organisers_lock_wins_over_an_accepted_request_and_says_so(
    app: TestClient, four: dict[str, Any], workshop: int
) -> None:
    _ask(app, four, "KH welding", "CN CNC", "accept")
    locked = [four["CN CNC"][0], four["KH CNC"][0]]
    run = _run(app, workshop, locked=[locked])
    assert set(_pairs(run)) == NATURAL
    (not_kept,) = run["requests_not_kept"]
    assert {not_kept["a"]["name"], not_kept["b"]["name"]} == set(MISMATCH)
    assert not_kept["why"] == (
        f"participant {four['CN CNC'][0]} has no partner left under its capacity"
    )
    assert not_kept["code"] == "capacity"
    assert not_kept["participant"]["name"] == "CN CNC"


@pytest.mark.parametrize(("bonus", "partner"), [(0.0, "KH CNC"), (0.3, "KH CNC too")])
def test_a_pending_request_is_a_bonus_the_rules_weigh(
    app: TestClient, four: dict[str, Any], workshop: int, bonus: float, partner: str
) -> None:
    # A second Cambodian CNC college that also seeks hotel trainers scores about 0.76 with
    # CN CNC against KH CNC's 0.99: a bonus of 0.3 tips it, none leaves it second.
    four["KH CNC too"] = _register(app, "KH CNC too", "KH", "CNC", "hotel trainers")
    ids = [pid for pid, _ in four.values()]
    app.put(
        f"{API}/workshops/{workshop}/participants", json={"institution_ids": ids}, headers=ADMIN
    )
    _ask(app, four, "KH CNC too", "CN CNC", None)
    run = _run(app, workshop, request_bonus=bonus)
    pairs = _pairs(run)
    chosen = pairs[frozenset({"CN CNC", partner})]
    assert chosen["meeting_request"] == ("pending" if partner == "KH CNC too" else None)
    assert chosen["locked"] is False


def test_a_declined_request_is_never_paired(
    app: TestClient, four: dict[str, Any], workshop: int
) -> None:
    _ask(app, four, "KH CNC", "CN CNC", "decline")
    assert frozenset({"CN CNC", "KH CNC"}) not in _pairs(_run(app, workshop, max_partners=2))
    locked = [four["CN CNC"][0], four["KH CNC"][0]]
    refused = app.post(
        f"{API}/workshops/{workshop}/pairings", json={"locked": [locked]}, headers=ADMIN
    )
    assert refused.status_code == 422, refused.text


def test_a_request_for_another_workshop_is_not_kept_here(
    app: TestClient, four: dict[str, Any], workshop: int
) -> None:
    other = app.post(f"{API}/workshops", json={**WORKSHOP, "name": "Other"}, headers=ADMIN)
    _ask(app, four, "KH welding", "CN CNC", "accept", workshop_id=other.json()["id"])
    assert set(_pairs(_run(app, workshop, request_bonus=0.0))) == NATURAL
