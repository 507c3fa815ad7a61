"""Signing in by an emailed one-time link, received by a real SMTP server on loopback."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session

from service.auth.models import SignInLink
from service.values.times import utc_now
from tests.conftest import bearer
from tests.support.smtp import Inbox
from tests.web.conftest import create, csrf_token, text_of

EMAIL = "international@kampot.example.org"
_LINK = re.compile(r"https://match\.example\.org(/web/sign-in/link\?token=[\w-]+)")


def ask_for_link(web: TestClient, email: str) -> str:
    page = web.get("/web/sign-in")
    answer = web.post("/web/sign-in/email", data={"csrf_token": csrf_token(page), "email": email})
    assert answer.status_code == 200, answer.text
    return text_of(answer)


def use_link(web: TestClient, path: str) -> tuple[int, str]:
    confirm = web.get(path)
    assert confirm.status_code == 200
    token = path.split("token=", 1)[1]
    used = web.post("/web/sign-in/link", data={"csrf_token": csrf_token(confirm), "token": token})
    return used.status_code, text_of(used)


def test_a_link_emailed_to_the_contact_signs_in_once_and_gives_a_key(
    mailing: TestClient, inbox: Inbox
) -> None:
    college = create(mailing, name="Kampot Polytechnic", contact_email=EMAIL)
    assert "a sign-in link is on its way" in ask_for_link(mailing, EMAIL.upper())
    (message,) = inbox.wait_for(1)
    assert message["To"] == EMAIL.upper()
    assert "Kampot Polytechnic" in message["Subject"]
    body = message.get_content()
    found = _LINK.search(body)
    assert found, body

    status, page = use_link(mailing, found.group(1))
    assert status == 200, page
    (key,) = re.findall(r'value="(tvm_[\w-]+)"', page)
    assert "shown only this once" in page
    # The browser is now signed in as the college, and the key works for the API too.
    me = mailing.get("/web/me")
    assert me.status_code == 200
    assert "Kampot Polytechnic" in text_of(me)
    own = mailing.get(f"/api/v1/institutions/{college['id']}", headers=bearer(key))
    assert own.json()["contact_email"] == EMAIL

    mailing.cookies.clear()
    again, refused = use_link(mailing, found.group(1))
    assert again == 400
    assert "used already or has expired" in refused
    assert mailing.get("/web/me").status_code == 401


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    mailing: TestClient, inbox: Inbox
) -> None:
    create(mailing, name="Kampot Polytechnic", contact_email=EMAIL)
    assert "a sign-in link is on its way" in ask_for_link(mailing, "someone@else.example.org")
    assert inbox.messages == []


def test_an_expired_link_does_not_sign_in(mailing: TestClient, inbox: Inbox) -> None:
    create(mailing, name="Kampot Polytechnic", contact_email=EMAIL)
    ask_for_link(mailing, EMAIL)
    (message,) = inbox.wait_for(1)
    found = _LINK.search(message.get_content())
    assert found
    with Session(mailing.app.state.engine) as session:  # type: ignore[attr-defined]
        session.execute(update(SignInLink).values(expires_at=utc_now() - timedelta(seconds=1)))
        session.commit()
    status, page = use_link(mailing, found.group(1))
    assert status == 400
    assert mailing.get("/web/me").status_code == 401
    assert "tvm_" not in page


def test_without_smtp_the_page_says_email_sign_in_is_unavailable(web: TestClient) -> None:
    page = web.get("/web/sign-in")
    assert "Email sign-in is not available on this server" in text_of(page)
    assert 'action="/web/sign-in/email"' not in page.text
    refused = web.post("/web/sign-in/email", data={"csrf_token": csrf_token(page), "email": EMAIL})
    assert refused.status_code == 503
    assert "Email sign-in is not available on this server" in text_of(refused)
