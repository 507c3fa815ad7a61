"""After the workshop, in pages: a participant's private report link and "my partners",
the organiser's follow-up page with reminders (real SMTP on loopback) or links to copy."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from tests.conftest import ClientFactory
from tests.service.workshops.test_participant_reports import Workshop, run_workshop
from tests.support.smtp import mail_settings, smtp_server
from tests.web.conftest import csrf_token, sign_in, text_of


def links(web: TestClient, held: Workshop) -> dict[str, str]:
    listed = web.get(f"{held.url}/report-links", headers=held.organiser).json()
    return {item["institution"]["name"]: item["link"].split("/web", 1)[1] for item in listed}


def outcomes(web: TestClient, held: Workshop) -> list[Any]:
    listed: list[Any] = web.get(f"{held.url}/outcomes", headers=held.organiser).json()
    return listed


def report(web: TestClient, path: str, partner: int, status: str) -> Any:
    page = web.get(path)
    data = {"csrf_token": csrf_token(page), "partner": str(partner), "status": status}
    return web.post(path, data=data, follow_redirects=False)


@pytest.fixture
def held(web: TestClient) -> Workshop:
    return run_workshop(web)


def test_a_participant_reports_an_mou_from_its_own_link_without_a_key(
    web: TestClient, held: Workshop
) -> None:
    path = "/web" + links(web, held)["KH CNC"]
    page = web.get(path)
    assert page.status_code == 200
    assert "KH CNC" in text_of(page)
    assert 'id="pair-{}"'.format(held.ids["CN CNC"]) in page.text
    assert "KH welding" not in text_of(page)

    answer = report(web, path, held.ids["CN CNC"], "mou_signed")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{path}?reported=1"
    (outcome,) = outcomes(web, held)
    assert (outcome["status"], outcome["run"]) == ("mou_signed", 1)
    shown = text_of(web.get(answer.headers["location"]))
    assert "your answer has been recorded" in shown


def test_another_participants_link_cannot_report_on_a_pair_not_its_own(
    web: TestClient, held: Workshop
) -> None:
    path = "/web" + links(web, held)["CN welding"]
    answer = report(web, path, held.ids["CN CNC"], "declined")
    assert answer.status_code == 422
    assert "not one of your pairs" in text_of(answer)
    assert outcomes(web, held) == []
    unknown = web.get("/web/report/not-a-real-token")
    assert unknown.status_code == 404
    assert "not valid" in text_of(unknown)


def test_my_partners_shows_the_same_report_for_the_signed_in_participant(
    web: TestClient, held: Workshop
) -> None:
    key = held.keys["CN welding"]["Authorization"].removeprefix("Bearer ")
    sign_in(web, key)
    me = web.get("/web/me")
    assert "Report on your workshop pairs" in text_of(me)
    assert "KH welding" in text_of(me)
    form = re.search(r'action="(/web/me/workshops/\d+/outcomes)"', me.text)
    assert form
    data = {"csrf_token": csrf_token(me), "partner": str(held.ids["KH welding"]), "status": "met"}
    answer = web.post(form.group(1), data=data, follow_redirects=False)
    assert answer.status_code == 303
    (outcome,) = outcomes(web, held)
    assert outcome["status"] == "met"
    # Naming a pair of someone else from "my partners" is refused too.
    data["partner"] = str(held.ids["KH CNC"])
    assert web.post(form.group(1), data=data).status_code == 422
    assert len(outcomes(web, held)) == 1


def test_without_mail_the_follow_up_page_says_so_and_shows_the_links(
    web: TestClient, held: Workshop
) -> None:
    sign_in(web, held.organiser["Authorization"].removeprefix("Bearer "))
    workshop_id = held.url.rsplit("/", 1)[1]
    page = web.get(f"/web/workshops/{workshop_id}/follow-up")
    assert page.status_code == 200
    shown = text_of(page)
    assert "Email is not set up on this server, so reminders cannot be sent" in shown
    assert "4 of 4 participants have not answered" in shown
    for path in links(web, held).values():
        assert f"/web{path}" in shown
    refused = web.post(
        f"/web/workshops/{workshop_id}/reminders", data={"csrf_token": csrf_token(page)}
    )
    assert refused.status_code == 503


def test_the_organiser_sends_reminders_from_the_follow_up_page(
    make_client: ClientFactory, settings: Settings
) -> None:
    with smtp_server() as inbox:
        mail = {"rate_limit": "", "rate_limit_writes": "", **mail_settings(inbox)}
        web = make_client(settings.model_copy(update=mail))
        held = run_workshop(web)
        report(web, "/web" + links(web, held)["CN CNC"], held.ids["KH CNC"], "met")
        sign_in(web, held.organiser["Authorization"].removeprefix("Bearer "))
        workshop_id = held.url.rsplit("/", 1)[1]
        page = web.get(f"/web/workshops/{workshop_id}/follow-up")
        assert "3 of 4 participants have not answered" in text_of(page)
        sent = web.post(
            f"/web/workshops/{workshop_id}/reminders", data={"csrf_token": csrf_token(page)}
        )
        assert sent.status_code == 200
        assert "Reminders sent: 3." in text_of(sent)
        messages = inbox.wait_for(3)
    (kh_cnc,) = [m for m in messages if m["To"] == "kh.cnc@example.org"]
    found = re.search(r"https://match\.example\.org(/web/report/[\w-]+)", kh_cnc.get_content())
    assert found
    # The emailed link opens KH CNC's own pairs.
    assert "KH CNC" in text_of(web.get(found.group(1)))


def test_the_zh_report_page_reads_in_chinese(web: TestClient, held: Workshop) -> None:
    path = "/web" + links(web, held)["KH CNC"]
    shown = text_of(web.get(f"{path}?lang=zh"))
    assert "您的会面情况如何" in shown
    assert "已签署" in shown
