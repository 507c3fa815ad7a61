"""The rest of issue 15's flow in a real Chromium, against one server that mails a real
SMTP server on loopback and allows two meeting requests per institution per day:

- a seeded profile is claimed (the address checked by the emailed link), an admin
  approves it on the claims page, the claimant signs in by the emailed link and gets the
  key, and the profile no longer says it is unclaimed;
- a partner declines a request on its page, and the requester's "my partners" no longer
  suggests it;
- past the daily cap, the request page says so in the visitor's language (the API: 429
  with Retry-After).

Screenshots go to test-artifacts/screenshots/claims-*.png and meetings-*.png.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import ADMIN, ADMIN_TOKEN, bearer
from tests.support.forked import Forker
from tests.support.server import running_server, server_env
from tests.support.smtp import Inbox, mail_env, smtp_server
from tests.web.browser import open_page, screenshot, sign_in_page

pytestmark = [pytest.mark.http, pytest.mark.browser]

API = "/api/v1"
CAP = 2
_LINK = re.compile(r"https?://\S+?(/web/[\w/-]+\?token=[\w-]+)")


@dataclass(frozen=True)
class MailingSite:
    """The running server and the inbox of its SMTP server."""

    url: str
    inbox: Inbox

    def api(self, method: str, path: str, **options: object) -> httpx.Response:
        """Call the API (as admin unless headers are given)."""
        options.setdefault("headers", ADMIN)
        return httpx.request(method, f"{self.url}{API}{path}", timeout=60, **options)  # type: ignore[arg-type]

    def seeded(self, name: str) -> int:
        """The id of the seeded institution with this exact name."""
        found = self.api("GET", "/institutions", params={"q": name, "limit": 20}).json()
        (row,) = [item for item in found["items"] if item["name"] == name]
        institution_id: int = row["id"]
        return institution_id

    def key_for(self, institution_id: int) -> str:
        """Issue a key for an institution (as an admin can)."""
        answer = self.api("POST", f"/institutions/{institution_id}/keys")
        assert answer.status_code == 201, answer.text
        key: str = answer.json()["key"]
        return key

    def link_to(self, address: str, count: int) -> str:
        """The path of the newest link in the ``count``-th email sent to ``address``."""
        deadline = time.monotonic() + 10
        while len(mails := self._to(address)) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(mails) >= count, f"{len(mails)} of {count} emails to {address} came"
        found = _LINK.search(mails[count - 1].get_content())
        assert found, mails[count - 1].get_content()
        return found.group(1)

    def _to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.inbox.messages if message["To"] == address]


@pytest.fixture(scope="module")
def mailing_site(tmp_path_factory: pytest.TempPathFactory, forker: Forker) -> Iterator[MailingSite]:
    folder = tmp_path_factory.mktemp("claims")
    with smtp_server() as inbox:
        env = server_env(data_dir=folder / "data", database_url=None)
        env.update(
            mail_env(inbox),
            TVETMATCH_WEBHOOK_POLL_SECONDS="0",
            TVETMATCH_MEETING_REQUESTS_PER_DAY=str(CAP),
        )
        with running_server(env, folder / "server.log", forker=forker) as server:
            yield MailingSite(server.url, inbox)


def _page(chromium: Browser, site: MailingSite, locale: str = "en-GB") -> Iterator[Page]:
    return open_page(chromium, site.url, locale=locale)


def test_a_seeded_profile_is_claimed_approved_and_its_claimant_signs_in(
    chromium: Browser, mailing_site: MailingSite
) -> None:
    site = mailing_site
    email = "rector@mipt.example.org"
    profile_id = site.seeded("Moscow Institute of Physics and Technology (MIPT)")
    profile = f"/web/institutions/{profile_id}"

    # 1. Someone from the institution claims it and confirms the address by the link.
    for page in _page(chromium, site):
        page.goto(profile)
        expect(page.locator("#unclaimed")).to_contain_text("This profile has not been claimed")
        page.get_by_role("link", name="Is it yours? Claim it").click()
        page.get_by_label("Your name and role").fill("Irina Petrova, vice-rector")
        page.get_by_label("Your email at the institution").fill(email)
        page.get_by_role("button", name="Send the claim").click()
        expect(page.get_by_text(f"We sent a link to {email}")).to_be_visible()
        page.goto(site.link_to(email, 1))
        page.get_by_role("button", name="Confirm my email address").click()
        expect(page.get_by_text("your address is confirmed")).to_be_visible()

    # 2. An admin approves it on the claims page.
    for page in _page(chromium, site):
        sign_in_page(page, ADMIN_TOKEN)
        page.goto("/web/claims")
        claim = page.locator("li.claim", has_text="Irina Petrova, vice-rector")
        expect(claim).to_contain_text(email)
        screenshot(page, "claims-to-decide")
        claim.get_by_role("button", name="Approve").click()
        expect(page.get_by_text("Approved: a sign-in link with a key was sent")).to_be_visible()

    # 3. The claimant signs in by the emailed link, gets the key, and the profile is claimed.
    for page in _page(chromium, site):
        page.goto(site.link_to(email, 2))
        page.get_by_role("button", name="Sign in").last.click()
        expect(page.get_by_role("heading", name="Your key: keep it")).to_be_visible()
        key = page.locator("input[value^='tvm_']").input_value()
        own = site.api("GET", f"/institutions/{profile_id}", headers=bearer(key)).json()
        assert own["contact_email"] == email
        page.goto(profile)
        expect(page.get_by_role("heading", level=1)).to_contain_text("MIPT")
        expect(page.locator("#unclaimed")).to_have_count(0)


def test_a_declined_partner_is_no_longer_suggested(
    chromium: Browser, mailing_site: MailingSite
) -> None:
    site = mailing_site
    college_id = site.seeded("Kampot Demo Polytechnic Institute")
    college_key = site.key_for(college_id)

    # 1. The college asks its first suggestion to meet.
    for page in _page(chromium, site):
        sign_in_page(page, college_key)
        page.goto("/web/me")
        first = page.locator("li.suggestion").first
        partner_href = first.locator("h3 a").get_attribute("href") or ""
        partner_id = int(partner_href.rsplit("/", 1)[1])
        first.get_by_role("link", name="Request a meeting").click()
        page.get_by_label("Message").fill("Could we meet about solar technician training?")
        page.get_by_role("button", name="Send the request").click()
        expect(page.get_by_text("Your meeting request was sent.")).to_be_visible()

    # 2. The partner declines it on its page, with a reason.
    for page in _page(chromium, site):
        sign_in_page(page, site.key_for(partner_id))
        page.goto("/web/me")
        request = page.locator("li.meeting-request", has_text="solar technician training")
        request.get_by_label("Reason (optional)").fill("No budget for travel this year")
        request.get_by_role("button", name="Decline").click()
        expect(page.get_by_text("You declined the request.")).to_be_visible()

    # 3. The college sees the refusal and the reason, and the partner is not suggested.
    for page in _page(chromium, site):
        sign_in_page(page, college_key)
        page.goto("/web/me")
        sent = page.locator("li.meeting-request", has_text="solar technician training")
        expect(sent).to_contain_text("declined")
        expect(sent).to_contain_text("Reason given: No budget for travel this year")
        expect(page.locator("li.suggestion").first).to_be_visible()
        suggested = page.locator(f'li.suggestion h3 a[href="{partner_href}"]')
        expect(suggested).to_have_count(0)
        screenshot(page, "meetings-declined", page.locator("section", has=sent))


def test_past_the_daily_cap_the_page_refuses_in_the_visitors_language(
    chromium: Browser, mailing_site: MailingSite
) -> None:
    site = mailing_site
    college_id = site.seeded("Takeo Demo Institute of Technology")
    college_key = site.key_for(college_id)
    asked = [site.seeded(name) for name in ("IBM", "AWS", "Microsoft")]
    for partner_id in asked[:CAP]:
        body = {"to_institution_id": partner_id, "message": "Shall we meet?"}
        sent = site.api("POST", "/meeting-requests", json=body, headers=bearer(college_key))
        assert sent.status_code == 201, sent.text
    over = {"to_institution_id": asked[CAP], "message": "Shall we meet?"}
    refused = site.api("POST", "/meeting-requests", json=over, headers=bearer(college_key))
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0

    # A visitor whose browser asks for Chinese reads the refusal in Chinese.
    for page in _page(chromium, site, locale="zh-CN"):
        page.goto("/web/sign-in")
        sign_in = page.locator('form[action="/web/sign-in"]')
        sign_in.locator('[name="key"]').fill(college_key)
        sign_in.locator('button[type="submit"]').click()
        expect(page.locator('form[action="/web/sign-out"]')).to_be_visible()
        page.goto(f"/web/institutions/{asked[CAP]}/request-meeting")
        form = page.locator('form[action$="/request-meeting"]')
        form.locator('[name="message"]').fill("我们可以在研讨会上见面吗？")
        form.locator('button[type="submit"]').click()
        expect(page.get_by_text(f"贵机构今天已发送{CAP}个会面申请，已达每日上限")).to_be_visible()
        screenshot(page, "meetings-cap-zh")
    box = site.api("GET", "/meeting-requests?box=sent", headers=bearer(college_key)).json()
    assert box["total"] == CAP
