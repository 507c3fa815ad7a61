"""What a survey import may write: its own profiles, proposals to others, answers apart."""

from __future__ import annotations

import codecs
import csv
import io
from importlib import resources
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import ADMIN, bearer

API = "/api/v1"
SAMPLE = resources.files("seed").joinpath("survey_sample.csv").read_bytes()
CSV = {"content-type": "text/csv"}
HEADER = "Institution name,Country,Type,What we offer,Contact email,Q2 Challenges,Q4 Wishes\n"
NPIC = "NPIC Demo Institute"
NPIC_PROFILE = {
    "name": NPIC,
    "country": "KH",
    "kind": "college",
    "offers": ["electrical engineering training"],
    "contact_email": "npic@npic-demo.example.org",
}


def _survey(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


NPIC_ROW = f"{NPIC},KH,college,free laptops,attacker@evil-demo.example.com,budget,AI"


def _workshop(client: TestClient, name: str = "Rules") -> tuple[int, dict[str, str]]:
    body = {
        "name": name,
        "starts_on": "2026-05-12",
        "ends_on": "2026-05-13",
        "time_zone": "Asia/Phnom_Penh",
    }
    workshop_id: int = client.post(f"{API}/workshops", json=body, headers=ADMIN).json()["id"]
    key_body = {"label": name, "role": "organiser", "workshops": [workshop_id]}
    key = client.post(f"{API}/keys", json=key_body, headers=ADMIN).json()["key"]
    return workshop_id, bearer(key)


def _import(
    client: TestClient, workshop: int, organiser: dict[str, str], data: bytes, query: str = ""
) -> Any:
    response = client.post(
        f"{API}/workshops/{workshop}/imports{query}", content=data, headers={**organiser, **CSV}
    )
    assert response.status_code in (200, 201), response.text
    return response.json()


def _registered(client: TestClient, profile: dict[str, Any]) -> tuple[int, dict[str, str]]:
    made = client.post(f"{API}/institutions", json=profile).json()
    return made["id"], bearer(made["api_key"])


def test_an_organiser_cannot_rewrite_a_claimed_profile_it_proposes_instead(
    client: TestClient,
) -> None:
    npic, npic_key = _registered(client, NPIC_PROFILE)
    before = client.get(f"{API}/institutions/{npic}", headers=npic_key).json()
    workshop, organiser = _workshop(client)

    plan = _import(client, workshop, organiser, _survey(NPIC_ROW), "?dry_run=true")
    assert plan["update"] == []
    assert [(p["row"], p["changed"]) for p in plan["proposal"]] == [
        (2, ["contact_email", "offers"])
    ]
    result = _import(client, workshop, organiser, _survey(NPIC_ROW))
    assert result["updated"] == []
    assert result["proposal"] == [npic]

    after = client.get(f"{API}/institutions/{npic}", headers=npic_key).json()
    assert after["offers"] == before["offers"]
    assert after["contact_email"] == "npic@npic-demo.example.org"
    assert after["updated_at"] == before["updated_at"]
    participants = client.get(f"{API}/workshops/{workshop}/participants", headers=organiser)
    assert [p["id"] for p in participants.json()["items"]] == [npic]

    proposals = client.get(f"{API}/institutions/{npic}/proposals", headers=npic_key).json()
    assert len(proposals) == 1
    assert proposals[0]["status"] == "open"
    assert proposals[0]["workshop_id"] == workshop
    assert {c["field"]: (c["current"], c["proposed"]) for c in proposals[0]["changes"]} == {
        "offers": (["electrical engineering training"], ["free laptops"]),
        "contact_email": ("npic@npic-demo.example.org", "attacker@evil-demo.example.com"),
    }
    # The same file again proposes nothing new.
    _import(client, workshop, organiser, _survey(NPIC_ROW))
    assert len(client.get(f"{API}/institutions/{npic}/proposals", headers=npic_key).json()) == 1


def test_only_the_institution_or_an_admin_sees_and_decides_its_proposals(
    client: TestClient,
) -> None:
    npic, npic_key = _registered(client, NPIC_PROFILE)
    _, other_key = _registered(client, {"name": "Other", "country": "KH", "kind": "college"})
    workshop, organiser = _workshop(client)
    _import(client, workshop, organiser, _survey(NPIC_ROW))
    url = f"{API}/institutions/{npic}/proposals"
    proposal = client.get(url, headers=npic_key).json()[0]["id"]

    for key in (other_key, organiser):
        assert client.get(url, headers=key).status_code == 403
        assert client.post(f"{url}/{proposal}/accept", headers=key).status_code == 403
        assert client.post(f"{url}/{proposal}/dismiss", headers=key).status_code == 403
    assert client.get(url).status_code == 401
    assert client.get(url, headers=npic_key).json()[0]["status"] == "open"
    stored = client.get(f"{API}/institutions/{npic}", headers=npic_key).json()
    assert stored["offers"] == ["electrical engineering training"]
    assert client.get(url, headers=ADMIN).status_code == 200


def test_accepting_applies_the_changes_and_dismissing_keeps_the_profile(
    client: TestClient,
) -> None:
    npic, npic_key = _registered(client, NPIC_PROFILE)
    workshop, organiser = _workshop(client)
    _import(client, workshop, organiser, _survey(NPIC_ROW))
    url = f"{API}/institutions/{npic}/proposals"
    proposal = client.get(url, headers=npic_key).json()[0]["id"]

    accepted = client.post(f"{url}/{proposal}/accept", headers=npic_key)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    profile = client.get(f"{API}/institutions/{npic}", headers=npic_key).json()
    assert profile["offers"] == ["free laptops"]
    assert client.post(f"{url}/{proposal}/accept", headers=npic_key).status_code == 409
    assert client.post(f"{url}/{proposal}/dismiss", headers=npic_key).status_code == 409
    assert client.post(f"{url}/999999/accept", headers=npic_key).status_code == 404

    # Changed answers in a later file: a new proposal, which the institution dismisses.
    changed = NPIC_ROW.replace("free laptops", "solar panels")
    _import(client, workshop, organiser, _survey(changed))
    newest = client.get(url, headers=npic_key).json()[0]
    assert newest["status"] == "open"
    dismissed = client.post(f"{url}/{newest['id']}/dismiss", headers=npic_key).json()
    assert dismissed["status"] == "dismissed"
    profile = client.get(f"{API}/institutions/{npic}", headers=npic_key).json()
    assert profile["offers"] == ["free laptops"]
    # A dismissed proposal is not made again by the same file.
    _import(client, workshop, organiser, _survey(changed))
    assert [p["status"] for p in client.get(url, headers=npic_key).json()] == [
        "dismissed",
        "accepted",
    ]


def test_an_import_updates_only_what_this_workshops_imports_created_and_nobody_claimed(
    client: TestClient,
) -> None:
    first, first_organiser = _workshop(client, "First")
    second, second_organiser = _workshop(client, "Second")
    row = "Made Demo College,KH,college,welding,made@made-demo.example.org,,"
    made = _import(client, first, first_organiser, _survey(row))["created"][0]
    # A profile an admin created: no key, but no import of this workshop made it either.
    admin_made = client.post(
        f"{API}/institutions",
        json={"name": "Admin Demo College", "country": "KH", "kind": "college"},
        headers=ADMIN,
    ).json()["id"]
    admin_row = "Admin Demo College,KH,college,robotics,,,"

    changed = row.replace("welding", "welding; CNC")
    plan = _import(client, first, first_organiser, _survey(changed, admin_row), "?dry_run=true")
    assert [(u["institution_id"], u["changed"]) for u in plan["update"]] == [(made, ["offers"])]
    assert [p["institution_id"] for p in plan["proposal"]] == [admin_made]
    other = _import(client, second, second_organiser, _survey(changed), "?dry_run=true")
    assert [p["institution_id"] for p in other["proposal"]] == [made]
    assert other["update"] == []

    # Once an institution key exists, the profile is its own: proposals only.
    client.post(f"{API}/institutions/{made}/keys", headers=ADMIN)
    plan = _import(client, first, first_organiser, _survey(changed), "?dry_run=true")
    assert plan["update"] == []
    assert [p["institution_id"] for p in plan["proposal"]] == [made]
    unchanged = _import(client, first, first_organiser, _survey(row), "?dry_run=true")
    assert [p["institution_id"] for p in unchanged["participant"]] == [made]


def test_survey_answers_are_kept_apart_listed_and_exported(client: TestClient) -> None:
    workshop, organiser = _workshop(client)
    result = _import(client, workshop, organiser, SAMPLE)
    answers = client.get(f"{API}/workshops/{workshop}/survey-answers", headers=organiser).json()
    assert len(answers) == 28
    yulin = next(a for a in answers if a["name"].startswith("Yulin"))
    assert yulin["challenges"] == ["语言障碍", "经费有限"]
    assert yulin["wishes"] == ["职业教育课程开发", "教师培训", "人工智能"]
    for pid in result["created"]:
        profile = client.get(f"{API}/institutions/{pid}").json()
        assert "Challenges" not in profile["description"]
        assert "Wishes for the organiser" not in profile["description"]

    export = client.get(f"{API}/workshops/{workshop}/survey-answers/export", headers=organiser)
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert export.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows) == 28
    assert next(r for r in rows if r["name"].startswith("Yulin"))["challenges"] == (
        "语言障碍; 经费有限"
    )
    report = client.get(f"{API}/workshops/{workshop}/report", headers=organiser).json()
    assert len(report["survey_answers"]) == 28
    # Institutions and other organisers do not read them.
    _, other_organiser = _workshop(client, "Other")
    url = f"{API}/workshops/{workshop}/survey-answers"
    assert client.get(url, headers=other_organiser).status_code == 403


