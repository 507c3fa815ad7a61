"""Claims over the API: ask (the address checked by the emailed link), list, approve or
reject, with the same rules and emails as the pages; mail read at a loopback SMTP server."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from service.config import Settings
from tests.conftest import ADMIN, ClientFactory, bearer
from tests.support.smtp import Inbox
from tests.web.conftest import create
from tests.web.test_claims import CLAIMANT, imported, post_form, two_workshops

URL = "/api/v1/claims"
_VERIFY = re.compile(r"https://match\.example\.org(/web/claims/verify\?token=([\w-]+))")
_SIGN_IN = re.compile(r"https://match\.example\.org/web/sign-in/link\?token=[\w-]+")


def claim(mailing: TestClient, inbox: Inbox, institution_id: int) -> int:
    """Claim over the API and confirm the address by the emailed link; return the claim id."""
    body = {"institution_id": institution_id, "email": CLAIMANT, "claimant": "Sok Dara"}
    before = len(inbox.messages)
    answer = mailing.post(URL, json=body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "unverified"
    message = inbox.wait_for(before + 1)[-1]
    assert message["To"] == CLAIMANT
    found = _VERIFY.search(message.get_content())
    assert found
    confirmed = post_form(mailing, found.group(1), "/web/claims/verify", token=found.group(2))
    assert confirmed.status_code == 200
    claim_id: int = answer.json()["id"]
    return claim_id


def status_of(mailing: TestClient, claim_id: int) -> str:
    listed = mailing.get(URL, headers=ADMIN).json()["items"]
    (row,) = [item for item in listed if item["id"] == claim_id]
    status: str = row["status"]
    return status


def test_an_admin_approves_a_claim_and_the_claimant_is_emailed_its_key(
    mailing: TestClient, inbox: Inbox
) -> None:
    institution_id = imported(mailing, "Kampong Cham Demo Polytechnic")
    asked = {"institution_id": institution_id, "email": CLAIMANT}
    retried = {"Idempotency-Key": "claim-once"}
    first = mailing.post(URL, json=asked, headers=retried)
    assert mailing.post(URL, json=asked, headers=retried).json() == first.json()
    assert len(inbox.wait_for(1)) == 1  # a retry sends no second check
    claim_id = claim(mailing, inbox, institution_id)
    pending = mailing.get(URL, params={"status": "pending"}, headers=ADMIN).json()
    assert [item["id"] for item in pending["items"]] == [claim_id]
    assert pending["items"][0]["claimant"] == "Sok Dara"
    # The first claim's email was never confirmed: it is listed to no one.
    assert mailing.get(URL, headers=ADMIN).json()["total"] == 1
    unverified = mailing.get(URL, params={"status": "unverified"}, headers=ADMIN)
    assert unverified.status_code == 422

    retry = {**ADMIN, "Idempotency-Key": "approve-claim-once"}
    approved = mailing.post(f"{URL}/{claim_id}/approve", headers=retry)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    again = mailing.post(f"{URL}/{claim_id}/approve", headers=retry)
    assert again.json() == approved.json()
    assert again.headers["Idempotent-Replayed"] == "true"

    link = inbox.wait_for(3)[2]
    assert link["To"] == CLAIMANT
    assert _SIGN_IN.search(link.get_content())
    stored = mailing.get(f"/api/v1/institutions/{institution_id}", headers=ADMIN).json()
    assert stored["contact_email"] == CLAIMANT
    assert mailing.post(f"{URL}/{claim_id}/reject", headers=ADMIN).status_code == 409
    assert len(inbox.messages) == 3  # the replay and the refusal sent nothing
    assert mailing.get(URL, params={"status": "pending"}, headers=ADMIN).json()["total"] == 0


def test_only_admins_and_the_workshops_organiser_decide(mailing: TestClient, inbox: Inbox) -> None:
    institution_id = imported(mailing, "Kampong Cham Demo Polytechnic")
    college_key, organiser_key, outsider_key = two_workshops(mailing, institution_id)
    claim_id = claim(mailing, inbox, institution_id)

    for key in (college_key, outsider_key):
        for decision in ("approve", "reject"):
            refused = mailing.post(f"{URL}/{claim_id}/{decision}", headers=bearer(key))
            assert refused.status_code == 403, refused.text
    assert mailing.get(URL, headers=bearer(college_key)).status_code == 403
    assert mailing.get(URL, headers=bearer(outsider_key)).json()["items"] == []
    assert mailing.post(f"{URL}/{claim_id}/approve").status_code == 401
    assert status_of(mailing, claim_id) == "pending"
    stored = mailing.get(f"/api/v1/institutions/{institution_id}", headers=ADMIN).json()
    assert stored["contact_email"] is None

    mine = mailing.get(URL, params={"status": "pending"}, headers=bearer(organiser_key)).json()
    assert [item["id"] for item in mine["items"]] == [claim_id]
    rejected = mailing.post(f"{URL}/{claim_id}/reject", headers=bearer(organiser_key))
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    assert len(inbox.messages) == 1  # no sign-in link for a rejected claim


def test_claims_are_refused_with_the_reason(mailing: TestClient, inbox: Inbox) -> None:
    college = create(mailing, name="Siem Reap Demo College")  # registered: it has a key
    body = {"institution_id": college["id"], "email": CLAIMANT}
    assert mailing.post(URL, json=body).status_code == 409
    assert mailing.post(URL, json={**body, "institution_id": 999}).status_code == 404
    invalid = mailing.post(URL, json={**body, "email": "not-an-email"})
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["loc"][-1] == "email"
    assert mailing.post(f"{URL}/999/approve", headers=ADMIN).status_code == 404
    assert inbox.messages == []


def test_without_mail_a_claim_cannot_be_made(
    make_client: ClientFactory, settings: Settings
) -> None:
    mailing = make_client(settings.model_copy(update={"rate_limit": "", "rate_limit_writes": ""}))
    institution_id = imported(mailing, "Kampong Cham Demo Polytechnic")
    answer = mailing.post(URL, json={"institution_id": institution_id, "email": CLAIMANT})
    assert answer.status_code == 503
    assert "no mail server" in answer.json()["detail"]
    assert mailing.get(URL, headers=ADMIN).json()["total"] == 0


def test_a_claim_asked_in_chinese_is_confirmed_and_approved_in_chinese(
    mailing: TestClient, inbox: Inbox
) -> None:
    institution_id = imported(mailing, "Kampong Cham Demo Polytechnic")
    body = {"institution_id": institution_id, "email": CLAIMANT, "claimant": "Sok Dara"}
    answer = mailing.post(URL, json=body, headers={"Accept-Language": "zh-CN"})
    assert answer.status_code == 201, answer.text
    (check,) = inbox.wait_for(1)
    assert check["Subject"] == "确认您在tvet-match上对Kampong Cham Demo Polytechnic的认领"
    found = _VERIFY.search(check.get_content())
    assert found
    post_form(mailing, found.group(1), "/web/claims/verify", token=found.group(2))
    # An English-speaking admin approves: the claimant still reads Chinese.
    approved = mailing.post(f"{URL}/{answer.json()['id']}/approve", headers=ADMIN)
    assert approved.status_code == 200, approved.text
    link = inbox.wait_for(2)[1]
    assert link["Subject"] == "登录tvet-match（Kampong Cham Demo Polytechnic）"
    assert "认领" in link.get_content()
