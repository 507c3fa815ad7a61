"""Meeting requests on the pages: ask from a suggestion, accept, see the contact."""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from service.config import Settings
from service.meetings.models import MeetingRequest
from tests.conftest import ADMIN_TOKEN, ClientFactory, bearer
from tests.web.conftest import create, csrf_token, sign_in, text_of

COLLEGE: dict[str, Any] = {
    "name": "Kampot Polytechnic",
    "country": "KH",
    "needs": ["CNC machining teacher training"],
    "offers": ["Khmer language courses", "student internships"],
    "contact_email": "intl@kampot.example.org",
}
CENTRE: dict[str, Any] = {
    "name": "Tianjin CNC Training Centre",
    "country": "CN",
    "kind": "company",
    "offers": ["CNC machining teacher training"],
    "needs": ["Khmer language courses", "student internships"],
    "contact_email": "partners@tianjin.example.org",
}


def rows(web: TestClient) -> list[tuple[int, str, str]]:
    with Session(web.app.state.engine) as session:  # type: ignore[attr-defined]
        found = session.exec(select(MeetingRequest).order_by(col(MeetingRequest.id)))
        return [(r.id or 0, r.status, r.message) for r in found]


def ask(web: TestClient, to: int, message: str, **extra: str) -> httpx.Response:
    form = web.get(f"/web/institutions/{to}/request-meeting")
    assert form.status_code == 200, form.text
    data = {"csrf_token": csrf_token(form), "message": message, **extra}
    url = f"/web/institutions/{to}/request-meeting"
    sent: httpx.Response = web.post(url, data=data, follow_redirects=False)
    return sent


def answer(web: TestClient, request_id: int, action: str, **extra: str) -> httpx.Response:
    page = web.get("/web/me")
    data = {"csrf_token": csrf_token(page), **extra}
    url = f"/web/meeting-requests/{request_id}/{action}"
    answered: httpx.Response = web.post(url, data=data, follow_redirects=False)
    return answered


def test_request_from_a_suggestion_then_accept_shows_both_contacts(web: TestClient) -> None:
    college, centre = create(web, **COLLEGE), create(web, **CENTRE)
    assert sign_in(web, college["api_key"]).status_code == 303
    mine = web.get("/web/me")
    assert mine.status_code == 200
    link = f"/web/institutions/{centre['id']}/request-meeting"
    assert link in mine.text  # the suggestion carries the button
    assert CENTRE["contact_email"] not in text_of(mine)
    assert link in web.get(f"/web/institutions/{college['id']}").text
    directory = web.get("/web/")  # a directory entry carries it too, but not one's own
    assert link in directory.text
    assert f"/web/institutions/{college['id']}/request-meeting" not in directory.text

    sent = ask(web, centre["id"], "Meet at the Phnom Penh workshop?", proposed_date="2027-05-12")
    assert sent.status_code == 303, sent.text
    assert sent.headers["location"] == "/web/me?sent=1"
    ((request_id, status, _),) = rows(web)
    assert status == "requested"
    page = text_of(web.get("/web/me?sent=1"))
    assert "Your meeting request was sent." in page
    assert "Meet at the Phnom Penh workshop?" in page
    assert CENTRE["contact_email"] not in page

    assert sign_in(web, centre["api_key"]).status_code == 303
    received = text_of(web.get("/web/me"))
    assert "Meet at the Phnom Penh workshop?" in received
    assert COLLEGE["contact_email"] not in received
    accepted = answer(web, request_id, "accept")
    assert accepted.status_code == 303
    after = text_of(web.get("/web/me?accept=1"))
    assert COLLEGE["contact_email"] in after

    assert sign_in(web, college["api_key"]).status_code == 303
    assert CENTRE["contact_email"] in text_of(web.get("/web/me"))
    assert rows(web) == [(request_id, "accepted", "Meet at the Phnom Penh workshop?")]


def test_a_declined_partner_leaves_the_suggestions(web: TestClient) -> None:
    college, centre = create(web, **COLLEGE), create(web, **CENTRE)
    sign_in(web, college["api_key"])
    ask(web, centre["id"], "Meet?")
    ((request_id, _, _),) = rows(web)
    sign_in(web, centre["api_key"])
    declined = answer(web, request_id, "decline", reason="Not this year")
    assert declined.status_code == 303
    sign_in(web, college["api_key"])
    page = web.get("/web/me")
    assert "Reason given: Not this year" in text_of(page)
    assert f"/web/institutions/{centre['id']}/request-meeting" not in page.text
    public = web.get(f"/web/institutions/{college['id']}").text
    assert f'href="/web/institutions/{centre["id"]}"' not in public


