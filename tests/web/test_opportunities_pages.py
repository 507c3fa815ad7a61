"""Opportunities on the pages: browse and filter, publish, close, express and withdraw
interest, and the owner's list of who is interested; refusals change nothing."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.web.conftest import create, csrf_token, sign_in, text_of

API = "/api/v1/opportunities"
COLLEGE: dict[str, Any] = {
    "name": "Kampot Polytechnic",
    "country": "KH",
    "needs": ["CNC machining teacher training"],
    "offers": ["student internships"],
}
CENTRE: dict[str, Any] = {
    "name": "Tianjin CNC Training Centre",
    "country": "CN",
    "kind": "company",
    "offers": ["CNC machining teacher training"],
    "needs": ["student internships"],
}
OFFER: dict[str, Any] = {
    "type": "teacher_training",
    "title": "CNC machining teacher training in Tianjin",
    "text": "Two weeks for partner colleges.",
    "fields": ["mechatronics"],
    "eligible_countries": ["KH"],
}
CALL: dict[str, Any] = {
    "type": "internships",
    "direction": "call",
    "title": "Hosts wanted for hotel internships",
    "fields": ["tourism and hospitality"],
    "eligible_countries": ["TH"],
}


def publish(web: TestClient, key: str, body: dict[str, Any]) -> int:
    answer = web.post(API, json=body, headers=bearer(key))
    assert answer.status_code == 201, answer.text
    opportunity_id: int = answer.json()["id"]
    return opportunity_id


def titles(page: httpx.Response) -> list[str]:
    found = [OFFER["title"], CALL["title"]]
    return [title for title in found if title in text_of(page)]


def post(web: TestClient, form_page: str, url: str, **data: str) -> httpx.Response:
    """Submit a form of ``form_page`` (its CSRF token) to ``url``, without following."""
    token = csrf_token(web.get(form_page))
    answer: httpx.Response = web.post(
        url, data={"csrf_token": token, **data}, follow_redirects=False
    )
    return answer


def interest_of(web: TestClient, opportunity_id: int, key: str) -> list[tuple[int, str]]:
    listed = web.get(f"{API}/{opportunity_id}/interest", headers=bearer(key)).json()
    return [(item["institution"]["id"], item["note"]) for item in listed["items"]]


def test_browse_filters_by_text_direction_type_country_and_field(web: TestClient) -> None:
    centre = create(web, **CENTRE)
    publish(web, centre["api_key"], OFFER)
    publish(web, centre["api_key"], CALL)
    assert titles(web.get("/web/opportunities")) == [OFFER["title"], CALL["title"]]
    assert titles(web.get("/web/opportunities?q=hotel")) == [CALL["title"]]
    assert titles(web.get("/web/opportunities?direction=offer")) == [OFFER["title"]]
    assert titles(web.get("/web/opportunities?type=internships")) == [CALL["title"]]
    assert titles(web.get("/web/opportunities?country=kh")) == [OFFER["title"]]
    assert titles(web.get("/web/opportunities?field=tourism")) == [CALL["title"]]
    assert titles(web.get("/web/opportunities?q=welding")) == []
    refused = web.get("/web/opportunities?country=XX")
    assert refused.status_code == 422
    assert titles(refused) == []
    chinese = web.get("/web/opportunities?lang=zh")
    assert "合作机会" in chinese.text
    assert "提供" in chinese.text


def test_publish_on_the_page_shows_refusals_then_publishes(web: TestClient) -> None:
    centre = create(web, **CENTRE)
    assert web.get("/web/opportunities/new").status_code == 401
    sign_in(web, centre["api_key"])
    form = {"type": "teacher_training", "direction": "offer", "title": "", "capacity": "0"}
    refused = post(web, "/web/opportunities/new", "/web/opportunities/new", **form)
    assert refused.status_code == 422
    assert "The opportunity was not published" in text_of(refused)
    assert 'id="capacity-errors"' in refused.text
    assert 'id="title-errors"' in refused.text
    past = {**form, "title": OFFER["title"], "capacity": "4", "deadline": "2001-01-01"}
    late = post(web, "/web/opportunities/new", "/web/opportunities/new", **past)
    assert late.status_code == 422
    assert "must be in the future" in text_of(late)
    assert web.get(API).json()["total"] == 0
    good = {
        **past,
        "deadline": "",
        "text": OFFER["text"],
        "fields": "mechatronics\nCNC",
        "eligible_countries": "KH",
        "language": "en",
    }
    sent = post(web, "/web/opportunities/new", "/web/opportunities/new", **good)
    assert sent.status_code == 303
    (stored,) = web.get(API).json()["items"]
    assert sent.headers["location"] == f"/web/opportunities/{stored['id']}?published=1"
    assert (stored["institution"]["id"], stored["title"], stored["capacity"]) == (
        centre["id"],
        OFFER["title"],
        4,
    )
    assert (stored["fields"], stored["eligible_countries"]) == (["mechatronics", "CNC"], ["KH"])
    page = web.get(sent.headers["location"])
    assert "The opportunity is published." in text_of(page)
    assert "No institution has expressed interest yet." in text_of(page)


def test_interest_on_the_page_the_owner_sees_it_and_answers(web: TestClient) -> None:
    college, centre = create(web, **COLLEGE), create(web, **CENTRE)
    thai = create(web, name="Chiang Mai Hotel School", country="TH")
    opportunity_id = publish(web, centre["api_key"], OFFER)
    page = f"/web/opportunities/{opportunity_id}"
    url = f"{page}/interest"
    # Not eligible (Thai): the page shows why, and nothing is stored.
    sign_in(web, thai["api_key"])
    refused = post(web, page, url, note="We too", **{"from": "opportunity"})
    assert refused.status_code == 403
    assert "may not take this opportunity up" in text_of(refused)
    assert interest_of(web, opportunity_id, centre["api_key"]) == []
    # The college expresses interest from the page and comes back to it.
    sign_in(web, college["api_key"])
    sent = post(web, page, url, note="Four teachers in July", **{"from": "opportunity"})
    assert sent.status_code == 303
    assert sent.headers["location"] == f"{page}?interest=1"
    assert interest_of(web, opportunity_id, centre["api_key"]) == [
        (college["id"], "Four teachers in July")
    ]
    mine = text_of(web.get(f"{page}?interest=1"))
    assert "Your interest was sent to the publisher." in mine
    assert "Withdraw my interest" in mine
    again = post(web, page, url, note="again", **{"from": "opportunity"})
    assert again.status_code == 409  # once only; the page says so
    assert "Nothing was changed" in text_of(again)
    # Only the owner sees who is interested, with a way to ask to meet.
    assert "Interested institutions" not in mine
    sign_in(web, centre["api_key"])
    owner = text_of(web.get(page))
    assert "Interested institutions (1)" in owner
    assert "Four teachers in July" in owner
    assert f"/web/institutions/{college['id']}/request-meeting" in owner
    # The college withdraws.
    sign_in(web, college["api_key"])
    gone = post(web, page, url, withdraw="1", **{"from": "opportunity"})
    assert gone.headers["location"] == f"{page}?withdrawn=1"
    assert interest_of(web, opportunity_id, centre["api_key"]) == []


def test_only_the_owner_closes_and_another_key_changes_nothing(web: TestClient) -> None:
    college, centre = create(web, **COLLEGE), create(web, **CENTRE)
    opportunity_id = publish(web, centre["api_key"], OFFER)
    page = f"/web/opportunities/{opportunity_id}"
    sign_in(web, college["api_key"])
    assert "Close this opportunity" not in web.get(page).text
    refused = post(web, page, f"{page}/close")
    assert refused.status_code == 403
    assert "Only the institution that published" in text_of(refused)
    assert web.get(f"{API}/{opportunity_id}").json()["status"] == "open"
    assert post(web, page, "/web/opportunities/999999/close").status_code == 404
    sign_in(web, centre["api_key"])
    closed = post(web, page, f"{page}/close")
    assert closed.status_code == 303
    assert closed.headers["location"] == f"{page}?closed=1"
    assert web.get(f"{API}/{opportunity_id}").json()["status"] == "closed"
    assert "Close this opportunity" not in web.get(page).text
    # Closed: it is no longer listed as open, and takes no interest.
    assert titles(web.get("/web/opportunities")) == []
    sign_in(web, college["api_key"])
    late = post(web, page, f"{page}/interest", **{"from": "opportunity"})
    assert late.status_code == 409
    assert interest_of(web, opportunity_id, centre["api_key"]) == []
