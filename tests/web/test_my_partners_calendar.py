""" "My partners" lists the upcoming meetings with a private calendar address it makes,
replaces and turns off, and the saved searches' alerts, newest first."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from icalendar import Calendar

from tests.conftest import ADMIN, bearer
from tests.service.calendars.test_calendar_feed import WORKSHOP
from tests.web.conftest import create, csrf_token, sign_in, text_of

API = "/api/v1"
_ADDRESS = re.compile(r'class="calendar-url" readonly value="([^"]+)"')


def _calendar_form(web: TestClient, action: str) -> str:
    page = web.get("/web/me")
    answer = web.post(
        "/web/me/calendar",
        data={"csrf_token": csrf_token(page), "action": action},
        follow_redirects=False,
    )
    assert answer.status_code in (200, 303), answer.text
    found = _ADDRESS.search(answer.text)
    return found.group(1) if found else ""


def test_upcoming_meetings_calendar_address_and_alerts(web: TestClient) -> None:
    college = create(web, name="Kampot Polytechnic", needs=["CNC teacher training"])
    centre = create(web, name="Tianjin CNC Centre", country="CN", offers=["CNC teacher training"])
    workshop = web.post(f"{API}/workshops", json=WORKSHOP, headers=ADMIN).json()
    runs = f"{API}/workshops/{workshop['id']}/pairings"
    ids = {"institution_ids": [college["id"], centre["id"]]}
    web.put(f"{API}/workshops/{workshop['id']}/participants", json=ids, headers=ADMIN)
    assert web.post(runs, json={}, headers=ADMIN).status_code == 201
    start = {"starts_at": "2027-05-12T09:00:00+07:00"}
    assert web.post(f"{runs}/1/schedule", json=start, headers=ADMIN).status_code in (200, 201)
    search = {"name": "Chinese CNC trainers", "targets": ["institutions"], "country": ["CN"]}
    saved = web.post(f"{API}/saved-searches", json=search, headers=bearer(college["api_key"]))
    assert saved.status_code == 201, saved.text
    create(web, name="Wuxi CNC Institute", country="CN", offers=["CNC teacher training"])
    create(web, name="Ningbo CNC College", country="CN", offers=["CNC teacher training"])

    assert sign_in(web, college["api_key"]).status_code == 303
    page = text_of(web.get("/web/me"))
    assert "2027-05-12 09:00</time> (Asia/Phnom_Penh) · Tianjin CNC Centre · " in page
    assert "Tianjin CNC Centre · Partnership Workshop 2027, table 1" in page
    assert "You have no calendar feed." in page
    # Alerts, newest first.
    assert page.index("Ningbo CNC College</a> entered “Chinese CNC trainers”") < page.index(
        "Wuxi CNC Institute</a> entered “Chinese CNC trainers”"
    )

    address = _calendar_form(web, "rotate")
    assert address.startswith("http://localhost:8000/calendar/tvcal_")
    feed = web.get(urlsplit(address).path)
    assert feed.status_code == 200
    (event,) = Calendar.from_ical(feed.content).walk("VEVENT")
    assert str(event["summary"]) == "Partner meeting: Kampot Polytechnic × Tianjin CNC Centre"
    # Shown once: the page afterwards says the feed is on, without the address.
    again = text_of(web.get("/web/me"))
    assert "Your calendar feed is on since" in again
    assert address not in again

    replaced = _calendar_form(web, "rotate")
    assert replaced != address
    assert web.get(urlsplit(address).path).status_code == 404
    assert _calendar_form(web, "revoke") == ""
    assert web.get(urlsplit(replaced).path).status_code == 404
    assert "Your calendar feed is off" in text_of(web.get("/web/me?calendar_off=1"))
