"""Issue 15's flow in a real Chromium: a new college registers, signs in by an emailed
link (a real SMTP server on loopback receives it), asks a suggested partner to meet;
the partner signs in and accepts; both then see each other's contact email, which
neither saw before; the college makes its private calendar address; a workshop's
pairing run keeps the accepted pair, and the organiser's run page says it came from a
mutual request. Screenshots go to test-artifacts/screenshots/meetings-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import ADMIN, bearer
from tests.support.forked import Forker
from tests.support.server import running_server, server_env
from tests.support.smtp import mail_env, smtp_server
from tests.web.browser import open_page, screenshot, sign_in_page
from tests.web.conftest import create_workshop

pytestmark = [pytest.mark.http, pytest.mark.browser]

API = "/api/v1"
COLLEGE_EMAIL = "international@battambang.example.org"
PARTNER_EMAIL = "partners@meeting-partner.example.org"
_LINK = re.compile(r"https?://\S+(/web/sign-in/link\?token=[\w-]+)")


def _sign_in_with_key(page: Page, key: str) -> None:
    page.goto("/web/sign-in")
    page.get_by_label("Key", exact=True).fill(key)
    page.get_by_role("button", name="Sign in").first.click()


def test_register_sign_in_by_email_request_accept_and_see_contacts(
    chromium: Browser, tmp_path: Path, forker: Forker
) -> None:
    with smtp_server() as inbox:
        env = server_env(data_dir=tmp_path / "data", database_url=None)
        env.update(mail_env(inbox), TVETMATCH_WEBHOOK_POLL_SECONDS="0")
        with running_server(env, tmp_path / "server.log", forker=forker) as server:
            env_url = server.url
            # 1. A new college registers on the web and is shown its key once.
            for page in open_page(chromium, env_url, locale="en-GB"):
                page.goto("/web/register")
                page.get_by_label("Name").fill("Battambang Demo Polytechnic")
                page.get_by_label("Country").select_option("KH")
                page.get_by_label("Technical fields").select_option(
                    ["New energy vehicles", "Electrical automation"]
                )
                page.get_by_label("Languages").select_option(["km", "en"])
                page.get_by_label("What we seek").fill(
                    "EV maintenance teacher training\ntraining equipment for EV labs"
                )
                page.get_by_label("What we offer").fill(
                    "Khmer language courses\ninternship hosts in Battambang"
                )
                page.get_by_label("Contact email").fill(COLLEGE_EMAIL)
                page.get_by_role("button", name="Register and get my key").click()
                expect(page.get_by_role("heading", name="Your key: keep it")).to_be_visible()
                screenshot(page, "meetings-register-key")

            # 2. Later, without the key: a sign-in link arrives by email.
            for page in open_page(chromium, env_url, locale="en-GB"):
                page.goto("/web/sign-in")
                page.get_by_label("Contact email").fill(COLLEGE_EMAIL)
                page.get_by_role("button", name="Email me a sign-in link").click()
                expect(page.get_by_text("a sign-in link is on its way")).to_be_visible()
                (message,) = inbox.wait_for(1)
                assert message["To"] == COLLEGE_EMAIL
                found = _LINK.search(message.get_content())
                assert found
                page.goto(found.group(1))
                page.get_by_role("button", name="Sign in").last.click()
                page.get_by_role("link", name="I have kept it: go to my partners").click()

                # 3. It sees suggestions with reasons and asks the first one to meet.
                expect(page.get_by_role("heading", name="My partners")).to_be_visible()
                first = page.locator("li.suggestion").first
                partner_href = first.locator("h3 a").get_attribute("href") or ""
                partner_id = int(partner_href.rsplit("/", 1)[1])
                screenshot(page, "meetings-my-partners")
                first.get_by_role("link", name="Request a meeting").click()
                page.get_by_label("Message").fill("Could we meet about EV teacher training?")
                page.get_by_role("button", name="Send the request").click()
                expect(page.get_by_text("Your meeting request was sent.")).to_be_visible()
                expect(page.get_by_text(PARTNER_EMAIL)).to_have_count(0)

            # The partner (a seeded profile) gets a contact email and a key from an admin.
            with httpx.Client(base_url=env_url, headers=ADMIN, timeout=60) as admin:
                changed = admin.patch(
                    f"{API}/institutions/{partner_id}", json={"contact_email": PARTNER_EMAIL}
                )
                assert changed.status_code == 200, changed.text
                partner_key = admin.post(f"{API}/institutions/{partner_id}/keys").json()["key"]

            # 4. The partner signs in with its key, sees the request and accepts it.
            for page in open_page(chromium, env_url, locale="en-GB"):
                _sign_in_with_key(page, partner_key)
                page.goto("/web/me")
                request = page.locator("li.meeting-request").first
                expect(request).to_contain_text("Could we meet about EV teacher training?")
                expect(page.get_by_text(COLLEGE_EMAIL)).to_have_count(0)
                screenshot(page, "meetings-received")
                request.get_by_role("button", name="Accept").click()
                expect(page.get_by_role("link", name=COLLEGE_EMAIL)).to_be_visible()
                screenshot(page, "meetings-accepted")

            # 5. The college now sees the partner's contact email.
            for page in open_page(chromium, env_url, locale="en-GB"):
                page.goto("/web/sign-in")
                page.get_by_label("Contact email").fill(COLLEGE_EMAIL)
                page.get_by_role("button", name="Email me a sign-in link").click()
                expect(page.get_by_text("a sign-in link is on its way")).to_be_visible()
                messages = inbox.wait_for(3)  # the link, the partner's notice, the acceptance
                links = [_LINK.search(m.get_content()) for m in messages]
                newest = [found for found in links if found][-1]
                page.goto(newest.group(1))
                page.get_by_role("button", name="Sign in").last.click()
                page.goto("/web/me")
                expect(page.get_by_role("link", name=PARTNER_EMAIL)).to_be_visible()
                # Its private calendar address, shown once, is one a calendar app reads.
                page.get_by_role("button", name="Make a calendar address").click()
                address = page.locator("input.calendar-url").input_value()
                screenshot(page, "meetings-calendar")
                assert "/calendar/tvcal_" in address
                feed = httpx.get(env_url + urlsplit(address).path, timeout=60)
                assert feed.status_code == 200
                assert feed.headers["content-type"].startswith("text/calendar")

            # 6. The organiser pairs a workshop of the two and other seeded participants:
            # the pair that agreed to meet is kept, and the run page says why.
            with httpx.Client(base_url=env_url, timeout=60) as api:
                received = api.get(
                    f"{API}/meeting-requests?box=received", headers=bearer(partner_key)
                )
                college_id = received.json()["items"][0]["from_institution"]["id"]
                listed = api.get(f"{API}/institutions?limit=8", headers=ADMIN).json()["items"]
                others = [i["id"] for i in listed if i["id"] not in (college_id, partner_id)]
                workshop_id, organiser_key = create_workshop(api, "Meeting flow workshop")
                ids = [college_id, partner_id, *others[:5]]
                api.put(
                    f"{API}/workshops/{workshop_id}/participants",
                    json={"institution_ids": ids},
                    headers=ADMIN,
                )
                run = api.post(f"{API}/workshops/{workshop_id}/pairings", json={}, headers=ADMIN)
                assert run.status_code == 201, run.text
            for page in open_page(chromium, env_url, locale="en-GB"):
                sign_in_page(page, organiser_key)
                page.goto(f"/web/workshops/{workshop_id}/runs/{run.json()['number']}")
                low, high = sorted((college_id, partner_id))
                pair = page.locator(f'tr.pair[data-pair="{low}-{high}"]')
                expect(pair).to_contain_text("mutual request")
                expect(pair).to_contain_text("locked")
                screenshot(page, "meetings-run-mutual")
