"""Workshops through the API: who may run them, participants, and pairing runs."""

from __future__ import annotations

import csv
import io
import itertools
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from service.config import Settings
from tests.conftest import ADMIN, ClientFactory, bearer

API = "/api/v1"
WORKSHOP = {
    "name": "3rd China-SEA Partnership Workshop",
    "starts_on": "2026-05-12",
    "ends_on": "2026-05-13",
    "venue": "Phnom Penh",
    "time_zone": "Asia/Phnom_Penh",
}
TOPICS = ["CNC", "welding", "HVAC", "robotics"]


def institution(client: TestClient, name: str, country: str, topic: str, chinese: bool) -> int:
    # Chinese colleges offer teacher training in a topic and need internships abroad;
    # the others need that training and offer internships.
    if chinese:
        needs, offers = ["overseas internships"], [f"{topic} teacher training"]
    else:
        needs, offers = [f"{topic} teacher training"], ["overseas internships"]
    body = {"name": name, "country": country, "kind": "college", "needs": needs, "offers": offers}
    response = client.post(f"{API}/institutions", json=body)
    assert response.status_code == 201, response.text
    created: int = response.json()["id"]
    return created


@pytest.fixture
def workshop(client: TestClient) -> dict[str, Any]:
    response = client.post(f"{API}/workshops", json=WORKSHOP, headers=ADMIN)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.fixture
def organiser(client: TestClient, workshop: dict[str, Any]) -> dict[str, str]:
    body = {"label": "organisers", "role": "organiser", "workshops": [workshop["id"]]}
    return bearer(client.post(f"{API}/keys", json=body, headers=ADMIN).json()["key"])


@pytest.fixture
def people(client: TestClient, workshop: dict[str, Any], organiser: dict[str, str]) -> list[int]:
    ids = [institution(client, f"CN {t}", "CN", t, chinese=True) for t in TOPICS]
    ids += [institution(client, f"KH {t}", "KH", t, chinese=False) for t in TOPICS]
    ids += [institution(client, "TH CNC", "TH", "CNC", chinese=False)]
    response = client.put(
        f"{API}/workshops/{workshop['id']}/participants",
        json={"institution_ids": ids},
        headers=organiser,
    )
    assert response.status_code == 204, response.text
    return ids


def test_workshop_is_created_by_admins_and_validated(client: TestClient) -> None:
    assert client.post(f"{API}/workshops", json=WORKSHOP).status_code == 401
    bad = {**WORKSHOP, "time_zone": "Mars/Olympus", "ends_on": "2026-05-01"}
    response = client.post(f"{API}/workshops", json=bad, headers=ADMIN)
    assert response.status_code == 422
    fields = {error["loc"][-1] for error in response.json()["errors"]}
    assert "time_zone" in fields
    listed = client.get(f"{API}/workshops").json()
    assert listed == []


def test_only_its_organisers_run_a_workshop(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str]
) -> None:
    url = f"{API}/workshops/{workshop['id']}"
    other = client.post(
        f"{API}/keys",
        json={"label": "other", "role": "organiser", "workshops": [999]},
        headers=ADMIN,
    ).json()["key"]
    school_key = client.post(
        f"{API}/institutions", json={"name": "S", "country": "KH", "kind": "college"}
    ).json()["api_key"]
    for key in (other, school_key):
        response = client.patch(url, json={"venue": "Elsewhere"}, headers=bearer(key))
        assert response.status_code == 403
    assert client.get(url).json()["venue"] == "Phnom Penh"
    assert client.patch(url, json={"venue": "Siem Reap"}, headers=organiser).json()["venue"] == (
        "Siem Reap"
    )


def test_participants_must_exist_and_nothing_changes_otherwise(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    url = f"{API}/workshops/{workshop['id']}/participants"
    response = client.put(url, json={"institution_ids": [people[0], 999]}, headers=organiser)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "institution_ids", 1]
    listed = client.get(url, params={"limit": 100}).json()
    assert [p["id"] for p in listed["items"]] == sorted(people)
    assert client.get(f"{API}/workshops/{workshop['id']}").json()["participants"] == len(people)


def run(client: TestClient, workshop: dict[str, Any], key: dict[str, str], **rules: Any) -> Any:
    response = client.post(f"{API}/workshops/{workshop['id']}/pairings", json=rules, headers=key)
    assert response.status_code == 201, response.text
    return response.json()


def pairs_of(result: Any) -> set[tuple[int, int]]:
    return {(p["a"]["id"], p["b"]["id"]) for p in result["pairs"]}


