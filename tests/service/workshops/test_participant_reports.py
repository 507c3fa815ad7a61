"""After the workshop, through the API: participants report on their own pairs with their
keys, organisers see who has answered and send reminders (a real SMTP server on loopback)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from tests.conftest import ADMIN, ClientFactory, bearer
from tests.support.smtp import mail_settings, smtp_server
from tests.web.conftest import sign_in

API = "/api/v1"
WORKSHOP = {
    "name": "Nanning follow-up 2026",
    "starts_on": "2026-05-12",
    "ends_on": "2026-05-13",
    "time_zone": "Asia/Shanghai",
}


@dataclass(frozen=True)
class Workshop:
    """A workshop run once: two CN–KH pairs (CNC, welding) and one outsider's key."""

    url: str
    organiser: dict[str, str]
    keys: dict[str, dict[str, str]]  # by name: CN CNC, KH CNC, CN welding, KH welding
    ids: dict[str, int]
    outsider: dict[str, str]


def _institution(client: TestClient, name: str, needs: str, offers: str) -> dict[str, Any]:
    country = name.split()[0]
    body = {
        "name": name,
        "country": country,
        "kind": "college",
        "needs": [needs],
        "offers": [offers],
        "contact_email": f"{name.replace(' ', '.').lower()}@example.org",
    }
    answer = client.post(f"{API}/institutions", json=body)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def run_workshop(client: TestClient) -> Workshop:
    """Create the workshop, its four participants, and one pairing run."""
    workshop_id = client.post(f"{API}/workshops", json=WORKSHOP, headers=ADMIN).json()["id"]
    key = {"label": "organisers", "role": "organiser", "workshops": [workshop_id]}
    organiser = bearer(client.post(f"{API}/keys", json=key, headers=ADMIN).json()["key"])
    made = {}
    for topic in ("CNC", "welding"):
        made[f"CN {topic}"] = _institution(
            client, f"CN {topic}", "overseas internships", f"{topic} teacher training"
        )
        made[f"KH {topic}"] = _institution(
            client, f"KH {topic}", f"{topic} teacher training", "overseas internships"
        )
    outsider = _institution(client, "TH outsider", "CNC teacher training", "internships")
    url = f"{API}/workshops/{workshop_id}"
    ids = {name: row["id"] for name, row in made.items()}
    put = client.put(
        f"{url}/participants", json={"institution_ids": list(ids.values())}, headers=organiser
    )
    assert put.status_code == 204, put.text
    run = client.post(f"{url}/pairings", json={"cross_border_only": True}, headers=organiser)
    assert run.status_code == 201, run.text
    pairs = {(p["a"]["id"], p["b"]["id"]) for p in run.json()["pairs"]}
    assert pairs == {
        tuple(sorted((ids["CN CNC"], ids["KH CNC"]))),
        tuple(sorted((ids["CN welding"], ids["KH welding"]))),
    }
    keys = {name: bearer(row["api_key"]) for name, row in made.items()}
    return Workshop(url, organiser, keys, ids, bearer(outsider["api_key"]))


@pytest.fixture
def held(client: TestClient) -> Workshop:
    return run_workshop(client)


def outcomes(client: TestClient, held: Workshop) -> list[Any]:
    listed: list[Any] = client.get(f"{held.url}/outcomes", headers=held.organiser).json()
    return listed


def test_a_participant_reports_on_its_own_pair_and_it_becomes_the_outcome(
    client: TestClient, held: Workshop
) -> None:
    mine = client.get(f"{held.url}/my-pairs", headers=held.keys["CN CNC"]).json()
    assert [pair["partner"]["name"] for pair in mine["pairs"]] == ["KH CNC"]
    assert mine["pairs"][0]["reported"] is None

    body = {"partner": held.ids["KH CNC"], "status": "mou_signed"}
    answer = client.post(f"{held.url}/my-outcomes", json=body, headers=held.keys["CN CNC"])
    assert answer.status_code == 201, answer.text
    assert answer.json()["pairs"][0]["reported"] == "mou_signed"
    (outcome,) = outcomes(client, held)
    assert outcome["status"] == "mou_signed"
    assert outcome["run"] == 1
    # The partner sees what the other side said.
    theirs = client.get(f"{held.url}/my-pairs", headers=held.keys["KH CNC"]).json()
    assert theirs["pairs"][0]["partner_reported"] == "mou_signed"


def test_when_both_sides_differ_the_lesser_word_is_the_outcome(
    client: TestClient, held: Workshop
) -> None:
    signed = {"partner": held.ids["KH CNC"], "status": "mou_signed"}
    client.post(f"{held.url}/my-outcomes", json=signed, headers=held.keys["CN CNC"])
    met = {"partner": held.ids["CN CNC"], "status": "met"}
    client.post(f"{held.url}/my-outcomes", json=met, headers=held.keys["KH CNC"])
    (outcome,) = outcomes(client, held)
    assert outcome["status"] == "met"
    assert "CN CNC reported mou_signed" in outcome["note"]
    assert "KH CNC reported met" in outcome["note"]
    # Once both say it was signed, it counts as signed, in the report too.
    signed_too = {"partner": held.ids["CN CNC"], "status": "mou_signed"}
    client.post(f"{held.url}/my-outcomes", json=signed_too, headers=held.keys["KH CNC"])
    report = client.get(f"{held.url}/report", headers=held.organiser).json()
    assert report["mous_signed"] == 1


