"""Invitations by email over the API (a real SMTP server on loopback): the organisers'
page's operation, in the recipient's language or the organiser's, once per
Idempotency-Key, refused to another workshop's organisers and without mail."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from service.config import Settings
from tests.conftest import ADMIN, ClientFactory, bearer
from tests.support.smtp import Inbox
from tests.web.conftest import API, create, create_workshop, sign_in

EMAIL = "international@kampot.example.org"
INVITATION = {
    "email": EMAIL,
    "institution_name": "Kampot Polytechnic",
    "message": "Your welding department would be most welcome.",
}
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _invitations(client: TestClient, workshop_id: int, key: str) -> dict[str, Any]:
    answer = client.get(f"{API}/workshops/{workshop_id}/invitations", headers=bearer(key))
    assert answer.status_code == 200, answer.text
    page: dict[str, Any] = answer.json()
    return page


def test_an_organiser_invites_in_its_language_and_lists_who_was_invited(
    mailing: TestClient, inbox: Inbox
) -> None:
    workshop_id, key = create_workshop(mailing)
    url = f"{API}/workshops/{workshop_id}/invitations"
    chinese = {**bearer(key), "Accept-Language": "zh-CN,en;q=0.5"}
    sent = mailing.post(url, json=INVITATION, headers=chinese)
    assert sent.status_code == 201, sent.text
    assert sent.json()["email"] == EMAIL
    assert sent.json()["joined"] is None
    (message,) = inbox.wait_for(1)
    assert message["To"] == EMAIL
    assert message["Subject"] == "邀请：Phnom Penh 2026"
    body = message.get_content()
    assert "尊敬的Kampot Polytechnic：" in body
    assert "组织方留言：\n\nYour welding department would be most welcome." in body
    assert re.search(r"https://match\.example\.org/web/invitations/[\w-]+", body)
    assert "You are invited" not in body
    page = _invitations(mailing, workshop_id, key)
    assert (page["total"], [item["id"] for item in page["items"]]) == (1, [sent.json()["id"]])


def test_a_known_recipient_is_written_to_in_its_own_language(
    mailing: TestClient, inbox: Inbox
) -> None:
    workshop_id, key = create_workshop(mailing)
    college = create(mailing, name="Kampot Polytechnic", contact_email=EMAIL)
    mailing.cookies.set("tvm_lang", "en")  # it uses the English pages
    assert sign_in(mailing, college["api_key"]).status_code == 303
    mailing.cookies.clear()
    url = f"{API}/workshops/{workshop_id}/invitations"
    chinese = {**bearer(key), "Accept-Language": "zh"}
    sent = mailing.post(url, json={"email": EMAIL.upper()}, headers=chinese)
    assert sent.status_code == 201, sent.text
    (message,) = inbox.wait_for(1)
    assert message["Subject"] == "Invitation: Phnom Penh 2026"
    assert not _HAN.search(message.get_content())


def test_another_workshops_organiser_is_refused_and_nothing_changes(
    mailing: TestClient, inbox: Inbox
) -> None:
    workshop_id, key = create_workshop(mailing)
    _other_id, other_key = create_workshop(mailing, name="Another workshop")
    url = f"{API}/workshops/{workshop_id}/invitations"
    refused = mailing.post(url, json=INVITATION, headers=bearer(other_key))
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert mailing.get(url, headers=bearer(other_key)).status_code == 403
    assert _invitations(mailing, workshop_id, key)["total"] == 0
    assert inbox.messages == []  # mail is sent before the answer, so none came
    # An admin may invite on any workshop.
    assert mailing.post(url, json={"email": EMAIL}, headers=ADMIN).status_code == 201


def test_a_retry_with_the_same_idempotency_key_sends_one_invitation(
    mailing: TestClient, inbox: Inbox
) -> None:
    workshop_id, key = create_workshop(mailing)
    url = f"{API}/workshops/{workshop_id}/invitations"
    headers = {**bearer(key), "Idempotency-Key": "invite-kampot-1"}
    first = mailing.post(url, json=INVITATION, headers=headers)
    again = mailing.post(url, json=INVITATION, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(inbox.wait_for(1)) == 1
    assert _invitations(mailing, workshop_id, key)["total"] == 1


def test_bad_input_and_no_mail_server_are_refused_and_nothing_is_kept(
    mailing: TestClient, make_client: ClientFactory, settings: Settings
) -> None:
    workshop_id, key = create_workshop(mailing)
    url = f"{API}/workshops/{workshop_id}/invitations"
    for body in ({"email": "not an address"}, {**INVITATION, "cc": "x@example.org"}):
        refused = mailing.post(url, json=body, headers=bearer(key))
        assert refused.status_code == 422, refused.text
    without = make_client(settings)
    workshop_id, key = create_workshop(without, name="No mail here")
    url = f"{API}/workshops/{workshop_id}/invitations"
    refused = without.post(url, json=INVITATION, headers=bearer(key))
    assert refused.status_code == 503, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "no mail server is configured" in refused.json()["detail"]
    assert _invitations(without, workshop_id, key)["total"] == 0
