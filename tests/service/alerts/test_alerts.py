"""Saved searches and alerts: an item that enters a search's results is alerted once."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ADMIN, bearer

API = "/api/v1"
# A Cambodian college that needs CNC teacher training and offers internships.
ASKER = {
    "name": "Kampot Polytechnic",
    "country": "KH",
    "kind": "college",
    "fields": ["CNC machining"],
    "needs": ["CNC teacher training"],
    "offers": ["student internships in the special economic zone"],
}


def fitting(name: str, country: str = "CN", **changes: Any) -> dict[str, Any]:
    """A profile that offers what the asker needs and needs what it offers."""
    return {
        "name": name,
        "country": country,
        "kind": "college",
        "fields": ["CNC machining"],
        "needs": ["overseas student internships"],
        "offers": ["CNC teacher training programme"],
        **changes,
    }


UNRELATED: dict[str, Any] = {
    "needs": ["chef exchange"],
    "offers": ["hotel internships"],
    "fields": ["tourism"],
}


def register(client: TestClient, body: dict[str, Any]) -> Any:
    response = client.post(f"{API}/institutions", json=body)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def asker(client: TestClient) -> Any:
    created = register(client, ASKER)
    created["auth"] = bearer(created["api_key"])
    return created


def save(client: TestClient, auth: dict[str, str], **search: Any) -> Any:
    response = client.post(f"{API}/saved-searches", json=search, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


def alerts(client: TestClient, auth: dict[str, str], query: str = "") -> list[Any]:
    response = client.get(f"{API}/alerts{query}", headers=auth)
    assert response.status_code == 200, response.text
    items: list[Any] = response.json()["items"]
    return items


def test_a_new_fitting_profile_is_alerted(client: TestClient, asker: Any) -> None:
    search = save(client, asker["auth"], name="CNC trainers", min_score=0.2)
    assert search["institution_id"] == asker["id"]
    assert search["targets"] == ["institutions", "opportunities"]
    partner = register(client, fitting("Wuxi CNC College"))
    (alert,) = alerts(client, asker["auth"])
    # The score is the one the pair has as a suggestion (until the next refit).
    suggested = client.get(f"{API}/institutions/{asker['id']}/matches").json()["items"]
    assert suggested[0]["institution"]["id"] == partner["id"]
    assert suggested[0]["score"] == pytest.approx(alert["score"], abs=1e-6)
    register(client, fitting("Hue Hotel School", "VN", **UNRELATED))
    assert alerts(client, asker["auth"]) == [alert]
    assert (alert["target"], alert["target_id"]) == ("institution", partner["id"])
    assert alert["saved_search_id"] == search["id"]
    assert alert["institution_id"] == asker["id"]
    assert alert["score"] >= 0.2
    assert any("CNC teacher training programme" in reason for reason in alert["reasons"])


@pytest.mark.parametrize(
    ("search", "candidate"),
    [
        ({"cross_border": True}, fitting("Same Country", "KH")),
        ({"country": ["TH"]}, fitting("Wrong Country", "CN")),
        ({"kind": ["company"]}, fitting("Wrong Kind")),
        ({"field": "welding"}, fitting("Wrong Field")),
        ({"min_score": 0.99}, fitting("Not Good Enough")),
        ({"targets": ["opportunities"]}, fitting("Not Watched")),
        ({}, fitting("Unrelated", **UNRELATED)),
    ],
)
def test_a_profile_outside_the_filters_is_not_alerted(
    client: TestClient, asker: Any, search: dict[str, Any], candidate: dict[str, Any]
) -> None:
    save(client, asker["auth"], **search)
    register(client, candidate)
    assert alerts(client, asker["auth"]) == []


def test_only_entering_counts_not_staying_in(client: TestClient, asker: Any) -> None:
    save(client, asker["auth"], min_score=0.2)
    outside = register(client, fitting("Changing College", **UNRELATED))
    inside = register(client, fitting("Steady College"))
    assert [a["target_id"] for a in alerts(client, asker["auth"])] == [inside["id"]]
    # A change that keeps it in is no news.
    change = {"city": "Wuxi"}
    assert client.patch(f"{API}/institutions/{inside['id']}", json=change, headers=ADMIN).is_success
    assert len(alerts(client, asker["auth"])) == 1
    # A change that brings one in is.
    brings_in = {key: fitting("x")[key] for key in ("needs", "offers", "fields")}
    url = f"{API}/institutions/{outside['id']}"
    assert client.patch(url, json=brings_in, headers=ADMIN).is_success
    assert [a["target_id"] for a in alerts(client, asker["auth"])] == [outside["id"], inside["id"]]
    # Out, and in again: alerted again.
    assert client.patch(url, json=UNRELATED, headers=ADMIN).is_success
    assert client.patch(url, json=brings_in, headers=ADMIN).is_success
    assert [a["target_id"] for a in alerts(client, asker["auth"])][:2] == [outside["id"]] * 2


def test_bulk_creations_and_survey_imports_are_checked_too(client: TestClient, asker: Any) -> None:
    save(client, asker["auth"], min_score=0.2)
    bulk = [fitting("Bulk CNC College"), fitting("Bulk Hotel School", **UNRELATED)]
    created = client.post(f"{API}/institutions/bulk", json=bulk, headers=ADMIN)
    assert created.status_code == 201
    assert [a["target_id"] for a in alerts(client, asker["auth"])] == [created.json()["ids"][0]]
    workshop = {
        "name": "W",
        "starts_on": "2026-05-12",
        "ends_on": "2026-05-13",
        "time_zone": "Asia/Phnom_Penh",
    }
    assert client.post(f"{API}/workshops", json=workshop, headers=ADMIN).status_code == 201
    survey = (
        "name,country,kind,fields,needs,offers\n"
        "Survey CNC College,CN,college,CNC machining,overseas student internships,"
        "CNC teacher training programme\n"
    )
    imported = client.post(
        f"{API}/workshops/1/imports",
        content=io.BytesIO(survey.encode()).getvalue(),
        headers={**ADMIN, "content-type": "text/csv"},
    )
    assert imported.status_code == 201, imported.text
    (new_id,) = imported.json()["created"]
    assert alerts(client, asker["auth"])[0]["target_id"] == new_id


def test_a_fitting_opportunity_is_alerted(client: TestClient, asker: Any) -> None:
    save(client, asker["auth"], targets=["opportunities"], min_score=0.1)
    centre = register(client, fitting("Tianjin Training Centre"))
    offer = {
        "type": "teacher_training",
        "title": "CNC teacher training programme for ASEAN colleges",
        "fields": ["CNC machining"],
        "eligible_countries": ["KH", "LA"],
    }
    auth = bearer(centre["api_key"])
    made = client.post(f"{API}/opportunities", json=offer, headers=auth)
    assert made.status_code == 201
    not_eligible = {**offer, "title": "For Vietnam only", "eligible_countries": ["VN"]}
    assert client.post(f"{API}/opportunities", json=not_eligible, headers=auth).status_code == 201
    (alert,) = alerts(client, asker["auth"])
    assert (alert["target"], alert["target_id"]) == ("opportunity", made.json()["id"])
    # Opening the Vietnamese one to Cambodia brings it in.
    url = f"{API}/opportunities/{made.json()['id'] + 1}"
    assert client.patch(url, json={"eligible_countries": ["VN", "KH"]}, headers=auth).is_success
    assert [a["target_id"] for a in alerts(client, asker["auth"])] == [
        made.json()["id"] + 1,
        made.json()["id"],
    ]


def test_searches_and_alerts_belong_to_their_owner(client: TestClient, asker: Any) -> None:
    other = register(client, fitting("Other College", "TH"))
    other_auth = bearer(other["api_key"])
    mine = save(client, asker["auth"], min_score=0.1)
    theirs = save(client, other_auth, min_score=0.99)
    register(client, fitting("Nanjing CNC College"))
    assert len(alerts(client, asker["auth"])) == 1
    assert alerts(client, other_auth) == []
    listed = client.get(f"{API}/saved-searches", headers=other_auth).json()
    assert [s["id"] for s in listed["items"]] == [theirs["id"]]
    assert client.get(f"{API}/saved-searches", headers=ADMIN).json()["total"] == 2
    assert len(alerts(client, ADMIN)) == 1
    url = f"{API}/saved-searches/{mine['id']}"
    assert client.get(url, headers=other_auth).status_code == 403
    assert client.delete(url, headers=other_auth).status_code == 403
    for_me = {"institution_id": asker["id"]}
    assert client.post(f"{API}/saved-searches", json=for_me, headers=other_auth).status_code == 403
    assert client.get(url, headers=asker["auth"]).json() == mine
    assert client.get(f"{API}/alerts").status_code == 401
    assert client.get(f"{API}/saved-searches/999", headers=ADMIN).status_code == 404
    # Deleting a search removes its alerts.
    assert client.delete(url, headers=asker["auth"]).status_code == 204
    assert alerts(client, asker["auth"]) == []
    assert client.get(url, headers=asker["auth"]).status_code == 404


def test_admins_and_organisers_save_searches_for_a_named_institution(
    client: TestClient, asker: Any
) -> None:
    organiser = client.post(
        f"{API}/keys", json={"label": "o", "role": "organiser"}, headers=ADMIN
    ).json()
    auth = bearer(organiser["key"])
    missing = client.post(f"{API}/saved-searches", json={}, headers=auth)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["loc"] == ["body", "institution_id"]
    unknown = client.post(f"{API}/saved-searches", json={"institution_id": 999}, headers=auth)
    assert unknown.status_code == 422
    search = save(client, auth, institution_id=asker["id"], min_score=0.1)
    register(client, fitting("Changzhou CNC College"))
    (alert,) = alerts(client, auth)
    assert alert["saved_search_id"] == search["id"]
    assert alerts(client, asker["auth"]) == []  # the organiser's, not the institution's
    refused: list[dict[str, Any]] = [
        {"min_score": 2},
        {"targets": []},
        {"targets": ["people"]},
        {"colour": 1},
    ]
    for bad in refused:
        response = client.post(
            f"{API}/saved-searches", json={"institution_id": asker["id"], **bad}, headers=auth
        )
        assert response.status_code == 422, bad
    assert client.get(f"{API}/saved-searches", headers=auth).json()["total"] == 1
