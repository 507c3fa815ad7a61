"""Registering on the web: pick lists, refusals beside fields, duplicates, the key once."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient

from service.config import Settings
from tests.conftest import ClientFactory, bearer
from tests.support.smtp import Inbox
from tests.web.conftest import API, create, csrf_token, text_of


def submit(web: TestClient, **fields: str | list[str]) -> httpx.Response:
    page = web.get("/web/register")
    assert page.status_code == 200
    answer: httpx.Response = web.post(
        "/web/register", data={"csrf_token": csrf_token(page), **fields}
    )
    return answer


def test_a_new_college_registers_and_keeps_its_key(web: TestClient) -> None:
    page = web.get("/web/register")
    assert 'value="Mechatronics"' in page.text  # taxonomy fields as a pick list
    assert 'value="km"' in page.text  # languages by name
    assert ">Khmer<" in page.text
    answer = submit(
        web,
        name="Battambang Polytechnic",
        country="KH",
        kind="college",
        fields=["Mechatronics", "New energy vehicles"],
        programs=["Teacher training"],
        languages=["km", "en"],
        needs="EV maintenance teacher training\ninternship hosts in China",
        offers="Khmer language courses",
        contact_email="intl@battambang.example.org",
    )
    assert answer.status_code == 201, text_of(answer)
    page_text = text_of(answer)
    (key,) = re.findall(r'value="(tvm_[\w-]+)"', page_text)
    assert "shown only this once" in page_text
    stored = web.get(f"{API}/institutions?q=Battambang").json()["items"][0]
    assert stored["fields"] == ["Mechatronics", "New energy vehicles"]
    assert stored["languages"] == ["km", "en"]
    assert stored["needs"] == ["EV maintenance teacher training", "internship hosts in China"]
    own = web.get(f"{API}/institutions/{stored['id']}", headers=bearer(key)).json()
    assert own["contact_email"] == "intl@battambang.example.org"
    assert web.get("/web/me").status_code == 200  # signed in by the same answer


def test_refusals_are_shown_beside_the_fields_and_nothing_is_stored(web: TestClient) -> None:
    answer = submit(web, name=" ", country="", kind="college", contact_email="not-an-email")
    assert answer.status_code == 422
    html = answer.text
    for field in ("name", "country", "contact_email"):
        assert f'id="{field}-errors"' in html, field
    assert web.get(f"{API}/institutions").json()["total"] == 0


def test_a_duplicate_points_at_the_existing_profile(web: TestClient) -> None:
    existing = create(web, name="Battambang Polytechnic")
    answer = submit(web, name="battambang polytechnic", country="KH", kind="college")
    assert answer.status_code == 409
    assert f'href="/web/institutions/{existing["id"]}"' in answer.text
    assert web.get(f"{API}/institutions").json()["total"] == 1


def test_closed_registration_is_said_plainly(
    make_client: ClientFactory, settings: Settings
) -> None:
    web = make_client(settings.model_copy(update={"open_registration": False, "rate_limit": ""}))
    page = web.get("/web/register")
    assert page.status_code == 403
    assert "Registration is closed on this server" in text_of(page)


def test_the_wizard_marks_the_website_private(web: TestClient) -> None:
    page = web.get("/web/register")
    assert 'name="website_private" type="checkbox"' in page.text
    site = "https://www.battambang-poly.example.org/"
    answer = submit(
        web,
        name="Battambang Polytechnic",
        country="KH",
        kind="college",
        website=site,
        website_private="on",
    )
    assert answer.status_code == 201, text_of(answer)
    (key,) = re.findall(r'value="(tvm_[\w-]+)"', text_of(answer))
    stored = web.get(f"{API}/institutions?q=Battambang").json()["items"][0]
    assert stored["website"] is None  # hidden from a reader who is not a partner
    own = web.get(f"{API}/institutions/{stored['id']}", headers=bearer(key)).json()
    assert own["website"] == site
    assert own["website_private"] is True


def test_the_wizard_shows_the_private_mark_again_beside_refusals(web: TestClient) -> None:
    answer = submit(web, name=" ", country="KH", kind="college", website_private="on")
    assert answer.status_code == 422
    assert 'name="website_private" type="checkbox" value="on" checked' in answer.text


def test_a_college_registered_on_the_chinese_pages_is_mailed_in_chinese(
    mailing: TestClient, inbox: Inbox
) -> None:
    mailing.cookies.set("tvm_lang", "zh")
    answer = submit(
        mailing,
        name="Battambang Polytechnic",
        country="KH",
        kind="college",
        contact_email="intl@battambang.example.org",
    )
    assert answer.status_code == 201, text_of(answer)
    mailing.cookies.clear()
    college = mailing.get(f"{API}/institutions?q=Battambang").json()["items"][0]
    centre = create(mailing, name="Tianjin CNC Centre", country="CN")
    body = {"to_institution_id": college["id"], "message": "Shall we meet?"}
    sent = mailing.post(f"{API}/meeting-requests", json=body, headers=bearer(centre["api_key"]))
    assert sent.status_code == 201, sent.text
    (asked,) = inbox.wait_for(1)
    assert asked["To"] == "intl@battambang.example.org"
    assert asked["Subject"] == "Tianjin CNC Centre希望与Battambang Polytechnic会面"
