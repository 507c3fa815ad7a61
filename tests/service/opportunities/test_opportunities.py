"""Opportunities through the API: publish, list, change, close, match, expressions of interest."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from tests.conftest import ADMIN, ClientFactory, bearer

API = "/api/v1"
HOTEL_OFFER = {
    "type": "internships",
    "title": "Hotel internships with free accommodation",
    "text": "Six-month placements for hospitality students. Accommodation is free.",
    "fields": ["tourism and hospitality"],
    "eligible_countries": ["KH", "LA"],
    "eligible_kinds": ["college"],
    "capacity": 12,
    "deadline": "2031-06-30",
    "language": "en",
}


def register(
    client: TestClient, name: str, country: str, kind: str = "college", **more: Any
) -> Any:
    body = {"name": name, "country": country, "kind": kind, **more}
    response = client.post(f"{API}/institutions", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    created["auth"] = bearer(created["api_key"])
    return created


@pytest.fixture
def world(client: TestClient) -> dict[str, Any]:
    """A Thai hotel group that offers internships, and who might take them up."""
    return {
        "hotel": register(
            client,
            "Chiang Mai Hotel Group",
            "TH",
            "company",
            fields=["tourism and hospitality"],
            needs=["chef exchange", "Khmer speaking staff"],
            offers=["hotel internships"],
        ),
        "school": register(
            client,
            "Siem Reap Hotel School",
            "KH",
            fields=["tourism and hospitality"],
            needs=["hotel internships abroad with accommodation"],
            offers=["Khmer speaking graduates", "chef exchange"],
        ),
        "laos": register(
            client,
            "Luang Prabang Tourism College",
            "LA",
            fields=["tourism and hospitality"],
            needs=["internships for hospitality students"],
            offers=["Lao cooking classes"],
        ),
        "cnc": register(
            client,
            "Wuxi CNC College",
            "CN",
            fields=["CNC machining"],
            needs=["student recruitment"],
            offers=["CNC teacher training"],
        ),
        "agency": register(
            client,
            "Phnom Penh Tourism Agency",
            "KH",
            "government",
            needs=["hotel internships for students"],
        ),
    }


def publish(client: TestClient, auth: dict[str, str], **changes: Any) -> Any:
    response = client.post(f"{API}/opportunities", json={**HOTEL_OFFER, **changes}, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


def test_an_institution_publishes_its_own_offer(client: TestClient, world: dict[str, Any]) -> None:
    offer = publish(client, world["hotel"]["auth"])
    assert offer["institution"] == {
        "id": world["hotel"]["id"],
        "name": "Chiang Mai Hotel Group",
        "country": "TH",
        "kind": "company",
    }
    assert (offer["status"], offer["closed_at"], offer["direction"]) == ("open", None, "offer")
    # A date deadline holds through that day everywhere on Earth (until 12:00 UTC next day).
    assert offer["deadline"] == "2031-07-01T11:59:59.999999Z"
    assert client.get(f"{API}/opportunities/{offer['id']}").json() == offer
    # An aware date-time is kept as that instant.
    timed = publish(client, world["hotel"]["auth"], deadline="2031-06-30T17:00:00+07:00")
    assert timed["deadline"] == "2031-06-30T10:00:00Z"


def test_admins_publish_for_a_named_institution_and_others_may_not(
    client: TestClient, world: dict[str, Any]
) -> None:
    body = {**HOTEL_OFFER, "institution_id": world["school"]["id"]}
    made = client.post(f"{API}/opportunities", json=body, headers=ADMIN)
    assert made.status_code == 201
    assert made.json()["institution"]["id"] == world["school"]["id"]
    missing = client.post(f"{API}/opportunities", json=HOTEL_OFFER, headers=ADMIN)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["loc"] == ["body", "institution_id"]
    unknown = client.post(
        f"{API}/opportunities", json={**HOTEL_OFFER, "institution_id": 999}, headers=ADMIN
    )
    assert unknown.status_code == 422
    assert client.post(f"{API}/opportunities", json=HOTEL_OFFER).status_code == 401
    organiser = client.post(
        f"{API}/keys", json={"label": "o", "role": "organiser"}, headers=ADMIN
    ).json()
    as_organiser = client.post(f"{API}/opportunities", json=body, headers=bearer(organiser["key"]))
    assert as_organiser.status_code == 403
    listed = client.get(f"{API}/opportunities?status=all").json()
    assert listed["total"] == 1


@pytest.mark.parametrize(
    ("change", "field", "why"),
    [
        ({"type": "tourism"}, "type", "not a program type"),
        ({"deadline": "2031-06-30T17:00:00"}, "deadline", "UTC offset"),
        ({"deadline": "2020-01-01"}, "deadline", "in the future"),
        ({"deadline": "tomorrow"}, "deadline", "date"),
        ({"eligible_countries": ["XX"]}, "eligible_countries", "ISO 3166-1"),
        ({"eligible_kinds": ["school"]}, "eligible_kinds", "Input should be"),
        ({"capacity": 0}, "capacity", "greater than or equal to 1"),
        ({"capacity": "5"}, "capacity", "must be a number"),
        ({"title": " "}, "title", "blank"),
        ({"direction": "gift"}, "direction", "Input should be"),
        ({"colour": "red"}, "colour", "Extra inputs"),
    ],
)
def test_bad_opportunities_are_refused_with_the_field_and_why(
    client: TestClient, world: dict[str, Any], change: dict[str, Any], field: str, why: str
) -> None:
    response = client.post(
        f"{API}/opportunities", json={**HOTEL_OFFER, **change}, headers=world["hotel"]["auth"]
    )
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert errors[0]["loc"][:2] == ["body", field]
    assert why in errors[0]["msg"]
    assert client.get(f"{API}/opportunities?status=all").json()["total"] == 0


def test_listing_filters_by_type_eligibility_and_status(
    client: TestClient, world: dict[str, Any]
) -> None:
    hotel = world["hotel"]["auth"]
    internships = publish(client, hotel)
    anyone = publish(
        client,
        hotel,
        type="scholarships",
        title="Scholarships",
        eligible_countries=[],
        eligible_kinds=[],
    )
    closed = publish(client, hotel, title="Closed early")
    assert client.delete(f"{API}/opportunities/{closed['id']}", headers=hotel).status_code == 204

    def ids(query: str) -> list[int]:
        response = client.get(f"{API}/opportunities{query}")
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert ids("") == [internships["id"], anyone["id"]]
    assert ids("?type=internships") == [internships["id"]]
    assert ids("?country=CN") == [anyone["id"]]  # only the one open to every country
    assert ids("?country=KH&kind=college") == [internships["id"], anyone["id"]]
    assert ids("?kind=company") == [anyone["id"]]
    assert ids("?status=closed") == [closed["id"]]
    assert ids("?status=all&limit=2&offset=1") == [anyone["id"], closed["id"]]
    assert ids(f"?institution_id={world['school']['id']}") == []
    assert ids("?field=HOSPITALITY") == [internships["id"], anyone["id"]]
    assert client.get(f"{API}/opportunities?colour=red").status_code == 422
    assert client.get(f"{API}/opportunities?type=tourism").status_code == 422


def test_the_owner_changes_and_closes_it(client: TestClient, world: dict[str, Any]) -> None:
    hotel = world["hotel"]["auth"]
    offer = publish(client, hotel)
    url = f"{API}/opportunities/{offer['id']}"
    changed = client.patch(url, json={"capacity": 8, "text": None}, headers=hotel)
    assert changed.status_code == 200
    assert (changed.json()["capacity"], changed.json()["text"]) == (8, "")
    assert changed.json()["title"] == offer["title"]
    cleared = client.patch(url, json={"title": None}, headers=hotel)
    assert cleared.status_code == 422
    assert client.patch(url, json={"deadline": "2020-01-01"}, headers=hotel).status_code == 422
    assert client.delete(url, headers=hotel).status_code == 204
    read = client.get(url).json()
    assert read["status"] == "closed"
    assert read["closed_at"] is not None
    assert client.delete(url, headers=hotel).status_code == 204  # closing again changes nothing
    assert client.get(url).json() == read
    refused = client.patch(url, json={"capacity": 9}, headers=hotel)
    assert refused.status_code == 409
    assert "closed" in refused.json()["detail"]
    assert client.get(f"{API}/opportunities/999").status_code == 404


def test_matches_rank_eligible_institutions_by_the_reciprocal_score(
    client: TestClient, world: dict[str, Any]
) -> None:
    offer = publish(client, world["hotel"]["auth"])
    response = client.get(f"{API}/opportunities/{offer['id']}/matches")
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    names = [item["institution"]["name"] for item in items]
    # The hotel school needs exactly this and offers what the hotel needs; the Lao college
    # needs internships but offers nothing the hotel needs. The Chinese college (country),
    # the agency (kind) and the hotel itself (owner) are not eligible.
    assert names == ["Siem Reap Hotel School", "Luang Prabang Tourism College"]
    best = items[0]
    assert best["components"]["reciprocal"] > items[1]["components"]["reciprocal"]
    assert any("Hotel internships with free accommodation" in r for r in best["reasons"])
    # The same pair, seen from the school, has the same score.
    for_school = client.get(f"{API}/institutions/{world['school']['id']}/opportunities")
    (suggested,) = for_school.json()["items"]
    assert suggested["opportunity"]["id"] == offer["id"]
    assert suggested["score"] == pytest.approx(best["score"], abs=1e-6)
    assert suggested["reasons"]
    # Limits and the lowest score apply.
    one = client.get(f"{API}/opportunities/{offer['id']}/matches?limit=1").json()["items"]
    assert [m["institution"]["name"] for m in one] == ["Siem Reap Hotel School"]
    high = f"{API}/opportunities/{offer['id']}/matches?min_score={best['score'] + 0.001}"
    assert client.get(high).json()["items"] == []


def test_institutions_see_only_open_opportunities_they_may_take_up(
    client: TestClient, world: dict[str, Any]
) -> None:
    offer = publish(client, world["hotel"]["auth"])

    def suggested(who: str) -> list[int]:
        url = f"{API}/institutions/{world[who]['id']}/opportunities"
        return [item["opportunity"]["id"] for item in client.get(url).json()["items"]]

    assert suggested("school") == [offer["id"]]
    assert suggested("cnc") == []  # not an eligible country
    assert suggested("agency") == []  # not an eligible kind
    assert suggested("hotel") == []  # its own
    client.delete(f"{API}/opportunities/{offer['id']}", headers=world["hotel"]["auth"])
    assert suggested("school") == []
    # A call needs its text: the CNC college is suggested a call for CNC trainers.
    call = publish(
        client,
        world["school"]["auth"],
        type="teacher_training",
        direction="call",
        title="Call for CNC teacher training",
        text="We need CNC teacher training for our new workshop.",
        fields=["CNC machining"],
        eligible_countries=["CN"],
        eligible_kinds=[],
    )
    assert suggested("cnc") == [call["id"]]
    assert client.get(f"{API}/institutions/999/opportunities").status_code == 404


def test_an_expired_opportunity_no_longer_matches(
    client: TestClient, world: dict[str, Any]
) -> None:
    deadline = datetime.now(UTC) + timedelta(seconds=5)  # room for a loaded machine to publish it
    offer = publish(client, world["hotel"]["auth"], deadline=deadline.isoformat())
    url = f"{API}/opportunities/{offer['id']}"
    school = world["school"]
    mine = f"{API}/institutions/{school['id']}/opportunities"
    assert client.get(f"{url}/matches").json()["items"]
    assert [i["opportunity"]["id"] for i in client.get(mine).json()["items"]] == [offer["id"]]
    time.sleep(max(0.0, (deadline - datetime.now(UTC)).total_seconds()) + 0.05)
    read = client.get(url).json()
    assert read["status"] == "closed"
    assert read["closed_at"] == read["deadline"]
    refused = client.get(f"{url}/matches")
    assert refused.status_code == 409
    assert "closed" in refused.json()["detail"]
    assert client.get(mine).json()["items"] == []
    assert client.get(f"{API}/opportunities").json()["items"] == []
    assert [o["id"] for o in client.get(f"{API}/opportunities?status=closed").json()["items"]] == [
        offer["id"]
    ]
    interest = client.post(f"{url}/interest", json={}, headers=school["auth"])
    assert interest.status_code == 409
    # Its owner may give it a later deadline, which opens it again.
    later = client.patch(url, json={"deadline": "2031-01-01"}, headers=world["hotel"]["auth"])
    assert later.json()["status"] == "open"
    assert client.get(f"{url}/matches").json()["items"]


def test_interest_is_recorded_once_and_shown_to_the_owner_only(
    client: TestClient, world: dict[str, Any]
) -> None:
    offer = publish(client, world["hotel"]["auth"])
    url = f"{API}/opportunities/{offer['id']}/interest"
    school = world["school"]
    made = client.post(
        url, json={"note": "We could send 4 students in July."}, headers=school["auth"]
    )
    assert made.status_code == 201, made.text
    assert made.json()["institution"]["id"] == school["id"]
    again = client.post(url, json={"note": "again"}, headers=school["auth"])
    assert again.status_code == 409
    assert "already" in again.json()["detail"]
    listed = client.get(url, headers=world["hotel"]["auth"])
    assert listed.status_code == 200
    assert [(i["institution"]["name"], i["note"]) for i in listed.json()["items"]] == [
        ("Siem Reap Hotel School", "We could send 4 students in July.")
    ]
    assert client.get(url, headers=ADMIN).json() == listed.json()
    assert client.get(url, headers=school["auth"]).status_code == 403
    assert client.get(url).status_code == 401
    # Not the owner, not the ineligible, not for someone else.
    assert client.post(url, json={}, headers=world["hotel"]["auth"]).status_code == 403
    assert client.post(url, json={}, headers=world["cnc"]["auth"]).status_code == 403
    for_other = {"institution_id": world["laos"]["id"]}
    assert client.post(url, json=for_other, headers=school["auth"]).status_code == 403
    assert client.post(url, json=for_other, headers=ADMIN).status_code == 201
    assert client.post(url, json={}, headers=ADMIN).status_code == 422
    assert client.get(url, headers=ADMIN).json()["total"] == 2
    # Withdrawing removes it; the owner no longer sees it.
    assert client.delete(url, headers=school["auth"]).status_code == 204
    assert [i["institution"]["id"] for i in client.get(url, headers=ADMIN).json()["items"]] == [
        world["laos"]["id"]
    ]


def test_open_interests_are_capped_per_institution(
    make_client: ClientFactory, settings: Settings
) -> None:
    client = make_client(settings.model_copy(update={"max_open_interests": 2}))
    hotel = register(client, "Hotel", "TH", "company", offers=["hotel internships"])
    school = register(client, "School", "KH", needs=["hotel internships"])
    offers = [publish(client, hotel["auth"], title=f"Internship {n}") for n in range(3)]

    def interest(offer: dict[str, Any]) -> Any:
        url = f"{API}/opportunities/{offer['id']}/interest"
        return client.post(url, json={"note": "yes"}, headers=school["auth"])

    assert interest(offers[0]).status_code == 201
    assert interest(offers[1]).status_code == 201
    refused = interest(offers[2])
    assert refused.status_code == 409
    assert "2 expressions of interest" in refused.json()["detail"]
    assert (
        client.get(f"{API}/opportunities/{offers[2]['id']}/interest", headers=hotel["auth"]).json()[
            "total"
        ]
        == 0
    )
    # Interest in an opportunity that has closed no longer counts.
    client.delete(f"{API}/opportunities/{offers[0]['id']}", headers=hotel["auth"])
    assert interest(offers[2]).status_code == 201


def test_another_institution_cannot_change_an_opportunity(
    client: TestClient, world: dict[str, Any]
) -> None:
    offer = publish(client, world["hotel"]["auth"])
    url = f"{API}/opportunities/{offer['id']}"
    intruder = world["school"]["auth"]
    before = client.get(url).json()
    assert client.patch(url, json={"capacity": 1}, headers=intruder).status_code == 403
    assert client.delete(url, headers=intruder).status_code == 403
    body = {**HOTEL_OFFER, "institution_id": world["hotel"]["id"]}
    assert client.post(f"{API}/opportunities", json=body, headers=intruder).status_code == 403
    assert client.patch(url, json={"capacity": 1}).status_code == 401
    assert client.get(url).json() == before
    assert client.get(f"{API}/opportunities?status=all").json()["total"] == 1
