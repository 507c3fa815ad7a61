"""Reading a pairing's results in a real Chromium: the run page ordered by score with the
reasons folded, the timetable of eight tables at a laptop's and a phone's width and on A4,
the network graph's labels, layout and filters, and the report's country colours."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.browser import LAPTOP, PHONE, open_page, screenshot, sign_in_page
from tests.web.conftest import Site

pytestmark = [pytest.mark.http, pytest.mark.browser]

SURVEY = Path(__file__).resolve().parents[2] / "seed" / "survey_sample.csv"
# A4 landscape, 297 mm less two 10 mm margins, in CSS pixels (96 a inch).
A4_LANDSCAPE_PX = round((297 - 20) / 25.4 * 96)


@pytest.fixture(scope="module")
def results(site: Site) -> dict[str, Any]:
    """A workshop with the sample survey, one run and its timetable on eight tables."""
    workshop_id, key = site.workshop("Results workshop")
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
    base = f"/web/workshops/{workshop_id}"
    return {"key": key, "run": run, "base": base, "run_url": f"{base}/runs/{run['number']}"}


def test_run_page_orders_pairs_by_score_and_folds_the_reasons(
    page: Page, results: dict[str, Any]
) -> None:
    sign_in_page(page, results["key"])
    page.goto(results["run_url"])
    rows = page.locator("tr.pair")
    expect(rows).to_have_count(len(results["run"]["pairs"]))
    scores = [float(v) for v in rows.locator("meter").evaluate_all("m => m.map(e => e.value)")]
    assert scores == sorted(scores, reverse=True)
    first = rows.first
    reasons = first.locator("ul.reasons li").first
    expect(reasons).to_be_hidden()
    first.locator("details.why summary").click()
    expect(reasons).to_be_visible()
    # The optimality figure in words: proved best, or at least a share of the bound.
    run = results["run"]
    optimality = page.locator("#optimality")
    expect(optimality).to_contain_text(f"{run['total']:.2f}")
    proved = run["gap"] <= 0
    expect(optimality).to_contain_text(
        "it is proved the best possible" if proved else "% of the best possible"
    )
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"run page: {len(scores)} pairs, {height} px high at 1280 px")
    screenshot(page, "results-run")


def _timetable(page: Page) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(
        """() => {
            const wrap = document.querySelector('.timetable-wrap');
            const time = document.querySelector('.timetable th[scope=row]');
            return {scroll: wrap.scrollWidth, client: wrap.clientWidth,
                    page: document.documentElement.scrollWidth,
                    tables: document.querySelectorAll('.timetable thead th').length - 1,
                    sticky: getComputedStyle(time).position};
        }"""
    )
    return found


def test_timetable_of_eight_tables_fits_a_laptop_scrolls_on_a_phone_and_prints(
    chromium: Browser, site: Site, results: dict[str, Any]
) -> None:
    url = f"{results['run_url']}/schedule"
    for page in open_page(chromium, site.url, viewport=LAPTOP):
        sign_in_page(page, results["key"])
        page.goto(url)
        laptop = _timetable(page)
        assert laptop["tables"] == 8
        assert laptop["scroll"] <= laptop["client"], laptop  # all eight tables in view
        expect(page.locator("#timetable-cue")).to_be_hidden()
        screenshot(page, "results-timetable-1280")
        page.emulate_media(media="print")
        page.set_viewport_size({"width": A4_LANDSCAPE_PX, "height": 700})
        printed = _timetable(page)
        assert printed["scroll"] <= printed["client"], printed
        assert printed["page"] <= A4_LANDSCAPE_PX, printed
        expect(page.locator("header.site")).to_be_hidden()
        pdf = page.pdf(format="A4", landscape=True)
        assert pdf.startswith(b"%PDF")
    for page in open_page(chromium, site.url, viewport=PHONE, is_mobile=True, has_touch=True):
        sign_in_page(page, results["key"])
        page.goto(url)
        phone = _timetable(page)
        assert phone["page"] <= PHONE["width"], phone  # the page itself does not scroll
        assert phone["scroll"] > phone["client"], phone  # the grid does, inside its box
        assert phone["sticky"] == "sticky"  # with the times kept in view
        expect(page.locator("#timetable-cue")).to_be_visible()
        expect(page.locator("#timetable-cue")).to_contain_text("8 tables")
        screenshot(page, "results-timetable-375")


def test_network_labels_are_readable_the_layout_fills_and_filters_work(
    page: Page, results: dict[str, Any]
) -> None:
    sign_in_page(page, results["key"])
    page.goto(f"{results['base']}/network")
    graph = page.locator("#network[data-ready='true']")
    expect(graph).to_be_attached()
    assert float(graph.get_attribute("data-label-px") or 0) >= 12
    assert float(graph.get_attribute("data-fill") or 0) >= 0.75
    nodes = int(graph.get_attribute("data-nodes") or 0)
    screenshot(page, "results-network")
    cambodia = page.get_by_label("Cambodia (8)")
    cambodia.uncheck()
    expect(graph).to_have_attribute("data-shown-nodes", str(nodes - 8))
    assert float(graph.get_attribute("data-fill") or 0) >= 0.75
    page.get_by_label("suggested by the run", exact=False).uncheck()
    expect(graph).to_have_attribute("data-shown-edges", "0")
    # The report colours each country as the graph does, and names it.
    legend = page.locator("#country-filter li").evaluate_all(
        "items => items.map(li => [li.textContent.trim().replace(/ \\(\\d+\\)$/, ''),"
        " li.querySelector('circle').getAttribute('fill')])"
    )
    page.goto(f"{results['base']}/report")
    bars = page.locator("#countries-table tr").evaluate_all(
        "rows => rows.map(tr => [tr.querySelector('th').textContent.trim(),"
        " tr.querySelector('rect.bar-fill').getAttribute('fill')])"
    )
    assert sorted(bars) == sorted(legend)
