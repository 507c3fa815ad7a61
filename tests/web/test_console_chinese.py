"""The organiser console on the Chinese interface: what a run and the rules refuse or
explain reads in Chinese, never in the API's English (SQLite and PostgreSQL, through the
app). The survey import's refusals in Chinese: ``test_survey_pages.py``."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import ADMIN, bearer
from tests.web.conftest import API, create, create_workshop, sign_in, text_of

# Cambodian colleges need what the Chinese ones offer: CNC meets CNC, welding welding.
COLLEGES = {
    "CN CNC": ("CN", "CNC teacher training", "overseas internships"),
    "CN welding": ("CN", "welding teacher training", "overseas internships"),
    "KH CNC": ("KH", "overseas internships", "CNC teacher training"),
    "KH welding": ("KH", "overseas internships", "welding teacher training"),
}


def _workshop_of_four(web: TestClient) -> tuple[int, str, dict[str, dict[str, object]]]:
    workshop_id, key = create_workshop(web)
    made = {
        name: create(web, name=name, country=country, offers=[offer], needs=[need])
        for name, (country, offer, need) in COLLEGES.items()
    }
    ids = [college["id"] for college in made.values()]
    url = f"{API}/workshops/{workshop_id}/participants"
    assert web.put(url, json={"institution_ids": ids}, headers=ADMIN).status_code in (200, 204)
    return workshop_id, key, made


def test_a_request_the_run_could_not_keep_and_the_reasons_read_in_chinese(
    web: TestClient,
) -> None:
    workshop_id, key, made = _workshop_of_four(web)
    # KH welding and CN CNC agree to meet; the organiser locks CN CNC with KH CNC, so CN
    # CNC (one partner) has no room left for the accepted request.
    asked = web.post(
        f"{API}/meeting-requests",
        json={"to_institution_id": made["CN CNC"]["id"], "message": "Shall we meet?"},
        headers=bearer(str(made["KH welding"]["api_key"])),
    )
    assert asked.status_code == 201, asked.text
    accept = f"{API}/meeting-requests/{asked.json()['id']}/accept"
    assert web.post(accept, json={}, headers=bearer(str(made["CN CNC"]["api_key"]))).is_success
    locked = [[made["CN CNC"]["id"], made["KH CNC"]["id"]]]
    run = web.post(
        f"{API}/workshops/{workshop_id}/pairings", json={"locked": locked}, headers=ADMIN
    )
    assert run.status_code == 201, run.text
    (not_kept,) = run.json()["requests_not_kept"]
    assert not_kept["code"] == "capacity"
    english = f"participant {made['CN CNC']['id']} has no partner left under its capacity"
    assert not_kept["why"] == english  # the API keeps its English sentence

    sign_in(web, key)
    page = text_of(web.get(f"/web/workshops/{workshop_id}/runs/1?lang=zh"))
    assert "CN CNC × KH welding：CN CNC 已没有剩余的配对名额。" in page
    assert english not in page
    assert "no partner left" not in page
    # The pairs' reasons are said in Chinese too, quoting the profiles' own words.
    assert "对方提供“overseas internships”" in page
    assert "They offer" not in page
    english_page = text_of(web.get(f"/web/workshops/{workshop_id}/runs/1?lang=en"))
    assert "CN CNC × KH welding: CN CNC has no partner left under its capacity." in english_page


def test_the_rules_name_country_groups_in_chinese(web: TestClient) -> None:
    workshop_id, key = create_workshop(web)
    sign_in(web, key)
    console = text_of(web.get(f"/web/workshops/{workshop_id}?lang=zh"))
    assert "ASEAN：东南亚国家联盟（东盟）（11 个国家）" in console
    assert "Association of Southeast Asian Nations" not in console
