"""After the workshop, in a real Chromium: a participant reports an MoU signed from its own
private link (no key), and the organiser's follow-up page shows who has answered and, on a
server without mail, says reminders cannot be sent and shows the links to copy."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import bearer
from tests.web.browser import open_page, screenshot, sign_in_page
from tests.web.conftest import Site

pytestmark = [pytest.mark.http, pytest.mark.browser]

NTTI = "National Technical Training Institute (NTTI)"
GZITTC = "Guangzhou Industry and Trade Technician College (GZITTC)"


def _id_of(site: Site, name: str) -> int:
    query = name.rsplit("(", 1)[1].rstrip(")")
    found = site.api("GET", f"/institutions?q={query}")["items"]
    (row,) = [item for item in found if item["name"] == name]
    ident: int = row["id"]
    return ident


def test_a_participant_reports_an_mou_signed_from_its_own_link(
    page: Page, chromium: Browser, site: Site
) -> None:
    workshop_id, key = site.workshop("Follow-up 2026")
    ntti, gzittc = _id_of(site, NTTI), _id_of(site, GZITTC)
    organiser = bearer(key)
    site.api(
        "PUT",
        f"/workshops/{workshop_id}/participants",
        json={"institution_ids": [ntti, gzittc]},
        headers=organiser,
    )
    site.api("POST", f"/workshops/{workshop_id}/pairings", json={"min_score": 0}, headers=organiser)
    links = site.api("GET", f"/workshops/{workshop_id}/report-links", headers=organiser)
    link = next(item["link"] for item in links if item["institution"]["id"] == ntti)

    # Not signed in: the link is enough. (Links start with TVETMATCH_PUBLIC_URL, which the
    # test server leaves at its default, so the path is opened on the server.)
    page.goto("/web" + link.split("/web", 1)[1])
    expect(page.get_by_role("heading", level=1)).to_have_text("How did your meetings go?")
    row = page.locator(f"#pair-{gzittc}")
    expect(row).to_contain_text(GZITTC)
    row.get_by_role("button", name=f"MoU signed: {GZITTC}").click()
    expect(page.get_by_role("status")).to_have_text("Thank you: your answer has been recorded.")
    expect(page.locator(f"#pair-{gzittc} .reported")).to_have_text("MoU signed")
    screenshot(page, "follow-up-own-link")
    (outcome,) = site.api("GET", f"/workshops/{workshop_id}/outcomes", headers=organiser)
    assert outcome["status"] == "mou_signed"

    for console in open_page(chromium, site.url, locale="en-GB"):
        sign_in_page(console, key)
        console.goto(f"/web/workshops/{workshop_id}/follow-up")
        expect(console.locator("#waiting-count")).to_have_text(
            "1 of 2 participants have not answered for all their pairs."
        )
        expect(console.locator("#mail-unavailable")).to_contain_text("reminders cannot be sent")
        copy = console.get_by_label(f"Private link of {GZITTC}")
        expect(copy).to_have_value(
            next(i["link"] for i in links if i["institution"]["id"] == gzittc)
        )
        screenshot(console, "follow-up-organiser")
