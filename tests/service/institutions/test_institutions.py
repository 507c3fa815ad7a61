"""The institution resource: create, list, read, change, delete, bulk, and bad input."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ADMIN, bearer

API = "/api/v1"


def profile(
    name: str = "Kampot Demo Institute", country: str = "KH", **extra: Any
) -> dict[str, Any]:
    return {"name": name, "country": country, "kind": "college", **extra}


def create(client: TestClient, **fields: Any) -> dict[str, Any]:
    response = client.post(f"{API}/institutions", json=profile(**fields))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def count(client: TestClient) -> int:
    total: int = client.get(f"{API}/institutions").json()["total"]
    return total


def test_create_returns_the_stored_profile_with_an_id(client: TestClient) -> None:
    body = create(
        client,
        fields=["CNC"],
        needs=["CNC teacher training"],
        languages=["KM", "en"],
        contact_email="intl@kampot.example.org",
        website="https://kampot.example.org",
    )
    assert isinstance(body["id"], int)
    assert body["country"] == "KH"
    assert body["languages"] == ["km", "en"]
    assert body["contact_email"] == "intl@kampot.example.org"
    assert body["created_at"].endswith("Z")
    assert client.get(f"{API}/institutions/{body['id']}").json()["needs"] == [
        "CNC teacher training"
    ]


def test_text_is_nfc_normalised_and_trimmed(client: TestClient) -> None:
    body = create(client, name="  Vie\u0323\u0302t Demo College ", country="VN", fields=[" CNC "])
    assert body["name"] == "Vi\u1ec7t Demo College"
    assert body["fields"] == ["CNC"]


def test_contact_email_is_never_shown_to_others(client: TestClient) -> None:
    secret = "secret@kampot.example.org"
    kampot = create(client, needs=["CNC teacher training"], contact_email=secret)
    create(client, name="Wuxi Demo", country="CN", offers=["CNC teacher training"])
    other = create(client, name="Other Demo", country="TH", needs=["CNC teacher training"])
    other_key = bearer(other["api_key"])
    pages = [
        client.get(f"{API}/institutions/{kampot['id']}"),
        client.get(f"{API}/institutions/{kampot['id']}", headers=other_key),
        client.get(f"{API}/institutions"),
        client.get(f"{API}/institutions/{other['id']}/matches?cross_border=false"),
        client.patch(f"{API}/institutions/{other['id']}", json={"city": "X"}, headers=other_key),
    ]
    for page in pages:
        assert page.status_code == 200
        assert secret not in page.text
    # Its own key, and an admin, see it.
    own = client.get(f"{API}/institutions/{kampot['id']}", headers=bearer(kampot["api_key"]))
    assert own.json()["contact_email"] == secret
    assert (
        client.get(f"{API}/institutions/{kampot['id']}", headers=ADMIN).json()["contact_email"]
        == secret
    )


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"country": "XX"}, "country", "ISO 3166-1"),
        ({"country": "KHM"}, "country", "ISO 3166-1"),
        ({"kind": "school"}, "kind", "college"),
        ({"name": "   "}, "name", "blank"),
        ({"languages": ["khmer"]}, "languages", "ISO 639-1"),
        ({"fields": ["x"] * 51}, "fields", "at most 50"),
        ({"needs": ["x" * 301]}, "needs", "at most 300"),
        ({"offers": [""]}, "offers", "blank"),
        ({"description": "x" * 5001}, "description", "at most 5000"),
        ({"website": "ftp://example.org"}, "website", "http"),
        ({"contact_email": "not-an-email"}, "contact_email", "email"),
        ({"existing_partners": [0]}, "existing_partners", "greater than or equal to 1"),
        ({"colour": "blue"}, "colour", "Extra inputs are not permitted"),
    ],
)
def test_bad_fields_get_422_naming_field_and_reason(
    client: TestClient, change: dict[str, Any], field: str, reason: str
) -> None:
    response = client.post(f"{API}/institutions", json={**profile(), **change})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    error = problem["errors"][0]
    assert error["loc"][:2] == ["body", field]
    assert reason in error["msg"]
    assert count(client) == 0


def test_missing_required_fields_are_named(client: TestClient) -> None:
    response = client.post(f"{API}/institutions", json={"name": "Only a name"})
    assert response.status_code == 422
    assert {tuple(e["loc"]) for e in response.json()["errors"]} == {
        ("body", "country"),
        ("body", "kind"),
    }


def test_unknown_partner_id_is_refused_and_nothing_written(client: TestClient) -> None:
    response = client.post(f"{API}/institutions", json=profile(existing_partners=[999]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "existing_partners", 0]
    assert "999" in response.json()["detail"]
    assert count(client) == 0


def test_same_name_and_country_twice_is_a_conflict(client: TestClient) -> None:
    first = create(client)
    response = client.post(f"{API}/institutions", json=profile(name="KAMPOT  demo institute"))
    assert response.status_code == 409
    assert response.json()["existing_id"] == first["id"]
    # The same name in another country is another institution.
    create(client, country="TH")
    assert count(client) == 2


def test_unknown_id_is_404(client: TestClient) -> None:
    for method in ("get", "patch", "delete"):
        kwargs: dict[str, Any] = {"json": {"city": "x"}} if method == "patch" else {}
        response = getattr(client, method)(f"{API}/institutions/424242", headers=ADMIN, **kwargs)
        assert response.status_code == 404
        assert response.json()["detail"] == "no institution has id 424242"
    assert client.get(f"{API}/institutions/424242/matches").status_code == 404


def test_list_filters_and_pages_with_a_total(client: TestClient) -> None:
    create(client, name="A", country="KH", fields=["CNC machining"])
    create(client, name="B", country="KH", fields=["Hotel management"], kind="company")
    create(client, name="C", country="CN", fields=["cnc"], description="Robotics and 新能源汽车")
    create(client, name="D", country="TH", needs=["tour guides"])

    def names(query: str) -> list[str]:
        body = client.get(f"{API}/institutions?{query}").json()
        return [item["name"] for item in body["items"]]

    assert names("country=kh") == ["A", "B"]
    assert names("kind=company") == ["B"]
    assert names("field=CNC") == ["A", "C"]
    assert names("q=robotics") == ["C"]
    assert names("q=新能源") == ["C"]
    assert names("q=tour%20guide") == ["D"]
    assert names("q=100%25") == []
    page = client.get(f"{API}/institutions?limit=2&offset=2").json()
    assert [i["name"] for i in page["items"]] == ["C", "D"]
    assert (page["total"], page["limit"], page["offset"]) == (4, 2, 2)


def test_free_text_search_folds_unicode_forms(client: TestClient) -> None:
    create(client, name="Vi\u1ec7t Demo College", country="VN")
    decomposed = client.get(f"{API}/institutions", params={"q": "VIE\u0323\u0302T"}).json()
    assert [item["name"] for item in decomposed["items"]] == ["Vi\u1ec7t Demo College"]


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=101", "offset=-1", "country=ZZ", "kind=school", "colour=blue"]
)
def test_bad_list_parameters_are_refused(client: TestClient, query: str) -> None:
    response = client.get(f"{API}/institutions?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][0] == "query"


def test_patch_changes_only_the_fields_sent(client: TestClient) -> None:
    body = create(client, city="Kampot", needs=["CNC teacher training"])
    response = client.patch(
        f"{API}/institutions/{body['id']}",
        json={"offers": ["internships"], "city": None},
        headers=bearer(body["api_key"]),
    )
    assert response.status_code == 200
    changed = response.json()
    assert changed["offers"] == ["internships"]
    assert changed["city"] is None
    assert changed["needs"] == ["CNC teacher training"]
    assert changed["updated_at"] > body["updated_at"]


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"name": None}, 422),
        ({"country": "XX"}, 422),
        ({"existing_partners": [999]}, 422),
        ({"unknown": 1}, 422),
    ],
)
def test_failed_patch_changes_nothing(
    client: TestClient, change: dict[str, Any], status: int
) -> None:
    body = create(client, needs=["CNC teacher training"])
    response = client.patch(
        f"{API}/institutions/{body['id']}",
        json={"needs": ["x"], **change},
        headers=bearer(body["api_key"]),
    )
    assert response.status_code == status
    assert client.get(f"{API}/institutions/{body['id']}").json()["needs"] == [
        "CNC teacher training"
    ]


def test_patch_refuses_a_name_taken_in_the_country(client: TestClient) -> None:
    create(client, name="Taken")
    other = create(client, name="Other")
    response = client.patch(
        f"{API}/institutions/{other['id']}", json={"name": "taken"}, headers=ADMIN
    )
    assert response.status_code == 409
    assert client.get(f"{API}/institutions/{other['id']}").json()["name"] == "Other"


def test_an_institution_cannot_partner_itself(client: TestClient) -> None:
    body = create(client)
    response = client.patch(
        f"{API}/institutions/{body['id']}",
        json={"existing_partners": [body["id"]]},
        headers=bearer(body["api_key"]),
    )
    assert response.status_code == 422
    assert "own partner" in response.json()["detail"]


def test_delete_removes_the_institution_and_partnerships_naming_it(client: TestClient) -> None:
    partner = create(client, name="Partner", country="CN")
    body = create(client, existing_partners=[partner["id"]])
    deleted = client.delete(f"{API}/institutions/{partner['id']}", headers=ADMIN)
    assert deleted.status_code == 204
    assert client.get(f"{API}/institutions/{partner['id']}").status_code == 404
    assert client.get(f"{API}/institutions/{body['id']}").json()["existing_partners"] == []


# Enough to cross every batch boundary of a bulk create more than twice: the name check
# queries 900 (name, country) pairs at a time (SQLite's limit on bound parameters), and
# SQLAlchemy inserts 1,000 rows per statement. 10,000 crossed the same boundaries and
# took 25 s of the suite on PostgreSQL.
BULK_SIZE = 2_500


def test_bulk_creates_thousands_in_order(client: TestClient) -> None:
    items = [
        profile(name=f"Demo College {i}", country=("KH", "CN", "TH")[i % 3], needs=[f"need {i}"])
        for i in range(BULK_SIZE)
    ]
    response = client.post(f"{API}/institutions/bulk", json=items, headers=ADMIN)
    assert response.status_code == 201, response.text[:500]
    ids = response.json()["ids"]
    assert len(ids) == BULK_SIZE
    assert ids == sorted(ids)
    assert client.get(f"{API}/institutions/{ids[1234]}").json()["name"] == "Demo College 1234"
    assert (
        client.get(f"{API}/institutions/{ids[-1]}").json()["name"]
        == f"Demo College {BULK_SIZE - 1}"
    )
    assert count(client) == BULK_SIZE


@pytest.mark.parametrize(
    ("bad_item", "loc"),
    [
        ({"name": "Bad", "country": "XX", "kind": "college"}, ["body", 2, "country"]),
        (profile(name="Demo 0"), ["body", 2, "name"]),
        (profile(name="Bad", existing_partners=[999]), ["body", 2, "existing_partners", 0]),
    ],
)
def test_bulk_is_all_or_nothing(
    client: TestClient, bad_item: dict[str, Any], loc: list[str | int]
) -> None:
    items = [profile(name="Demo 0"), profile(name="Demo 1"), bad_item, profile(name="Demo 3")]
    response = client.post(f"{API}/institutions/bulk", json=items, headers=ADMIN)
    assert response.status_code in (409, 422)
    assert response.json()["errors"][0]["loc"] == loc
    assert count(client) == 0


def test_bulk_conflicts_with_stored_names(client: TestClient) -> None:
    stored = create(client, name="Stored")
    response = client.post(
        f"{API}/institutions/bulk",
        json=[profile(name="New"), profile(name="stored")],
        headers=ADMIN,
    )
    assert response.status_code == 409
    assert response.json()["existing_id"] == stored["id"]
    assert response.json()["errors"][0]["loc"] == ["body", 1, "name"]
    assert count(client) == 1


def test_malformed_json_is_a_422_problem(client: TestClient) -> None:
    response = client.post(
        f"{API}/institutions", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
