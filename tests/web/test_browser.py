"""The web pages in a real Chromium, against a real server holding the demo seed.

The flows the issue names: find a partner for NPIC and read why; edit one's own profile
and be refused another's; the organiser's whole flow from the survey CSV to the
downloaded timetable; the interface in Chinese; a phone's width. Screenshots of the main
pages go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.browser import PHONE, open_page, screenshot, sign_in_page
from tests.web.conftest import Site

pytestmark = [pytest.mark.http, pytest.mark.browser]

SURVEY = Path(__file__).resolve().parents[2] / "seed" / "survey_sample.csv"
API = "/api/v1"


def test_find_a_partner_for_npic_and_read_why(page: Page, site: Site) -> None:
    page.goto("/web/")
    expect(page.locator("p.count")).to_have_text(re.compile(r"^Showing 1–20 of \d+$"))
    search = page.get_by_label("Search", exact=True)
    too_long = "x" * 301
    refusal = httpx.get(f"{site.url}{API}/institutions", params={"q": too_long})
    search.fill(too_long)  # refused as the API refuses it, and shown in place
    expect(page.locator("#results [role=alert]")).to_contain_text(
        refusal.json()["errors"][0]["msg"]
    )
    search.fill("NPIC")  # htmx searches as one types
    expect(page.locator("p.count")).to_have_text(re.compile(r"^Showing 1–\d of \d$"))
    expect(page).to_have_url(re.compile(r"/web/\?q=NPIC"))
    screenshot(page, "directory-search")
    page.get_by_role("link", name=site.npic["name"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(site.npic["name"])
    expected = site.api("GET", f"/institutions/{site.npic['id']}/matches?limit=10")["items"]
    suggestions = page.locator("li.suggestion")
    expect(suggestions).to_have_count(len(expected))
    best = suggestions.first
    expect(best.get_by_role("heading", level=3)).to_have_text(expected[0]["institution"]["name"])
    expect(best.locator("ul.reasons li")).to_have_text(expected[0]["reasons"])
    expect(best.get_by_role("meter").first).to_have_attribute(
        "value", f"{expected[0]['score']:.4f}"
    )
    assert "meets your need" in " ".join(expected[0]["reasons"])
    screenshot(page, "institution-npic")
    page.get_by_label("Partners from").select_option("anywhere")  # htmx refreshes the list
    expect(page).to_have_url(re.compile(r"partners_from=anywhere"))


def test_edit_own_profile_and_be_refused_anothers(page: Page, site: Site) -> None:
    sign_in_page(page, site.npic_key)
    expect(page).to_have_url(re.compile(rf"/web/institutions/{site.npic['id']}/edit$"))
    website = page.get_by_label("Website", exact=True)
    website.fill("ftp://npic.example")
    page.get_by_role("button", name="Save profile").click()
    expected = httpx.patch(
        f"{site.url}{API}/institutions/{site.npic['id']}",
        json={"website": "ftp://npic.example"},
        headers={"Authorization": f"Bearer {site.npic_key}"},
    ).json()["errors"][0]["msg"]
    expect(page.locator("#website-errors")).to_have_text(expected)
    expect(website).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
    screenshot(page, "profile-edit-refused-field")
    website.fill("https://npic.example")
    needs = page.get_by_label("What we seek")
    needs.fill(needs.input_value() + "\nEV battery maintenance teacher training")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_have_text("Your profile has been saved.")
    new_need = "EV battery maintenance teacher training"
    expect(page.locator("dl.facts").get_by_text(new_need, exact=True)).to_be_visible()
    # The next suggestions already read it: a reason quotes the new need.
    expect(page.locator("ul.reasons li", has_text=f"your need “{new_need}”").first).to_be_visible()
    stored = site.api("GET", f"/institutions/{site.npic['id']}")
    assert stored["website"] == "https://npic.example"
    before = site.api("GET", f"/institutions/{site.other_id}")
    answer = page.goto(f"/web/institutions/{site.other_id}/edit")
    assert answer is not None
    assert answer.status == 403
    expect(page.get_by_role("alert")).to_contain_text(
        "This key may change only its own institution's profile."
    )
    screenshot(page, "profile-of-another-refused")
    assert site.api("GET", f"/institutions/{site.other_id}") == before


def test_organiser_goes_from_the_survey_to_a_downloaded_timetable(page: Page, site: Site) -> None:
    sign_in_page(page, site.organiser_key)
    page.get_by_role("link", name="Open the console").click()
    page.get_by_label("Survey file").set_input_files(SURVEY)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="New institutions")).to_be_visible()
    created = page.locator("section[aria-labelledby='to_create-title'] tbody tr").count()
    assert created > 20
    screenshot(page, "organiser-import-check")
    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_role("status")).to_contain_text(f"has {created} participants")

    page.get_by_label("Only pair China with ASEAN countries").check()
    page.get_by_role("button", name="Run the pairing").click()
    expect(page).to_have_url(re.compile(r"/runs/1$"))
    pairs = page.locator("tr.pair")
    assert pairs.count() >= 3
    pairs.first.locator("details.why summary").click()  # the reasons fold out on demand
    expect(pairs.first.locator("ul.reasons li").first).to_be_visible()
    screenshot(page, "organiser-run")
    first = pairs.first.get_attribute("data-pair")
    pairs.first.get_by_role("button", name=re.compile("^Lock ")).click()
    expect(page).to_have_url(re.compile(r"/runs/2$"))
    locked = page.locator(f"tr.pair[data-pair='{first}']")
    expect(locked.locator(".badge")).to_have_text("locked")

    page.get_by_label("First meeting starts").fill("2026-05-13T14:00")
    page.get_by_label("Tables", exact=True).fill("6")
    page.get_by_role("button", name="Make the timetable").click()
    expect(page.get_by_role("table")).to_be_visible()
    meetings = page.locator("td.meeting").count()
    assert meetings == pairs.count() or meetings >= 3
    expect(page.locator("tbody th").first).to_have_text("14:00–14:20")
    screenshot(page, "organiser-timetable")

    with page.expect_download() as table_download:
        page.get_by_role("link", name="Download timetable (CSV)").click()
    table = Path(table_download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(table)))
    assert rows[0][:4] == ["slot", "table", "starts_at", "ends_at"]
    assert len(rows) - 1 == meetings
    assert rows[1][2] == "2026-05-13T14:00:00+07:00"
    with page.expect_download() as calendar_download:
        page.get_by_role("link", name="Download calendar (.ics)").click()
    assert calendar_download.value.suggested_filename.endswith(".ics")
    calendar = Path(calendar_download.value.path()).read_text()
    assert calendar.count("BEGIN:VEVENT") == meetings
    assert "DTSTART:20260513T070000Z" in calendar  # 14:00 in Phnom Penh

    page.get_by_role("link", name="Back to the run").click()
    page.get_by_label("What happened").select_option("mou_signed")
    page.get_by_label("Date").fill("2026-05-13")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status")).to_have_text("The outcome has been recorded.")
    page.get_by_role("link", name="Report").click()
    signed = page.locator("#results-table tr", has_text="MoUs signed")
    expect(signed.locator(".bar-value")).to_have_text("1")
    expect(signed.locator("rect.bar-fill")).to_be_visible()
    screenshot(page, "organiser-report")

    page.get_by_role("link", name="Network").click()
    graph = page.locator("#network[data-ready='true']")
    expect(graph).to_have_attribute("data-nodes", str(created))
    assert int(graph.get_attribute("data-edges") or 0) >= pairs.count()
    screenshot(page, "organiser-network")
    page.get_by_label("Highlight a participant").select_option(index=1)
    expect(page.locator("#network-detail")).not_to_be_empty()


def test_the_interface_in_chinese(page: Page, site: Site, chromium: Browser) -> None:
    page.goto("/web/")
    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("寻找合作伙伴")
    page.get_by_label("国家").select_option("KH")  # htmx filters at once
    expect(page).to_have_url(re.compile(r"country=KH"))
    expect(page.locator(".card .meta").first).to_contain_text("柬埔寨 · ")
    screenshot(page, "directory-zh")
    page.get_by_role("link", name=site.npic["name"]).click()
    expect(page.get_by_role("heading", name="推荐的合作伙伴")).to_be_visible()
    expect(page.get_by_text("推荐理由").first).to_be_visible()
    screenshot(page, "institution-npic-zh")
    # A browser that prefers Chinese gets it without choosing.
    for chinese in open_page(chromium, site.url, locale="zh-CN"):
        chinese.goto("/web/sign-in")
        expect(chinese.get_by_role("heading", level=1)).to_have_text("登录")
        expect(chinese.get_by_label("密钥")).to_be_visible()


def test_khmer_and_thai_display_in_their_own_fonts(page: Page, site: Site) -> None:
    row = site.api(
        "POST",
        "/institutions",
        json={
            "name": "វិទ្យាស្ថានបច្ចេកវិទ្យាកម្ពុជា (សាកល្បង)",
            "country": "KH",
            "kind": "college",
            "needs": ["ការបណ្តុះបណ្តាលគ្រូ", "ครูฝึกด้านหุ่นยนต์อุตสาหกรรม"],
            "offers": ["ភាសាខ្មែរ", "数控技术培训"],
        },
        headers={},
    )
    page.goto(f"/web/institutions/{row['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(row["name"])
    loaded = page.evaluate(
        "document.fonts.ready.then(() => [...document.fonts]"
        ".filter(face => face.status === 'loaded').map(face => face.family))"
    )
    assert {"Noto Sans Khmer", "Noto Sans Thai"} <= {name.strip("\"'") for name in loaded}
    screenshot(page, "institution-khmer-thai")


def test_the_pages_fit_a_phone(chromium: Browser, site: Site) -> None:
    workshop_id, key = site.workshop("Phone-width workshop")
    organiser = {"Authorization": f"Bearer {key}"}
    site.api(
        "POST",
        f"/workshops/{workshop_id}/imports",
        content=SURVEY.read_bytes(),
        headers={**organiser, "content-type": "text/csv"},
    )
    run = site.api("POST", f"/workshops/{workshop_id}/pairings", json={}, headers=organiser)
    site.api(
        "POST",
        f"/workshops/{workshop_id}/pairings/{run['number']}/schedule",
        json={"starts_at": "2026-05-13T09:00:00", "tables": 8},
        headers=organiser,
    )
    pages = {
        "phone-directory": "/web/",
        "phone-institution": f"/web/institutions/{site.npic['id']}",
        "phone-console": f"/web/workshops/{workshop_id}",
        "phone-run": f"/web/workshops/{workshop_id}/runs/{run['number']}",
        "phone-timetable": f"/web/workshops/{workshop_id}/runs/{run['number']}/schedule",
        "phone-report": f"/web/workshops/{workshop_id}/report",
    }
    for page in open_page(chromium, site.url, viewport=PHONE, is_mobile=True, has_touch=True):
        sign_in_page(page, key)
        for name, url in pages.items():
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{url} is {width}px wide"
            screenshot(page, name)


def _contrast(page: Page, selector: str) -> float:
    """The WCAG contrast ratio of an element's text against the page background."""
    ratio: float = page.evaluate(
        """selector => {
            const rgb = text => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
            const lum = ([r, g, b]) => {
                const c = [r, g, b].map(v => v / 255)
                    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
                return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
            };
            const element = document.querySelector(selector);
            let back = element, background = "rgba(0, 0, 0, 0)";
            while (back && /rgba\\(.*, 0\\)/.test(background)) {
                background = getComputedStyle(back).backgroundColor;
                back = back.parentElement;
            }
            if (/rgba\\(.*, 0\\)/.test(background)) background = "rgb(255, 255, 255)";
            const [a, b] = [lum(rgb(getComputedStyle(element).color)), lum(rgb(background))];
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }""",
        selector,
    )
    return ratio


def test_labels_keyboard_focus_and_contrast(page: Page, site: Site) -> None:
    sign_in_page(page, site.organiser_key)
    for url in (
        "/web/",
        f"/web/institutions/{site.npic['id']}",
        f"/web/workshops/{site.workshop_id}",
        "/web/sign-in",
    ):
        page.goto(url)
        unlabelled = page.evaluate(
            """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                .filter(field => field.labels.length === 0 && !field.getAttribute('aria-label'))
                .map(field => field.name || field.id)"""
        )
        assert unlabelled == [], url
    page.goto("/web/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert skip.bounding_box() is not None  # shown when focused
    page.keyboard.press("Enter")
    search = page.get_by_label("Search", exact=True)
    for _ in range(10):
        page.keyboard.press("Tab")
        if search.evaluate("field => field === document.activeElement"):
            break
    expect(search).to_be_focused()
    outline = search.evaluate(
        "field => [getComputedStyle(field).outlineStyle, getComputedStyle(field).outlineWidth]"
    )
    assert outline[0] != "none"
    assert float(outline[1].removesuffix("px")) >= 2
    for selector in ("h1", ".lede", "a.brand", "label", ".card .meta", "button[type=submit]"):
        assert _contrast(page, selector) >= 4.5, selector