def test_others_cannot_answer_and_nothing_changes(web: TestClient) -> None:
    college, centre = create(web, **COLLEGE), create(web, **CENTRE)
    third = create(web, name="Vientiane Hotel School", country="LA")
    sign_in(web, college["api_key"])
    ask(web, centre["id"], "Meet?")
    ((request_id, _, _),) = rows(web)
    own = answer(web, request_id, "accept")  # the requester cannot accept its own
    assert own.status_code == 403
    sign_in(web, third["api_key"])
    for action in ("accept", "decline", "withdraw"):
        refused = answer(web, request_id, action)
        assert refused.status_code == 404, action
    forged = web.post(f"/web/meeting-requests/{request_id}/accept", data={"csrf_token": "forged"})
    assert forged.status_code == 403
    assert rows(web) == [(request_id, "requested", "Meet?")]


def test_a_refused_request_says_why_and_stores_nothing(web: TestClient) -> None:
    college, centre = create(web, **COLLEGE), create(web, **CENTRE)
    sign_in(web, college["api_key"])
    blank = ask(web, centre["id"], "   ")
    assert blank.status_code == 422
    assert 'id="message-errors"' in blank.text
    bad_date = ask(web, centre["id"], "Meet?", proposed_date="next week")
    assert bad_date.status_code == 422
    assert 'id="proposed_date-errors"' in bad_date.text
    assert rows(web) == []
    assert ask(web, centre["id"], "Meet?").status_code == 303
    again = ask(web, centre["id"], "Meet again?")
    assert again.status_code == 409
    assert "already open" in text_of(again)
    assert len(rows(web)) == 1
    assert college["id"] != centre["id"]


def test_the_daily_cap_is_shown_as_a_page(make_client: ClientFactory, settings: Settings) -> None:
    web = make_client(
        settings.model_copy(
            update={"rate_limit": "", "rate_limit_writes": "", "meeting_requests_per_day": 1}
        )
    )
    college = create(web, **COLLEGE)
    centre, other = create(web, **CENTRE), create(web, name="Vientiane Hotel School", country="LA")
    sign_in(web, college["api_key"])
    assert ask(web, centre["id"], "Meet?").status_code == 303
    capped = ask(web, other["id"], "Meet too?")
    assert capped.status_code == 429
    assert int(capped.headers["Retry-After"]) >= 1
    assert re.search(r"sent 1 meeting requests today", text_of(capped))
    assert len(rows(web)) == 1


def test_my_partners_is_for_institutions(web: TestClient) -> None:
    assert web.get("/web/me").status_code == 401
    sign_in(web, ADMIN_TOKEN)
    assert web.get("/web/me").status_code == 403


def test_my_partners_lists_fitting_opportunities_and_takes_interest(web: TestClient) -> None:
    college, centre = create(web, **COLLEGE), create(web, **CENTRE)
    offer = {
        "type": "teacher_training",
        "title": "CNC machining teacher training in Tianjin",
        "text": "Two-week CNC machining teacher training for partner colleges.",
        "eligible_countries": ["KH"],
    }
    published = web.post("/api/v1/opportunities", json=offer, headers=bearer(centre["api_key"]))
    assert published.status_code == 201, published.text
    opportunity_id = published.json()["id"]
    sign_in(web, college["api_key"])
    page = web.get("/web/me")
    assert "CNC machining teacher training in Tianjin" in text_of(page)
    data = {"csrf_token": csrf_token(page), "note": "Four teachers in July"}
    sent = web.post(
        f"/web/opportunities/{opportunity_id}/interest", data=data, follow_redirects=False
    )
    assert sent.status_code == 303
    listed = web.get(
        f"/api/v1/opportunities/{opportunity_id}/interest", headers=bearer(centre["api_key"])
    ).json()
    assert [(i["institution"]["id"], i["note"]) for i in listed["items"]] == [
        (college["id"], "Four teachers in July")
    ]
    assert "You expressed interest." in text_of(web.get("/web/me?interest=1"))
    # The publisher cannot express interest in its own offer; nothing changes.
    sign_in(web, centre["api_key"])
    own = web.post(
        f"/web/opportunities/{opportunity_id}/interest",
        data={"csrf_token": csrf_token(web.get("/web/me"))},
    )
    assert own.status_code == 403
    again = web.get(
        f"/api/v1/opportunities/{opportunity_id}/interest", headers=bearer(centre["api_key"])
    )
    assert again.json()["total"] == 1
