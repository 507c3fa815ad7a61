"""Meeting requests over the API: send, answer, withdraw, caps, contacts, events."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.auth.keys import Caller, Role
from service.config import Settings
from service.db import make_engine
from service.errors import Conflict
from service.meetings import operations
from service.meetings.models import MeetingRequest
from service.meetings.schemas import MeetingRequestCreate
from tests.conftest import ADMIN, ClientFactory, bearer

API = "/api/v1"
URL = f"{API}/meeting-requests"


def register(client: TestClient, name: str, country: str, **profile: Any) -> tuple[int, str]:
    body = {
        "name": name,
        "country": country,
        "kind": "college",
        "contact_email": f"{name.split()[0].lower()}@example.org",
        **profile,
    }
    answer = client.post(f"{API}/institutions", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"], answer.json()["api_key"]


@pytest.fixture
def app(make_client: ClientFactory, settings: Settings) -> TestClient:
    quiet = {"rate_limit": "", "rate_limit_writes": "", "webhook_poll_seconds": 0}
    return make_client(settings.model_copy(update=quiet))


@pytest.fixture
def trio(app: TestClient) -> tuple[tuple[int, str], tuple[int, str], tuple[int, str]]:
    """A Cambodian college needing CNC training, a Chinese centre offering it, a third."""
    college = register(
        app,
        "Kampot Polytechnic",
        "KH",
        needs=["CNC machining teacher training"],
        offers=["Khmer language courses", "student internships"],
        fields=["CNC machining"],
    )
    centre = register(
        app,
        "Tianjin CNC Training Centre",
        "CN",
        offers=["CNC machining teacher training"],
        needs=["Khmer language courses", "student internships"],
        fields=["CNC machining"],
    )
    other = register(app, "Vientiane Hotel School", "LA", needs=["hotel trainers"])
    return college, centre, other


def send(app: TestClient, key: str, to: int, **extra: Any) -> Any:
    body = {"to_institution_id": to, "message": "Shall we meet about CNC training?", **extra}
    return app.post(URL, json=body, headers=bearer(key))


def count_rows(app: TestClient) -> list[tuple[int, str]]:
    with Session(app.app.state.engine) as session:  # type: ignore[attr-defined]
        return [(r.id or 0, r.status) for r in session.exec(select(MeetingRequest))]


def test_a_request_accepted_reveals_both_contacts_and_only_then(app: TestClient, trio: Any) -> None:
    (college, college_key), (centre, centre_key), (_, other_key) = trio
    sent = send(app, college_key, centre, proposed_date="2027-05-12")
    assert sent.status_code == 201, sent.text
    request = sent.json()
    assert request["status"] == "requested"
    assert request["from_institution"]["contact_email"] is None
    assert request["to_institution"]["contact_email"] is None
    assert request["proposed_date"] == "2027-05-12"

    received = app.get(URL, params={"box": "received"}, headers=bearer(centre_key)).json()
    assert [item["id"] for item in received["items"]] == [request["id"]]
    assert received["items"][0]["from_institution"]["contact_email"] is None
    outbox = app.get(URL, params={"box": "sent"}, headers=bearer(college_key)).json()
    assert [item["id"] for item in outbox["items"]] == [request["id"]]
    assert app.get(URL, params={"box": "sent"}, headers=bearer(centre_key)).json()["total"] == 0

    accepted = app.post(f"{URL}/{request['id']}/accept", headers=bearer(centre_key))
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    for key in (college_key, centre_key):
        seen = app.get(f"{URL}/{request['id']}", headers=bearer(key)).json()
        assert seen["contacts_revealed"] is True
        assert seen["from_institution"]["contact_email"] == "kampot@example.org"
        assert seen["to_institution"]["contact_email"] == "tianjin@example.org"
    # A third institution still learns nothing, not even that the request exists.
    assert app.get(f"{URL}/{request['id']}", headers=bearer(other_key)).status_code == 404
    assert app.get(f"{API}/institutions/{centre}").json().get("contact_email") is None
    assert college != centre


@pytest.mark.parametrize("action", ["accept", "decline", "withdraw"])
def test_someone_else_cannot_answer_and_nothing_changes(
    app: TestClient, trio: Any, action: str
) -> None:
    (_, college_key), (centre, centre_key), (_, other_key) = trio
    request_id = send(app, college_key, centre).json()["id"]
    before = count_rows(app)
    # A third institution is not told the request exists; the requester may not answer
    # its own request (403), only withdraw it.
    third = app.post(f"{URL}/{request_id}/{action}", headers=bearer(other_key))
    assert third.status_code == 404, third.text
    assert third.headers["content-type"] == "application/problem+json"
    if action != "withdraw":
        own = app.post(f"{URL}/{request_id}/{action}", headers=bearer(college_key))
        assert own.status_code == 403, own.text
    assert app.post(f"{URL}/{request_id}/{action}").status_code == 401
    assert count_rows(app) == before == [(request_id, "requested")]
    assert centre_key  # the recipient may still answer
    assert app.post(f"{URL}/{request_id}/accept", headers=bearer(centre_key)).status_code == 200


def test_sending_for_another_institution_is_refused(app: TestClient, trio: Any) -> None:
    (college, college_key), (centre, _), (other, other_key) = trio
    answer = send(app, other_key, centre, from_institution_id=college)
    assert answer.status_code == 403, answer.text
    assert count_rows(app) == []
    # An admin names the institution it acts for.
    body = {"to_institution_id": centre, "message": "Meet?", "from_institution_id": other}
    by_admin = app.post(URL, json=body, headers=ADMIN)
    assert by_admin.status_code == 201, by_admin.text
    assert by_admin.json()["from_institution"]["id"] == other
    assert college_key


def test_bad_requests_say_which_field(app: TestClient, trio: Any) -> None:
    (college, college_key), (centre, _), _ = trio
    cases = [
        ({"to_institution_id": college, "message": "hi"}, ["body", "to_institution_id"]),
        ({"to_institution_id": 999_999, "message": "hi"}, ["body", "to_institution_id"]),
        ({"to_institution_id": centre, "message": "  "}, ["body", "message"]),
        ({"to_institution_id": centre}, ["body", "message"]),
        ({"to_institution_id": "2", "message": "hi"}, ["body", "to_institution_id"]),
        (
            {"to_institution_id": centre, "message": "hi", "workshop_id": 77},
            ["body", "workshop_id"],
        ),
        ({"to_institution_id": centre, "message": "x" * 2001}, ["body", "message"]),
        ({"to_institution_id": centre, "message": "hi", "extra": 1}, ["body", "extra"]),
    ]
    for body, loc in cases:
        answer = app.post(URL, json=body, headers=bearer(college_key))
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["errors"][0]["loc"] == loc, body
    assert count_rows(app) == []
    assert app.post(URL, json={"to_institution_id": centre, "message": "hi"}).status_code == 401
    listed = app.get(URL, params={"box": "elsewhere"}, headers=bearer(college_key))
    assert listed.status_code == 422
    assert listed.json()["errors"][0]["loc"] == ["query", "box"]


def test_one_open_request_per_pair_either_way(app: TestClient, trio: Any) -> None:
    (college, college_key), (centre, centre_key), _ = trio
    first = send(app, college_key, centre).json()
    again = send(app, college_key, centre)
    assert again.status_code == 409, again.text
    back = send(app, centre_key, college)
    assert back.status_code == 409, back.text
    assert (
        app.post(f"{URL}/{first['id']}/withdraw", headers=bearer(centre_key)).json()["status"]
        == "withdrawn"
    )
    # Once it has ended, a new one may be sent; an ended one cannot be answered.
    assert send(app, centre_key, college).status_code == 201
    late = app.post(f"{URL}/{first['id']}/accept", headers=bearer(centre_key))
    assert late.status_code == 409, late.text


def test_a_decline_keeps_its_reason_and_stops_the_suggestion(app: TestClient, trio: Any) -> None:
    (college, college_key), (centre, centre_key), _ = trio
    suggested = app.get(f"{API}/institutions/{college}/matches").json()["items"]
    assert centre in [item["institution"]["id"] for item in suggested]
    request_id = send(app, college_key, centre).json()["id"]
    declined = app.post(
        f"{URL}/{request_id}/decline",
        json={"reason": "No budget this year"},
        headers=bearer(centre_key),
    )
    assert declined.status_code == 200, declined.text
    assert declined.json()["reason"] == "No budget this year"
    assert declined.json()["to_institution"]["contact_email"] is None
    for asking, other in ((college, centre), (centre, college)):
        items = app.get(f"{API}/institutions/{asking}/matches").json()["items"]
        assert other not in [item["institution"]["id"] for item in items]


def test_declined_pairs_return_after_the_rest_period(
    make_client: ClientFactory, settings: Settings
) -> None:
    app = make_client(settings.model_copy(update={"meeting_rest_days": 0, "rate_limit": ""}))
    college, college_key = register(app, "Kampot Polytechnic", "KH", needs=["CNC training"])
    centre, centre_key = register(app, "Tianjin Centre", "CN", offers=["CNC training"])
    request_id = send(app, college_key, centre).json()["id"]
    app.post(f"{URL}/{request_id}/decline", headers=bearer(centre_key))
    items = app.get(f"{API}/institutions/{college}/matches").json()["items"]
    assert centre in [item["institution"]["id"] for item in items]


def test_the_daily_cap_answers_429_until_midnight(
    make_client: ClientFactory, settings: Settings
) -> None:
    capped = {"meeting_requests_per_day": 2, "rate_limit": "", "rate_limit_writes": ""}
    app = make_client(settings.model_copy(update=capped))
    _, key = register(app, "Kampot Polytechnic", "KH")
    targets = [register(app, f"Target {n}", "CN")[0] for n in range(3)]
    first = send(app, key, targets[0]).json()
    app.post(f"{URL}/{first['id']}/withdraw", headers=bearer(key))  # withdrawn still counts
    assert send(app, key, targets[1]).status_code == 201
    refused = send(app, key, targets[2])
    assert refused.status_code == 429, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 24 * 60 * 60
    assert "2 meeting requests today" in refused.json()["detail"]
    assert len(count_rows(app)) == 2


def test_only_institution_keys_and_admins_list(app: TestClient, trio: Any) -> None:
    (college, _), _, (other, other_key) = trio
    assert app.get(URL).status_code == 401
    named = app.get(URL, params={"institution_id": college}, headers=bearer(other_key))
    assert named.status_code == 403
    assert app.get(URL, headers=ADMIN).status_code == 422
    assert app.get(URL, params={"institution_id": college}, headers=ADMIN).json()["total"] == 0
    assert other


def test_events_go_to_the_two_sides_webhooks_only(app: TestClient, trio: Any) -> None:
    (_, college_key), (centre, centre_key), (_, other_key) = trio
    events = ["meeting.requested", "meeting.accepted", "meeting.declined"]
    hooks = {}
    for name, key in (("college", college_key), ("centre", centre_key), ("other", other_key)):
        body = {"url": "https://hooks.example.org/tvet", "events": events}
        made = app.post(f"{API}/webhooks", json=body, headers=bearer(key))
        assert made.status_code == 201, made.text
        hooks[name] = (made.json()["id"], key)
    request_id = send(app, college_key, centre).json()["id"]
    app.post(f"{URL}/{request_id}/accept", headers=bearer(centre_key))

    def received(name: str) -> list[str]:
        hook_id, key = hooks[name]
        page = app.get(f"{API}/webhooks/{hook_id}/deliveries", headers=bearer(key)).json()
        return sorted(item["event_type"] for item in page["items"])

    assert received("college") == received("centre") == ["meeting.accepted", "meeting.requested"]
    assert received("other") == []


def test_concurrent_requests_between_a_pair_give_one_and_a_conflict(
    app: TestClient, trio: Any, settings: Settings
) -> None:
    (college, _), (centre, _), _ = trio
    engine = make_engine(settings)
    outcome: list[BaseException | None] = []

    def other_way() -> None:
        with Session(engine) as session:
            try:
                operations.send(
                    session=session,
                    caller=Caller(role=Role.institution, institution_id=centre),
                    data=MeetingRequestCreate(to_institution_id=college, message="Meet?"),
                    per_day=20,
                )
                session.commit()
                outcome.append(None)
            except BaseException as error:
                outcome.append(error)

    with Session(engine) as first:
        operations.send(
            session=first,
            caller=Caller(role=Role.institution, institution_id=college),
            data=MeetingRequestCreate(to_institution_id=centre, message="Meet?"),
            per_day=20,
        )
        racer = threading.Thread(target=other_way)
        racer.start()
        racer.join(timeout=0.5)  # it waits on the first one's uncommitted row or lock
        first.commit()
    racer.join()
    engine.dispose()
    assert len(outcome) == 1
    assert isinstance(outcome[0], Conflict), outcome
    assert len(count_rows(app)) == 1


def test_a_workshop_pairing_never_pairs_a_declined_pair(app: TestClient, trio: Any) -> None:
    (college, college_key), (centre, centre_key), (other, _) = trio
    workshop = {
        "name": "Phnom Penh 2026",
        "starts_on": "2026-05-12",
        "ends_on": "2026-05-13",
        "time_zone": "Asia/Phnom_Penh",
    }
    workshop_id = app.post(f"{API}/workshops", json=workshop, headers=ADMIN).json()["id"]
    participants = {"institution_ids": [college, centre, other]}
    app.put(f"{API}/workshops/{workshop_id}/participants", json=participants, headers=ADMIN)

    def paired() -> set[tuple[int, int]]:
        run = app.post(
            f"{API}/workshops/{workshop_id}/pairings", json={"max_partners": 2}, headers=ADMIN
        )
        assert run.status_code == 201, run.text
        return {tuple(sorted((p["a"]["id"], p["b"]["id"]))) for p in run.json()["pairs"]}

    pair = (min(college, centre), max(college, centre))
    assert pair in paired()
    request_id = send(app, college_key, centre).json()["id"]
    app.post(f"{URL}/{request_id}/decline", headers=bearer(centre_key))
    assert pair not in paired()
