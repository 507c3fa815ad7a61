"""After a pairing run, through the API: outcomes and the report, the timetable with
alternates, and the CSV and iCalendar exports."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from tests.conftest import ADMIN
from tests.service.workshops.workshop_api import (
    API,
    pairs_of,
    run,
    schedule_meetings,
)


def test_outcomes_and_report(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    result = run(client, workshop, organiser)
    url = f"{API}/workshops/{workshop['id']}"
    (first, second, *_) = sorted(pairs_of(result))
    stranger = client.post(
        f"{API}/institutions", json={"name": "Away", "country": "VN", "kind": "college"}
    ).json()["id"]
    for body in (
        {"pair": list(first), "status": "met"},
        {"pair": list(first), "status": "mou_signed", "happened_on": "2026-05-13", "run": 1},
        {"pair": list(second), "status": "declined", "note": "timing"},
        {"pair": [people[1], people[2]], "status": "mou_signed"},  # not suggested
    ):
        response = client.post(f"{url}/outcomes", json=body, headers=organiser)
        assert response.status_code == 201, response.text
    refused = client.post(
        f"{url}/outcomes", json={"pair": [people[0], stranger], "status": "met"}, headers=organiser
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "pair", 1]
    outcomes = client.get(f"{url}/outcomes", headers=organiser).json()
    assert len(outcomes) == 3
    assert {o["status"] for o in outcomes} == {"mou_signed", "declined"}
    report = client.get(f"{url}/report", headers=organiser).json()
    assert report["run"] == 1
    assert report["participants"] == len(people)
    assert report["pairs_suggested"] == len(result["pairs"])
    assert (report["met"], report["mous_signed"], report["declined"]) == (2, 2, 1)
    assert report["mous_suggested_share"] == 0.5
    assert [i["name"] for i in report["never_suggested"]] == ["TH CNC"]
    assert report["by_country"] == [
        {"country": "CN", "participants": 4},
        {"country": "KH", "participants": 4},
        {"country": "TH", "participants": 1},
    ]


def test_schedule_has_no_double_booking_and_respects_unavailability(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    result = run(client, workshop, organiser, max_partners=2, china_with_asean_only=True)
    url = f"{API}/workshops/{workshop['id']}/pairings/1"
    assert client.get(f"{url}/schedule", headers=organiser).status_code == 404
    cn_cnc = people[0]
    body = {
        "starts_at": "2026-05-13T14:00:00",
        "slot_minutes": 20,
        "break_minutes": 10,
        "tables": 2,
        "unavailable": {str(cn_cnc): [0]},
        "with_alternates": 1,
    }
    response = client.post(f"{url}/schedule", json=body, headers=organiser)
    assert response.status_code == 201, response.text
    schedule = response.json()
    meetings = schedule["meetings"]
    pair_meetings = [m for m in meetings if m["kind"] == "pair"]
    assert len(pair_meetings) == len(result["pairs"])
    seen: set[tuple[int, int]] = set()
    for meeting in meetings:
        for side in ("a", "b"):
            key = (meeting["slot"], meeting[side]["id"])
            assert key not in seen, "double-booked"
            seen.add(key)
        assert meeting["table"] <= 2
        assert not (cn_cnc in (meeting["a"]["id"], meeting["b"]["id"]) and meeting["slot"] == 0)
    first = min(meetings, key=lambda m: m["slot"])
    assert first["starts_at"] == "2026-05-13T14:00:00+07:00"
    chinese_side = "a" if first["a"]["country"] == "CN" else "b"
    assert first[f"{chinese_side}_local_start"].endswith("+08:00")
    assert schedule["slots_used"] >= schedule["lower_bound"]
    assert client.get(f"{url}/schedule", headers=organiser).json() == schedule


def test_exports_csv_and_ics(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    result = run(client, workshop, organiser)
    url = f"{API}/workshops/{workshop['id']}/pairings/1"
    pairs = client.get(f"{url}/export?what=pairs", headers=organiser)
    assert pairs.headers["content-type"].startswith("text/csv")
    # Excel and WPS read UTF-8 only after a byte-order mark.
    assert pairs.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(pairs.content.decode("utf-8-sig"))))
    assert len(rows) == len(result["pairs"])
    assert {int(r["a_id"]) for r in rows} == {p["a"]["id"] for p in result["pairs"]}
    assert client.get(f"{url}/export?what=schedule", headers=organiser).status_code == 404
    client.post(
        f"{url}/schedule", json={"starts_at": "2026-05-13T14:00:00+07:00"}, headers=organiser
    )
    schedule = client.get(f"{url}/export?what=schedule", headers=organiser)
    assert schedule.content.startswith(b"\xef\xbb\xbf")
    schedule_text = schedule.content.decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(schedule_text)))) == len(result["pairs"])
    ics = client.get(f"{url}/export?what=ics", headers=organiser)
    assert ics.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(ics.content)
    events = calendar.walk("VEVENT")
    assert len(events) == len(result["pairs"])
    assert all(event.get("dtstart") and event.get("uid") for event in events)
    page = client.get(f"{url}/export?what=html", headers=organiser)
    assert page.headers["content-type"].startswith("text/html")
    assert result["pairs"][0]["a"]["name"] in page.text
    assert page.text.count("<tr>") == 1 + len(
        {m["slot"] for m in schedule_meetings(client, url, organiser)}
    )
    mine = client.get(
        f"{url}/export?what=ics&institution_id={people[0]}", headers=organiser
    ).content
    assert len(Calendar.from_ical(mine).walk("VEVENT")) == 1


def test_csv_exports_neutralise_formulas(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    client.patch(f"{API}/institutions/{people[0]}", json={"name": "=HYPERLINK(1)"}, headers=ADMIN)
    run(client, workshop, organiser)
    text = client.get(
        f"{API}/workshops/{workshop['id']}/pairings/1/export?what=pairs", headers=organiser
    ).text
    assert "'=HYPERLINK(1)" in text
    assert ",=HYPERLINK" not in text


@pytest.mark.parametrize("left_out", [False, True])
def test_alternates_are_scheduled_for_those_left_without_a_pair(
    client: TestClient,
    workshop: dict[str, Any],
    organiser: dict[str, str],
    people: list[int],
    left_out: bool,
) -> None:
    # Nine participants, one partner each: someone is unpaired; or one is left out on purpose.
    rules: dict[str, Any] = {"max_partners_by_id": {str(people[0]): 0}} if left_out else {}
    result = run(client, workshop, organiser, **rules)
    alone = {p["institution_id"] for p in result["alternates"]} - {
        i for pair in pairs_of(result) for i in pair
    }
    assert alone
    url = f"{API}/workshops/{workshop['id']}/pairings/1/schedule"
    body = {"starts_at": "2026-05-13T14:00:00", "with_alternates": 1}
    response = client.post(url, json=body, headers=organiser)
    assert response.status_code == 201, response.text
    met = {m[side]["id"] for m in response.json()["meetings"] for side in ("a", "b")}
    assert alone <= met