def test_nobody_reports_on_a_pair_that_is_not_its_own(client: TestClient, held: Workshop) -> None:
    # Another participant's key, naming a pair it is not in: refused, nothing written.
    body = {"partner": held.ids["KH CNC"], "status": "declined"}
    answer = client.post(f"{held.url}/my-outcomes", json=body, headers=held.keys["CN welding"])
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["body", "partner"]
    # A key of an institution that is not a participant: 403; without a key: 401.
    outsider = client.post(f"{held.url}/my-outcomes", json=body, headers=held.outsider)
    assert outsider.status_code == 403
    assert client.get(f"{held.url}/my-pairs", headers=held.outsider).status_code == 403
    assert client.post(f"{held.url}/my-outcomes", json=body).status_code == 401
    # The organiser's key is no participant's either.
    organiser = client.post(f"{held.url}/my-outcomes", json=body, headers=held.organiser)
    assert organiser.status_code == 403
    assert outcomes(client, held) == []
    links = client.get(f"{held.url}/report-links", headers=held.organiser).json()
    assert [item["answered"] for item in links] == [0, 0, 0, 0]


def test_organisers_see_who_has_answered_and_participants_cannot(
    client: TestClient, held: Workshop
) -> None:
    body = {"partner": held.ids["KH welding"], "status": "met"}
    client.post(f"{held.url}/my-outcomes", json=body, headers=held.keys["CN welding"])
    links = client.get(f"{held.url}/report-links", headers=held.organiser).json()
    by_name = {item["institution"]["name"]: item for item in links}
    assert set(by_name) == {"CN CNC", "KH CNC", "CN welding", "KH welding"}
    assert by_name["CN welding"]["done"] is True
    assert by_name["KH welding"]["done"] is False
    assert all(re.fullmatch(r"http://localhost:8000/web/report/[\w-]+", i["link"]) for i in links)
    assert len({item["link"] for item in links}) == 4
    # The links stay the same from one listing to the next.
    again = client.get(f"{held.url}/report-links", headers=held.organiser).json()
    assert [item["link"] for item in again] == [item["link"] for item in links]
    answer = client.get(f"{held.url}/report-links", headers=held.keys["CN CNC"])
    assert answer.status_code == 403


def test_reminders_need_mail_and_go_to_those_who_have_not_answered(
    make_client: ClientFactory, settings: Settings
) -> None:
    without = make_client(settings)
    held = run_workshop(without)
    assert without.post(f"{held.url}/reminders", headers=held.organiser).status_code == 503

    with smtp_server() as inbox:
        mailing = make_client(settings.model_copy(update=mail_settings(inbox)))
        body = {"partner": held.ids["KH CNC"], "status": "met"}
        mailing.post(f"{held.url}/my-outcomes", json=body, headers=held.keys["CN CNC"])
        answer = mailing.post(f"{held.url}/reminders", headers=held.organiser)
        assert answer.status_code == 200, answer.text
        reminded = {item["name"] for item in answer.json()["reminded"]}
        assert reminded == {"KH CNC", "CN welding", "KH welding"}
        messages = inbox.wait_for(3)
    assert {m["To"] for m in messages} == {
        "kh.cnc@example.org",
        "cn.welding@example.org",
        "kh.welding@example.org",
    }
    links = mailing.get(f"{held.url}/report-links", headers=held.organiser).json()
    link_of = {item["institution"]["name"]: item["link"] for item in links}
    (kh_cnc,) = [m for m in messages if m["To"] == "kh.cnc@example.org"]
    assert link_of["KH CNC"] in kh_cnc.get_content()
    assert link_of["KH CNC"].startswith("https://match.example.org/web/report/")
    assert all(item["reminded_at"] for item in links if item["institution"]["name"] != "CN CNC")


def test_a_reminder_is_written_in_the_participants_language_else_the_organisers(
    make_client: ClientFactory, settings: Settings
) -> None:
    with smtp_server() as inbox:
        mailing = make_client(settings.model_copy(update=mail_settings(inbox)))
        held = run_workshop(mailing)
        # CN welding uses the Chinese pages, KH welding the English ones; KH CNC and CN CNC
        # never signed in, so they get the organiser's language: here Chinese.
        for name, language in (("CN welding", "zh"), ("KH welding", "en")):
            mailing.cookies.set("tvm_lang", language)
            key = held.keys[name]["Authorization"].removeprefix("Bearer ")
            assert sign_in(mailing, key).status_code == 303
            mailing.cookies.clear()
        organiser_in_chinese = {**held.organiser, "Accept-Language": "zh-CN"}
        answer = mailing.post(f"{held.url}/reminders", headers=organiser_in_chinese)
        assert answer.status_code == 200, answer.text
        messages = {m["To"]: m for m in inbox.wait_for(4)}
    chinese = messages["cn.welding@example.org"]
    assert chinese["Subject"] == "Nanning follow-up 2026：会谈进展如何？"
    assert "尊敬的CN welding：" in chinese.get_content()
    assert "Dear" not in chinese.get_content()
    english = messages["kh.welding@example.org"].get_content()
    assert "Dear KH welding," in english
    assert not re.search(r"[\u4e00-\u9fff]", english)
    assert "贵机构的专用链接" in messages["kh.cnc@example.org"].get_content()
