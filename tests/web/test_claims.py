"""Claiming a profile the seed or an import created: email check, decision, key."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient

from tests.conftest import ADMIN, ADMIN_TOKEN, bearer
from tests.support.smtp import Inbox
from tests.web.conftest import API, create, create_workshop, csrf_token, sign_in, text_of

CLAIMANT = "director@kampong-cham.example.org"
_VERIFY = re.compile(r"https://match\.example\.org(/web/claims/verify\?token=[\w-]+)")
_SIGN_IN = re.compile(r"https://match\.example\.org(/web/sign-in/link\?token=[\w-]+)")


def imported(web: TestClient, name: str) -> int:
    """A profile as an import makes it: no key issued."""
    body = [{"name": name, "country": "KH", "kind": "college"}]
    answer = web.post(f"{API}/institutions/bulk", json=body, headers=ADMIN)
    assert answer.status_code == 201, answer.text
    institution_id: int = answer.json()["ids"][0]
    return institution_id


def post_form(web: TestClient, page_url: str, url: str, **fields: str) -> httpx.Response:
    page = web.get(page_url)
    answer: httpx.Response = web.post(
        url, data={"csrf_token": csrf_token(page), **fields}, follow_redirects=False
    )
    return answer


def claim_and_verify(web: TestClient, inbox: Inbox, institution_id: int) -> None:
    page = f"/web/institutions/{institution_id}/claim"
    sent = post_form(web, page, page, claimant="Sok Dara, director", email=CLAIMANT)
    assert sent.status_code == 200, sent.text
    assert f"We sent a link to {CLAIMANT}" in text_of(sent)
    (message,) = inbox.wait_for(1)
    assert message["To"] == CLAIMANT
    found = _VERIFY.search(message.get_content())
    assert found
    token = found.group(1).split("token=", 1)[1]
    confirmed = post_form(web, found.group(1), "/web/claims/verify", token=token)
    assert confirmed.status_code == 200
    assert "your address is confirmed" in text_of(confirmed)
    again = post_form(web, found.group(1), "/web/claims/verify", token=token)
    assert again.status_code == 400


def two_workshops(web: TestClient, institution_id: int) -> tuple[str, str, str]:
    """Make the profile and a registered college participants of one workshop, and
    another workshop; return the college's key and the two workshops' organiser keys."""
    other = create(web, name="Siem Reap Demo College")
    workshop_id, organiser_key = create_workshop(web, "Phnom Penh 2026")
    _, outsider_key = create_workshop(web, "Vientiane 2026")
    put = web.put(
        f"{API}/workshops/{workshop_id}/participants",
        json={"institution_ids": [institution_id, other["id"]]},
        headers=ADMIN,
    )
    assert put.status_code == 204, put.text
    return other["api_key"], organiser_key, outsider_key


def test_a_seeded_profile_is_claimed_approved_and_its_claimant_gets_a_key(
    mailing: TestClient, inbox: Inbox
) -> None:
    institution_id = imported(mailing, "Kampong Cham Demo Polytechnic")
    page = text_of(mailing.get(f"/web/institutions/{institution_id}"))
    assert "This profile has not been claimed" in page
    claim_and_verify(mailing, inbox, institution_id)

    sign_in(mailing, ADMIN_TOKEN)
    listed = mailing.get("/web/claims")
    assert "Sok Dara, director" in text_of(listed)
    (claim_id,) = re.findall(r'/web/claims/(\d+)/approve"', listed.text)
    approved = post_form(mailing, "/web/claims", f"/web/claims/{claim_id}/approve")
    assert approved.status_code == 303
    stored = mailing.get(f"{API}/institutions/{institution_id}", headers=ADMIN).json()
    assert stored["contact_email"] == CLAIMANT

    message = inbox.wait_for(2)[1]
    assert message["To"] == CLAIMANT
    found = _SIGN_IN.search(message.get_content())
    assert found
    mailing.cookies.clear()
    token = found.group(1).split("token=", 1)[1]
    used = post_form(mailing, found.group(1), "/web/sign-in/link", token=token)
    (key,) = re.findall(r'value="(tvm_[\w-]+)"', text_of(used))
    own = mailing.get(f"{API}/institutions/{institution_id}", headers=bearer(key))
    assert own.json()["contact_email"] == CLAIMANT
    page = text_of(mailing.get(f"/web/institutions/{institution_id}"))
    assert "This profile has not been claimed" not in page
    assert mailing.get(f"/web/institutions/{institution_id}/claim").status_code == 409


def test_only_admins_and_the_workshop_organiser_decide(mailing: TestClient, inbox: Inbox) -> None:
    institution_id = imported(mailing, "Kampong Cham Demo Polytechnic")
    college_key, organiser_key, outsider_key = two_workshops(mailing, institution_id)
    claim_and_verify(mailing, inbox, institution_id)

    sign_in(mailing, college_key)  # an institution's key
    assert mailing.get("/web/claims").status_code == 403
    sign_in(mailing, outsider_key)  # an organiser of another workshop
    assert "No claim waits for your decision" in text_of(mailing.get("/web/claims"))
    refused = post_form(mailing, "/web/claims", "/web/claims/1/approve")
    assert refused.status_code == 403
    stored = mailing.get(f"{API}/institutions/{institution_id}", headers=ADMIN).json()
    assert stored["contact_email"] is None

    sign_in(mailing, organiser_key)  # the organiser of its workshop
    assert "Sok Dara, director" in text_of(mailing.get("/web/claims"))
    rejected = post_form(mailing, "/web/claims", "/web/claims/1/reject")
    assert rejected.status_code == 303
    assert (
        mailing.get(f"{API}/institutions/{institution_id}", headers=ADMIN).json()["contact_email"]
        is None
    )
    assert len(inbox.messages) == 1  # no sign-in link for a rejected claim


def test_without_smtp_a_claim_says_email_is_unavailable(web: TestClient) -> None:
    institution_id = imported(web, "Kampong Cham Demo Polytechnic")
    page = f"/web/institutions/{institution_id}/claim"
    answer = post_form(web, page, page, claimant="Sok Dara", email=CLAIMANT)
    assert answer.status_code == 422
    assert "Email sign-in is not available on this server" in text_of(answer)