def test_pairing_pairs_each_topic_across_the_border(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    result = run(client, workshop, organiser)
    assert result["number"] == 1
    names = {(p["a"]["name"], p["b"]["name"]) for p in result["pairs"]}
    # Each Chinese college meets the institute that needs its topic.
    for topic in TOPICS:
        assert (f"CN {topic}", f"KH {topic}") in names
    assert result["total"] == pytest.approx(sum(p["score"] for p in result["pairs"]))
    assert result["upper_bound"] >= result["total"] - 1e-9
    assert all(p["reasons"] for p in result["pairs"])
    assert all(p["a"]["country"] != p["b"]["country"] for p in result["pairs"])
    # The Thai institute competes with KH CNC for CN CNC and loses nothing it could win.
    (left,) = result["unpaired"]
    assert left["institution"]["name"] == "TH CNC"
    assert left["reason"] == "capacity"
    assert any(alt["institution_id"] == left["institution"]["id"] for alt in result["alternates"])


def test_pairing_total_is_the_best_possible(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    result = run(client, workshop, organiser)
    # Brute force over the same scores: every pair scored by asking for all suggestions.
    score: dict[tuple[int, int], float] = {}
    for pid in people:
        query = f"{API}/institutions/{pid}/matches?limit=100"
        for item in client.get(query).json()["items"]:
            if item["institution"]["id"] in people:
                edge = (min(pid, item["institution"]["id"]), max(pid, item["institution"]["id"]))
                score[edge] = item["score"]
    best = 0.0
    edges = list(score)
    for size in range(1, len(people) // 2 + 1):
        for chosen in itertools.combinations(edges, size):
            used = [pid for edge in chosen for pid in edge]
            if len(used) == len(set(used)):
                best = max(best, sum(score[edge] for edge in chosen))
    assert result["total"] == pytest.approx(best, abs=1e-4)


def test_locked_forbidden_and_country_rules_hold(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    cn_cnc, kh_cnc, th_cnc = people[0], people[4], people[8]
    locked = run(client, workshop, organiser, locked=[[cn_cnc, th_cnc]])
    assert (cn_cnc, th_cnc) in pairs_of(locked)
    assert next(p for p in locked["pairs"] if (p["a"]["id"], p["b"]["id"]) == (cn_cnc, th_cnc))[
        "locked"
    ]
    forbidden = run(client, workshop, organiser, forbidden=[[cn_cnc, kh_cnc]])
    assert (cn_cnc, kh_cnc) not in pairs_of(forbidden)
    asean_only = run(client, workshop, organiser, china_with_asean_only=True, max_partners=2)
    countries = {(p["a"]["country"], p["b"]["country"]) for p in asean_only["pairs"]}
    assert all("CN" in pair for pair in countries)
    assert [
        r["number"]
        for r in client.get(f"{API}/workshops/{workshop['id']}/pairings", headers=organiser).json()[
            "items"
        ]
    ] == [1, 2, 3]


def test_declared_partners_are_never_paired(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    cn_cnc, kh_cnc = people[0], people[4]
    client.patch(
        f"{API}/institutions/{kh_cnc}", json={"existing_partners": [cn_cnc]}, headers=ADMIN
    )
    assert (cn_cnc, kh_cnc) not in pairs_of(run(client, workshop, organiser))


def test_runs_are_stored_and_compared(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    first = run(client, workshop, organiser)
    second = run(client, workshop, organiser, forbidden=[[people[0], people[4]]])
    url = f"{API}/workshops/{workshop['id']}/pairings"
    assert client.get(f"{url}/1", headers=organiser).json() == first
    diff = client.get(f"{url}/2/diff?against=1", headers=organiser).json()
    assert [people[0], people[4]] in diff["removed"]
    assert diff["total_change"] == pytest.approx(second["total"] - first["total"])
    assert client.get(f"{url}/9", headers=organiser).status_code == 404
    assert client.get(f"{url}/1").status_code == 401


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ({"max_partners": 0}, "max_partners"),
        ({"min_partners": 3, "max_partners": 2}, "body"),
        ({"fairness": "random"}, "fairness"),
        ({"locked": [[1]]}, "locked"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_bad_rules_are_refused(
    client: TestClient,
    workshop: dict[str, Any],
    organiser: dict[str, str],
    people: list[int],
    rules: dict[str, Any],
    field: str,
) -> None:
    response = client.post(
        f"{API}/workshops/{workshop['id']}/pairings", json=rules, headers=organiser
    )
    assert response.status_code == 422
    assert field in [str(part) for part in response.json()["errors"][0]["loc"]]
    runs = client.get(f"{API}/workshops/{workshop['id']}/pairings", headers=organiser).json()
    assert runs["items"] == []


def test_a_locked_pair_that_breaks_a_rule_is_refused(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], people: list[int]
) -> None:
    same_country = [people[0], people[1]]  # two Chinese colleges
    response = client.post(
        f"{API}/workshops/{workshop['id']}/pairings",
        json={"locked": [same_country]},
        headers=organiser,
    )
    assert response.status_code == 422
    assert "locked" in response.json()["detail"]


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


def schedule_meetings(client: TestClient, url: str, key: dict[str, str]) -> list[Any]:
    meetings: list[Any] = client.get(f"{url}/schedule", headers=key).json()["meetings"]
    return meetings


def test_pairing_includes_participants_written_through_another_instance(
    make_client: ClientFactory, settings: Settings
) -> None:
    # Without polling, this instance's index learns of the other's writes only on demand.
    quiet = settings.model_copy(update={"change_poll_seconds": 0})
    this, other = make_client(quiet), make_client(quiet)
    ids = [institution(other, f"CN {t}", "CN", t, chinese=True) for t in TOPICS[:2]]
    ids += [institution(other, f"KH {t}", "KH", t, chinese=False) for t in TOPICS[:2]]
    workshop = this.post(f"{API}/workshops", json=WORKSHOP, headers=ADMIN).json()
    response = this.put(
        f"{API}/workshops/{workshop['id']}/participants",
        json={"institution_ids": ids},
        headers=ADMIN,
    )
    assert response.status_code == 204, response.text
    paired = {i for pair in pairs_of(run(this, workshop, ADMIN)) for i in pair}
    assert paired == set(ids)


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
