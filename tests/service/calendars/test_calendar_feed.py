"""An institution's private calendar feed: its workshop meetings and agreed meeting dates,
at a secret address only its key (or an admin) can make, replace or turn off."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from service.config import Settings
from tests.conftest import ADMIN, ClientFactory, bearer

API = "/api/v1"
WORKSHOP = {
    "name": "Partnership Workshop 2027",
    "starts_on": "2027-05-12",
    "ends_on": "2027-05-13",
    "venue": "Phnom Penh",
    "time_zone": "Asia/Phnom_Penh",
}
AGREED = "2027-06-01"  # the date the two agreed to meet on, besides the workshop


@pytest.fixture
def app(make_client: ClientFactory, settings: Settings) -> TestClient:
    quiet = {"rate_limit": "", "rate_limit_writes": "", "webhook_poll_seconds": 0}
    return make_client(settings.model_copy(update=quiet))


def _register(app: TestClient, name: str, country: str, needs: str, offers: str) -> Any:
    body = {"name": name, "country": country, "kind": "college", "needs": [needs]}
    answer = app.post(f"{API}/institutions", json={**body, "offers": [offers]})
    assert answer.status_code == 201, answer.text
    return answer.json()


@pytest.fixture
def trio(app: TestClient) -> list[Any]:
    """A Cambodian college and a Chinese centre that meet at a workshop (scheduled) and
    agreed to meet on a date; a third institution that has nothing to do with them."""
    college = _register(app, "Kampot Polytechnic", "KH", "CNC teacher training", "internships")
    centre = _register(app, "Tianjin CNC Centre", "CN", "internships", "CNC teacher training")
    other = _register(app, "Vientiane Hotel School", "LA", "hotel trainers", "Lao courses")
    workshop = app.post(f"{API}/workshops", json=WORKSHOP, headers=ADMIN).json()
    ids = {"institution_ids": [college["id"], centre["id"]]}
    app.put(f"{API}/workshops/{workshop['id']}/participants", json=ids, headers=ADMIN)
    runs = f"{API}/workshops/{workshop['id']}/pairings"
    assert app.post(runs, json={}, headers=ADMIN).status_code == 201
    start = {"starts_at": "2027-05-12T09:00:00+07:00"}
    assert app.post(f"{runs}/1/schedule", json=start, headers=ADMIN).status_code in (200, 201)
    # A later run, not scheduled, does not hide the timetable the participants have.
    assert app.post(runs, json={}, headers=ADMIN).status_code == 201
    sent = app.post(
        f"{API}/meeting-requests",
        json={"to_institution_id": centre["id"], "message": "Visit?", "proposed_date": AGREED},
        headers=bearer(college["api_key"]),
    )
    accepted = app.post(
        f"{API}/meeting-requests/{sent.json()['id']}/accept", headers=bearer(centre["api_key"])
    )
    assert accepted.status_code == 200, accepted.text
    return [college, centre, other]


def _feed(app: TestClient, url: str) -> Any:
    return app.get(urlsplit(url).path)


def test_the_feed_lists_workshop_meetings_and_agreed_dates(app: TestClient, trio: Any) -> None:
    college, centre, _ = trio
    path = f"{API}/institutions/{college['id']}/calendar"
    key = bearer(college["api_key"])
    assert app.get(path, headers=key).json() == {"active": False, "created_at": None}
    issued = app.post(f"{path}/rotate", headers=key)
    assert issued.status_code == 201, issued.text
    assert app.get(path, headers=key).json()["active"] is True
    answer = _feed(app, issued.json()["url"])
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(answer.content).walk("VEVENT")
    summaries = sorted(str(e["summary"]) for e in events)
    both = "Kampot Polytechnic × Tianjin CNC Centre"
    assert summaries == [f"Partner meeting: {both}", f"Partner meeting: {both}"]
    by_uid = {str(e["uid"]): e for e in events}
    agreed = next(e for uid, e in by_uid.items() if uid.startswith("tvet-match-request-"))
    assert agreed.decoded("dtstart") == date(2027, 6, 1)
    met = next(e for uid, e in by_uid.items() if uid.startswith("tvet-match-w"))
    assert str(met["location"]).startswith("Phnom Penh, table ")
    # The other side's feed has the same meetings, from its own address.
    own = app.post(
        f"{API}/institutions/{centre['id']}/calendar/rotate", headers=bearer(centre["api_key"])
    )
    assert own.json()["url"] != issued.json()["url"]
    assert len(Calendar.from_ical(_feed(app, own.json()["url"]).content).walk("VEVENT")) == 2


def test_rotating_or_turning_off_makes_the_old_address_stop(app: TestClient, trio: Any) -> None:
    college = trio[0]
    path = f"{API}/institutions/{college['id']}/calendar"
    key = bearer(college["api_key"])
    first = app.post(f"{path}/rotate", headers=key).json()["url"]
    second = app.post(f"{path}/rotate", headers=key).json()["url"]
    assert _feed(app, first).status_code == 404
    assert _feed(app, second).status_code == 200
    assert app.delete(path, headers=key).status_code == 204
    assert _feed(app, second).status_code == 404
    assert app.get(path, headers=key).json()["active"] is False
    assert app.get("/calendar/tvcal_made-up.ics").status_code == 404


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_another_institutions_key_gets_403_and_changes_nothing(
    app: TestClient, trio: Any, method: str
) -> None:
    college, _, other = trio
    path = f"{API}/institutions/{college['id']}/calendar"
    url = app.post(f"{path}/rotate", headers=bearer(college["api_key"])).json()["url"]
    target = f"{path}/rotate" if method == "post" else path
    refused = app.request(method, target, headers=bearer(other["api_key"]))
    assert refused.status_code == 403, refused.text
    assert app.request(method, target).status_code == 401
    assert _feed(app, url).status_code == 200
    # An admin may manage it, as it may any institution's keys.
    assert app.get(path, headers=ADMIN).json()["active"] is True
