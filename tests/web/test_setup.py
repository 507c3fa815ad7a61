"""Setting a workshop up through the pages (SQLite and PostgreSQL): an admin creates it
and gets its organisers' key once; organisers change its details and add or remove
participants found by name, in any script."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ADMIN_TOKEN, bearer
from tests.web.conftest import API, create, create_workshop, csrf_token, sign_in, text_of

NEW = {
    "name": "4th China-SEA Partnership Workshop",
    "starts_on": "2026-11-03",
    "ends_on": "2026-11-04",
    "venue": "Nanning",
    "time_zone": "Asia/Shanghai",
}


def test_an_admin_creates_a_workshop_and_sees_its_organiser_key_once(web: TestClient) -> None:
    assert sign_in(web, ADMIN_TOKEN).status_code == 303
    form = web.get("/web/workshops/new")
    assert form.status_code == 200
    created = web.post("/web/workshops/new", data={**NEW, "csrf_token": csrf_token(form)})
    assert created.status_code == 201, created.text
    key = re.search(r'<output id="organiser-key" class="secret">([^<]+)</output>', created.text)
    assert key is not None
    (workshop,) = [w for w in web.get(f"{API}/workshops").json() if w["name"] == NEW["name"]]
    assert {k: workshop[k] for k in NEW} == NEW
    # The key runs this workshop (and only it), through the API too.
    organiser = bearer(key.group(1))
    answer = web.put(
        f"{API}/workshops/{workshop['id']}/participants",
        json={"institution_ids": []},
        headers=organiser,
    )
    assert answer.status_code == 204
    other, _ = create_workshop(web, name="Someone else's")
    assert (
        web.post(f"{API}/workshops/{other}/pairings", json={}, headers=organiser).status_code == 403
    )
    # Shown once: the workshop list does not show it again.
    assert key.group(1) not in web.get("/web/workshops").text


def test_a_refused_workshop_says_which_field_and_creates_nothing(web: TestClient) -> None:
    sign_in(web, ADMIN_TOKEN)
    form = web.get("/web/workshops/new")
    bad = {**NEW, "time_zone": "Mars/Olympus", "csrf_token": csrf_token(form)}
    answer = web.post("/web/workshops/new", data=bad)
    assert answer.status_code == 422
    assert 'id="time_zone-errors"' in answer.text
    assert 'value="4th China-SEA Partnership Workshop"' in answer.text  # kept as typed
    assert web.get(f"{API}/workshops").json() == []


def test_only_admins_create_workshops(web: TestClient) -> None:
    assert web.get("/web/workshops/new").status_code == 401
    _, key = create_workshop(web)
    sign_in(web, key)
    assert web.get("/web/workshops/new").status_code == 403
    assert "New workshop" not in web.get("/web/workshops").text


@pytest.fixture
def organiser(web: TestClient) -> tuple[int, str]:
    workshop_id, key = create_workshop(web)
    assert sign_in(web, key).status_code == 303
    return workshop_id, key


def test_organisers_add_and_remove_participants_found_by_name(
    web: TestClient, organiser: tuple[int, str]
) -> None:
    workshop_id, key = organiser
    khmer = create(web, name="វិទ្យាស្ថានបច្ចេកទេសកំពង់ចាម")["id"]
    create(web, name="Hanoi Demo College", country="VN")
    console = f"/web/workshops/{workshop_id}"
    found = web.get(console, params={"find": "កំពង់ចាម"})
    assert f'name="institution_id" value="{khmer}"' in found.text
    assert "Hanoi Demo College" not in found.text
    added = web.post(
        f"{console}/participants/add",
        data={"institution_id": str(khmer), "csrf_token": csrf_token(found)},
        follow_redirects=False,
    )
    assert added.status_code == 303
    listed = web.get(f"{API}/workshops/{workshop_id}/participants", headers=bearer(key))
    assert [p["id"] for p in listed.json()["items"]] == [khmer]
    page = web.get(console, params={"find": "កំពង់ចាម"})
    assert "No institution outside the workshop matches" in text_of(page)  # already in
    removed = web.post(
        f"{console}/participants/remove",
        data={"institution_id": str(khmer), "csrf_token": csrf_token(page)},
    )
    assert removed.status_code == 200
    assert "The participant has been removed" in text_of(removed)
    listed = web.get(f"{API}/workshops/{workshop_id}/participants", headers=bearer(key))
    assert listed.json()["items"] == []
    refused = web.post(
        f"{console}/participants/add",
        data={"institution_id": "999999", "csrf_token": csrf_token(page)},
    )
    assert refused.status_code == 422
    assert "There is no institution with this number." in text_of(refused)


def test_organisers_change_the_details(web: TestClient, organiser: tuple[int, str]) -> None:
    workshop_id, _ = organiser
    console = f"/web/workshops/{workshop_id}"
    token = csrf_token(web.get(console))
    details = {**NEW, "csrf_token": token}
    bad = web.post(f"{console}/details", data={**details, "ends_on": "2026-11-01"})
    assert bad.status_code == 422
    stored = web.get(f"{API}/workshops/{workshop_id}").json()
    assert stored["name"] == "Phnom Penh 2026"  # nothing changed
    saved = web.post(f"{console}/details", data=details)
    assert saved.status_code == 200
    assert "The workshop's details have been saved." in text_of(saved)
    stored = web.get(f"{API}/workshops/{workshop_id}").json()
    assert {k: stored[k] for k in NEW} == NEW
