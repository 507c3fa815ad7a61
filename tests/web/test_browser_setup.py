"""An admin and an organiser set a workshop up in a real Chromium: the admin creates it and
reads its organisers' key once; the organiser adds participants found by name as they
type, locks a pair chosen by name, and runs the pairing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import ADMIN_TOKEN
from tests.web.browser import open_page, screenshot, sign_in_page
from tests.web.conftest import Site

pytestmark = [pytest.mark.http, pytest.mark.browser]

# Found by typing part of the name: Cambodian, Chinese and Chinese-written institutions.
PARTICIPANTS = {
    "NPIC": "National Polytechnic Institute of Cambodia (NPIC)",
    "NTTI": "National Technical Training Institute (NTTI)",
    "Tianjin Sino": "Tianjin Sino-German University of Applied Sciences",
    "GZITTC": "Guangzhou Industry and Trade Technician College (GZITTC)",
}


def _add(page: Page, typed: str, name: str) -> None:
    page.get_by_label("Find an institution to add").fill(typed)  # htmx lists matches
    button = re.compile(rf"^Add ?: {re.escape(name)}$")
    add = page.locator("#found").get_by_role("button", name=button)
    expect(add).to_be_visible()
    add.click()
    expect(page.get_by_role("status")).to_have_text("The participant has been added.")


def test_admin_creates_a_workshop_and_its_organiser_pairs_by_name(
    page: Page, chromium: Browser, site: Site
) -> None:
    sign_in_page(page, ADMIN_TOKEN)
    page.goto("/web/workshops")
    page.get_by_role("link", name="New workshop").click()
    page.get_by_label("Name").fill("Nanning 2026")
    page.get_by_label("First day").fill("2026-11-03")
    page.get_by_label("Last day").fill("2026-11-04")
    page.get_by_label("Venue").fill("Nanning")
    page.get_by_label("Time zone").fill("Asia/Shanghai")
    page.get_by_role("button", name="Create the workshop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workshop created")
    key = page.locator("#organiser-key").inner_text().strip()
    assert key
    screenshot(page, "setup-workshop-created")

    for organiser in open_page(chromium, site.url, locale="en-GB"):
        sign_in_page(organiser, key)
        organiser.goto("/web/workshops")
        organiser.get_by_role("link", name="Open the console").click()
        expect(organiser.get_by_role("heading", level=1)).to_have_text("Nanning 2026")
        for typed, name in PARTICIPANTS.items():
            _add(organiser, typed, name)
        expect(organiser.get_by_role("heading", name="Participants (4)")).to_be_visible()
        screenshot(organiser, "setup-participants")

        always = organiser.get_by_role("group", name="Always pair")
        always.get_by_label("Add a pair: first institution").select_option(
            label=f"{PARTICIPANTS['NTTI']} (KH)"
        )
        always.get_by_label("second institution").select_option(
            label=f"{PARTICIPANTS['GZITTC']} (CN)"
        )
        organiser.get_by_role("button", name="Run the pairing").click()
        expect(organiser).to_have_url(re.compile(r"/runs/1$"))
        locked = organiser.locator("tr.pair", has_text=PARTICIPANTS["NTTI"])
        expect(locked).to_contain_text(PARTICIPANTS["GZITTC"])
        expect(locked.locator(".badge")).to_have_text("locked")
        screenshot(organiser, "setup-run")
        # The rules form starts from the run's rules, in names.
        organiser.get_by_role("link", name="Console").click()
        entry = f"{PARTICIPANTS['NTTI']} × {PARTICIPANTS['GZITTC']}"
        expect(organiser.get_by_label(entry)).to_be_checked()
