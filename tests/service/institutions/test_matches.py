"""Suggestions through the API: reciprocal order, filters, exclusions and freshness."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from service.institutions.schemas import MatchComponents, MatchList
from tests.conftest import ADMIN, ClientFactory

API = "/api/v1"

KAMPOT: dict[str, Any] = {
    "name": "Kampot Demo Institute",
    "country": "KH",
    "kind": "college",
    "fields": ["CNC machining", "mechatronics"],
    "needs": ["CNC teacher training", "5-axis CNC machining equipment"],
    "offers": ["student internships in the special economic zone", "Khmer language courses"],
    "programs": ["teacher training"],
}
WUXI: dict[str, Any] = {
    "name": "Wuxi Demo CNC Centre",
    "country": "CN",
    "kind": "college",
    "fields": ["CNC machining"],
    "needs": ["overseas student internships", "Khmer language training for staff"],
    "offers": ["CNC teacher training programme", "5-axis CNC machining equipment donation"],
    "programs": ["teacher training"],
}
LOOK_ALIKE: dict[str, Any] = {**KAMPOT, "name": "Chonburi Demo Institute", "country": "TH"}
HOTEL: dict[str, Any] = {
    "name": "Hue Demo Hotel School",
    "country": "VN",
    "kind": "college",
    "fields": ["tourism and hospitality"],
    "needs": ["chef exchange"],
    "offers": ["hotel internships with free accommodation"],
}


def create(client: TestClient, body: dict[str, Any]) -> int:
    response = client.post(f"{API}/institutions", json=body)
    assert response.status_code == 201, response.text
    institution_id: int = response.json()["id"]
    return institution_id


def matches(client: TestClient, institution_id: int, query: str = "") -> list[dict[str, Any]]:
    response = client.get(f"{API}/institutions/{institution_id}/matches?{query}")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def names(items: list[dict[str, Any]]) -> list[str]:
    return [item["institution"]["name"] for item in items]


@pytest.fixture
def ids(client: TestClient) -> dict[str, int]:
    return {body["name"]: create(client, body) for body in (KAMPOT, WUXI, LOOK_ALIKE, HOTEL)}


def test_complement_comes_first_with_components_and_reasons(
    client: TestClient, ids: dict[str, int]
) -> None:
    items = matches(client, ids[KAMPOT["name"]])
    assert names(items)[0] == WUXI["name"]
    best = items[0]
    assert best["score"] > items[1]["score"]
    parts = best["components"]
    assert parts["they_meet_my_needs"] > 0
    assert parts["i_meet_their_needs"] > 0
    assert any("“CNC teacher training programme”" in reason for reason in best["reasons"])
    assert all(item["reasons"] for item in items)
    scores = [item["score"] for item in items]
    assert scores == sorted(scores, reverse=True)


def test_a_match_list_is_answered_as_its_validated_form(
    client: TestClient, ids: dict[str, int]
) -> None:
    # The JSON is that of the same list validated field by field: every part a number,
    # none left out.
    answer = client.get(f"{API}/institutions/{ids[KAMPOT['name']]}/matches")
    assert answer.status_code == 200
    validated = MatchList.model_validate_json(answer.content)
    assert json.loads(validated.model_dump_json()) == answer.json()
    assert validated.items
    for item in answer.json()["items"]:
        assert set(item["components"]) == set(MatchComponents.model_fields)
        assert all(type(value) is float for value in item["components"].values())


def test_filters_country_kind_min_score_and_limit(client: TestClient, ids: dict[str, int]) -> None:
    kampot = ids[KAMPOT["name"]]
    assert names(matches(client, kampot, "country=th")) == [LOOK_ALIKE["name"]]
    assert names(matches(client, kampot, "country=TH&country=CN")) == [
        WUXI["name"],
        LOOK_ALIKE["name"],
    ]
    assert matches(client, kampot, "kind=company") == []
    assert names(matches(client, kampot, "limit=1")) == [WUXI["name"]]
    best = matches(client, kampot)[0]["score"]
    assert names(matches(client, kampot, f"min_score={best}")) == [WUXI["name"]]


def test_cross_border_by_default(client: TestClient, ids: dict[str, int]) -> None:
    neighbour = create(client, {**WUXI, "name": "Phnom Penh Demo Centre", "country": "KH"})
    kampot = ids[KAMPOT["name"]]
    assert neighbour not in [i["institution"]["id"] for i in matches(client, kampot)]
    assert names(matches(client, kampot, "cross_border=false"))[0] in {
        WUXI["name"],
        "Phnom Penh Demo Centre",
    }


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=101",
        "min_score=2",
        "country=XX",
        "kind=school",
        "x=1",
        "diversity=1.5",
        "exposure=-1",
    ],
)
def test_bad_match_parameters_are_refused(
    client: TestClient, ids: dict[str, int], query: str
) -> None:
    response = client.get(f"{API}/institutions/{ids[KAMPOT['name']]}/matches?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][0] == "query"


def test_declared_partners_are_never_suggested(client: TestClient, ids: dict[str, int]) -> None:
    kampot, wuxi = ids[KAMPOT["name"]], ids[WUXI["name"]]
    client.patch(f"{API}/institutions/{kampot}", json={"existing_partners": [wuxi]}, headers=ADMIN)
    assert WUXI["name"] not in names(matches(client, kampot))
    # The partnership was declared by Kampot only; Wuxi must not be offered Kampot either.
    assert KAMPOT["name"] not in names(matches(client, wuxi))
    assert kampot not in [i["institution"]["id"] for i in matches(client, kampot)]


def test_new_profile_is_suggested_at_once(client: TestClient, ids: dict[str, int]) -> None:
    kampot = ids[KAMPOT["name"]]
    better = {
        **WUXI,
        "name": "Tianjin Demo Academy",
        "needs": [*WUXI["needs"], "student internships in the special economic zone"],
        "offers": [*WUXI["offers"], "CNC teacher training"],
    }
    new_id = create(client, better)
    assert matches(client, kampot)[0]["institution"]["id"] == new_id


def test_changed_profile_is_ranked_by_its_new_text(client: TestClient, ids: dict[str, int]) -> None:
    kampot, hotel = ids[KAMPOT["name"]], ids[HOTEL["name"]]
    assert HOTEL["name"] not in names(matches(client, kampot))
    client.patch(
        f"{API}/institutions/{hotel}",
        headers=ADMIN,
        json={"needs": WUXI["needs"], "offers": WUXI["offers"], "fields": WUXI["fields"]},
    )
    assert HOTEL["name"] in names(matches(client, kampot))[:2]


def test_deleted_profile_disappears_at_once(client: TestClient, ids: dict[str, int]) -> None:
    client.delete(f"{API}/institutions/{ids[WUXI['name']]}", headers=ADMIN)
    assert WUXI["name"] not in names(matches(client, ids[KAMPOT["name"]]))


def test_profile_in_a_script_the_index_never_saw_is_matched_next_request(
    client: TestClient, ids: dict[str, int]
) -> None:
    seeker = create(
        client,
        {"name": "ช่างกล Demo", "country": "TH", "kind": "college", "needs": ["ครูสอนช่างกล"]},
    )
    create(
        client,
        {"name": "Demo ครู", "country": "CN", "kind": "company", "offers": ["ครูสอนช่างกล"]},
    )
    assert names(matches(client, seeker)) == ["Demo ครู"]


def test_match_an_unstored_profile(client: TestClient, ids: dict[str, int]) -> None:
    body = {"profile": {**KAMPOT, "name": "Not stored"}, "limit": 2, "country": ["CN", "TH"]}
    response = client.post(f"{API}/matches", json=body)
    assert response.status_code == 200
    assert names(response.json()["items"]) == [WUXI["name"], LOOK_ALIKE["name"]]
    assert client.get(f"{API}/institutions").json()["total"] == 4


def test_unstored_profile_with_partners_excludes_them(
    client: TestClient, ids: dict[str, int]
) -> None:
    body = {"profile": {**KAMPOT, "existing_partners": [ids[WUXI["name"]]]}}
    response = client.post(f"{API}/matches", json=body)
    assert WUXI["name"] not in names(response.json()["items"])


def test_match_request_validates_the_profile(client: TestClient) -> None:
    response = client.post(f"{API}/matches", json={"profile": {**KAMPOT, "country": "XX"}})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "profile", "country"]


def test_index_is_rebuilt_from_the_database_on_start(
    make_client: ClientFactory, settings: Settings
) -> None:
    first = make_client(settings)
    kampot = create(first, KAMPOT)
    create(first, WUXI)
    second = make_client(settings)
    assert names(matches(second, kampot)) == [WUXI["name"]]
    assert second.get("/healthz").json() == {"status": "ok", "institutions": 2}


def test_diversity_and_exposure_reorder_but_keep_scores(
    client: TestClient, ids: dict[str, int]
) -> None:
    kampot = ids[KAMPOT["name"]]
    plain = {i["institution"]["id"]: i["score"] for i in matches(client, kampot)}
    varied = matches(client, kampot, "diversity=0.7&exposure=1")
    assert {i["institution"]["id"] for i in varied} <= set(plain)
    for item in varied:
        assert item["score"] == plain[item["institution"]["id"]]


TOPICS = ("CNC", "welding", "HVAC")
HUB: dict[str, Any] = {
    "name": "Alpha",
    "country": "CN",
    "kind": "college",
    "description": ", ".join(f"{topic} teacher training" for topic in TOPICS),
}
SPECIALISTS: list[dict[str, Any]] = [
    {**HUB, "name": name, "description": f"{topic} teacher training, {filler}"}
    for name, topic, filler in zip(
        ("Bravo", "Charlie", "Delta"),
        TOPICS,
        ("dormitory canteen library", "bakery football choir", "garden chess pottery"),
        strict=True,
    )
]


@pytest.fixture
def hub_and_specialists(client: TestClient) -> None:
    for body in (HUB, *SPECIALISTS):
        create(client, body)


def ask(client: TestClient, profile: dict[str, Any], **options: Any) -> list[dict[str, Any]]:
    asker = {"name": "Zulu", "country": "KH", "kind": "college", **profile}
    response = client.post(f"{API}/matches", json={"profile": asker, **options})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


@pytest.mark.usefixtures("hub_and_specialists")
@pytest.mark.parametrize(("options", "first"), [({}, "Bravo"), ({"exposure": None}, "Bravo")])
def test_exposure_left_unset_is_half_for_an_asker_holding_only_text(
    client: TestClient, options: dict[str, Any], first: str
) -> None:
    text_only = {"description": "CNC teacher training"}
    # Alpha suits every asker a little better than each one's specialist does.
    assert names(ask(client, text_only, exposure=0))[0] == "Alpha"
    assert names(ask(client, text_only, **options))[0] == first
    assert ask(client, text_only, **options) == ask(client, text_only, exposure=0.5)
