"""Issue 15 item 6 in a real Chromium: NPIC publishes an offer on the pages, another
institution finds it by searching and expresses interest, and NPIC sees who is
interested, with a button to ask it to meet. The owner's view is saved as
test-artifacts/screenshots/opportunity-interested.png; docs/opportunities.md shows a copy
(docs/screenshots/), refreshed by hand, so a test run leaves the checkout unchanged.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.web.browser import open_page, screenshot, sign_in_page
from tests.web.conftest import Site

pytestmark = [pytest.mark.http, pytest.mark.browser]

TITLE = "Solar installer teacher training at NPIC"
NOTE = "We could send three teachers in August."


def test_publish_express_interest_and_the_owner_sees_it(chromium: Browser, site: Site) -> None:
    other = site.api("GET", f"/institutions/{site.other_id}")
    other_key = site.api("POST", f"/institutions/{site.other_id}/keys")["key"]

    # 1. NPIC publishes an offer from the opportunities page.
    for page in open_page(chromium, site.url, locale="en-GB"):
        sign_in_page(page, site.npic_key)
        page.get_by_role("link", name="Opportunities").click()
        page.get_by_role("link", name="Publish an opportunity").click()
        page.get_by_label("Program type").select_option("teacher_training")
        page.get_by_label("Title").fill(TITLE)
        page.get_by_label("Text", exact=True).fill(
            "A two-week course for teachers of solar PV installation. Lodging included."
        )
        page.get_by_label("Technical fields").fill("renewable energy\nelectrical installation")
        page.get_by_label("Places").fill("6")
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(page.get_by_text("The opportunity is published.")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        opportunity_url = page.url.split("?", 1)[0]

    # 2. Another institution finds it by searching and expresses interest.
    for page in open_page(chromium, site.url, locale="en-GB"):
        sign_in_page(page, other_key)
        page.goto("/web/opportunities")
        page.get_by_label("Search", exact=True).fill("solar")
        page.get_by_role("button", name="Search").click()
        page.get_by_role("link", name=TITLE).click()
        expect(page).to_have_url(re.compile(r"/web/opportunities/\d+$"))
        page.get_by_label("Note for the publisher (optional)").fill(NOTE)
        page.get_by_role("button", name="Express interest").click()
        expect(page.get_by_text("Your interest was sent to the publisher.")).to_be_visible()
        expect(page.get_by_role("button", name="Withdraw my interest")).to_be_visible()

    # 3. NPIC sees who is interested and can ask it to meet.
    for page in open_page(chromium, site.url, locale="en-GB"):
        sign_in_page(page, site.npic_key)
        page.goto(opportunity_url)
        entry = page.locator("li.interested")
        expect(entry).to_have_count(1)
        expect(entry).to_contain_text(other["name"])
        expect(entry).to_contain_text(NOTE)
        screenshot(page, "opportunity-interested")
        entry.get_by_role("link", name="Request a meeting").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(other["name"])