def test_a_reimport_moves_answers_out_of_descriptions_without_duplicating(
    client: TestClient,
) -> None:
    workshop, organiser = _workshop(client)
    _import(client, workshop, organiser, SAMPLE)
    answers_url = f"{API}/workshops/{workshop}/survey-answers"
    answers = client.get(answers_url, headers=organiser).json()
    # What an earlier import wrote: the answers as labelled sentences after the description.
    guilin = next(a for a in answers if a["name"].startswith("Guilin"))
    url = f"{API}/institutions/{guilin['institution_id']}"
    original = client.get(url).json()["description"]
    legacy = (
        f"{original} Challenges: language barriers; difficulties finding suitable partners. "
        "Strategies: industry partnerships; win-win workshops. "
        "Wishes for the organiser: teacher training; AI; hybrid workshops."
    )
    # Claimed since, so the import may not edit the profile, yet the block still moves.
    client.patch(url, json={"description": legacy}, headers=ADMIN)
    client.post(f"{url}/keys", headers=ADMIN)

    plan = _import(client, workshop, organiser, SAMPLE, "?dry_run=true")
    moved = [r for r in plan["participant"] if r["answers_moved"]]
    assert [r["institution_id"] for r in moved] == [guilin["institution_id"]]
    assert plan["proposal"] == []
    result = _import(client, workshop, organiser, SAMPLE)
    assert result["updated"] == [guilin["institution_id"]]
    assert client.get(url).json()["description"] == original
    assert client.get(answers_url, headers=organiser).json() == answers

    again = _import(client, workshop, organiser, SAMPLE)
    assert again["updated"] == []
    assert client.get(url).json()["description"] == original
    assert client.get(answers_url, headers=organiser).json() == answers


def test_pairing_reasons_never_quote_survey_labels(client: TestClient) -> None:
    workshop, organiser = _workshop(client)
    _import(client, workshop, organiser, SAMPLE)
    run = client.post(f"{API}/workshops/{workshop}/pairings", json={}, headers=organiser)
    assert run.status_code == 201, run.text
    reasons = [reason for pair in run.json()["pairs"] for reason in pair["reasons"]]
    assert reasons
    for label in ("challenge", "strategie", "wishe", "organiser"):
        assert not [reason for reason in reasons if label in reason.casefold()], label


def test_the_samples_pairing_pairs_nobody_without_a_shared_need_offer_or_field(
    client: TestClient,
) -> None:
    workshop, organiser = _workshop(client)
    _import(client, workshop, organiser, SAMPLE)
    run = client.post(f"{API}/workshops/{workshop}/pairings", json={}, headers=organiser)
    assert run.status_code == 201, run.text
    pairs = run.json()["pairs"]
    assert pairs
    for pair in pairs:
        parts = pair["components"]
        shared = parts["they_meet_my_needs"] + parts["i_meet_their_needs"] + parts["fields"]
        assert shared > 0, (pair["a"]["name"], pair["b"]["name"], parts)
