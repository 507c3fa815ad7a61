"""Invitations by email (received by a real SMTP server on loopback): the organiser invites,
the institution signs in or registers and joins, and the organiser sees who joined."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.support.smtp import Inbox
from tests.web.conftest import API, create, create_workshop, csrf_token, sign_in, text_of

EMAIL = "international@kampot.example.org"
_LINK = re.compile(r"https://match\.example\.org(/web/invitations/[\w-]+)")


def invite(web: TestClient, workshop_id: int, email: str) -> int:
    page = web.get(f"/web/workshops/{workshop_id}/invitations")
    sent = web.post(
        f"/web/workshops/{workshop_id}/invitations",
        data={"csrf_token": csrf_token(page), "email": email},
    )
    status: int = sent.status_code
    return status


def participants(web: TestClient, workshop_id: int, key: str) -> list[str]:
    url = f"{API}/workshops/{workshop_id}/participants"
    return [item["name"] for item in web.get(url, headers=bearer(key)).json()["items"]]


def test_an_invited_institution_signs_in_joins_and_the_organiser_sees_it(
    mailing: TestClient, inbox: Inbox
) -> None:
    workshop_id, organiser = create_workshop(mailing)
    college = create(mailing, name="Kampot Polytechnic", contact_email=EMAIL)
    sign_in(mailing, organiser)
    assert invite(mailing, workshop_id, EMAIL) == 200  # after the redirect
    (message,) = inbox.wait_for(1)
    assert message["To"] == EMAIL
    found = _LINK.search(message.get_content())
    assert found, message.get_content()
    link = found.group(1)
    listed = text_of(mailing.get(f"/web/workshops/{workshop_id}/invitations"))
    assert EMAIL in listed
    assert "not yet" in listed

    # Not signed in: the page sends it to sign in (and back here) or to register.
    mailing.cookies.clear()
    page = mailing.get(link)
    assert page.status_code == 200
    assert f'href="/web/sign-in?next={link}"' in page.text
    assert 'href="/web/register"' in page.text
    assert "Join this workshop" not in text_of(page)

    sign_in(mailing, college["api_key"])
    page = mailing.get(link)
    joined = mailing.post(link, data={"csrf_token": csrf_token(page)})
    assert joined.status_code == 200
    assert "Your institution is a participant of this workshop." in text_of(joined)
    assert participants(mailing, workshop_id, organiser) == ["Kampot Polytechnic"]

    mailing.cookies.clear()
    sign_in(mailing, organiser)
    listed = text_of(mailing.get(f"/web/workshops/{workshop_id}/invitations"))
    assert "joined as Kampot Polytechnic" in listed


def test_an_invitation_is_used_once_and_an_unknown_one_is_refused(
    mailing: TestClient, inbox: Inbox
) -> None:
    workshop_id, organiser = create_workshop(mailing)
    first = create(mailing, name="Kampot Polytechnic")
    second = create(mailing, name="Takeo Institute")
    sign_in(mailing, organiser)
    invite(mailing, workshop_id, EMAIL)
    (message,) = inbox.wait_for(1)
    found = _LINK.search(message.get_content())
    assert found
    link = found.group(1)
    mailing.cookies.clear()
    sign_in(mailing, first["api_key"])
    mailing.post(link, data={"csrf_token": csrf_token(mailing.get(link))})
    mailing.cookies.clear()
    sign_in(mailing, second["api_key"])
    page = mailing.get(link)
    assert "already been used" in text_of(page)
    assert mailing.post(link, data={"csrf_token": csrf_token(page)}).status_code == 409
    assert participants(mailing, workshop_id, organiser) == ["Kampot Polytechnic"]
    assert mailing.get("/web/invitations/not-a-token").status_code == 404


def test_the_chinese_page_invites_in_chinese_with_the_name_and_message_given(
    mailing: TestClient, inbox: Inbox
) -> None:
    workshop_id, organiser = create_workshop(mailing)
    sign_in(mailing, organiser)
    url = f"/web/workshops/{workshop_id}/invitations"
    page = mailing.get(f"{url}?lang=zh")
    assert "附言（选填）" in text_of(page)
    form = {"email": EMAIL, "institution_name": "贡布理工学院", "message": "欢迎焊接系参加。"}
    sent = mailing.post(url, data={"csrf_token": csrf_token(page), **form})
    assert sent.status_code == 200
    (message,) = inbox.wait_for(1)
    assert message["Subject"] == "邀请：Phnom Penh 2026"
    body = message.get_content()
    assert "尊敬的贡布理工学院：" in body
    assert "欢迎焊接系参加。" in body
    assert "You are invited" not in body
    refused = mailing.post(url, data={"csrf_token": csrf_token(page), "email": "no address"})
    assert refused.status_code == 422
    assert "请输入有效的电子邮件地址" in text_of(refused)


def test_without_mail_the_page_says_invitations_cannot_be_sent(web: TestClient) -> None:
    workshop_id, organiser = create_workshop(web)
    sign_in(web, organiser)
    page = web.get(f"/web/workshops/{workshop_id}/invitations")
    assert "Email is not set up on this server, so invitations cannot be sent." in text_of(page)
    assert invite(web, workshop_id, EMAIL) == 503
    zh = text_of(web.get(f"/web/workshops/{workshop_id}/invitations?lang=zh"))
    assert "无法发送邀请" in zh
