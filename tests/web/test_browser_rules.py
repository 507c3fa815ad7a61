"""The pairing rules in a real Chromium: the China–ASEAN rule pairs the sample's
Timor-Leste participant; a named country group is chosen from a list; and on the Chinese
console a rule's refusal reads in Chinese with no English sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import bearer
from tests.web.browser import SCREENSHOTS, sign_in_page
from tests.web.conftest import Site

pytestmark = [pytest.mark.http, pytest.mark.browser]

SAMPLE = Path(__file__).resolve().parents[2] / "seed" / "survey_sample.csv"
TIMOR_LESTE = "Baucau Demo Vocational Centre"
KAMPONG_SPEU = "Kampong Speu Demo Technical Institute"
KAMPONG_THOM = "Kampong Thom Demo Polytechnic"


def _workshop_with_the_sample(site: Site, name: str) -> tuple[int, str]:
    workshop_id, key = site.workshop(name)
    site.api(
        "POST",
        f"/workshops/{workshop_id}/imports",
        content=SAMPLE.read_bytes(),
        headers={**bearer(key), "content-type": "text/csv"},
    )
    return workshop_id, key


def test_the_china_asean_rule_pairs_the_timor_leste_participant(page: Page, site: Site) -> None:
    workshop_id, key = _workshop_with_the_sample(site, "China-ASEAN with Timor-Leste")
    sign_in_page(page, key)
    page.goto(f"/web/workshops/{workshop_id}")
    # Seven Chinese and twenty-one ASEAN participants: three each, at least one for all.
    page.locator("#f-max_partners").fill("3")
    page.locator("#f-min_partners").fill("1")
    page.get_by_label("Only pair China with ASEAN countries").check()
    page.get_by_role("button", name="Run the pairing").click()
    expect(page).to_have_url(re.compile(r"/runs/1$"))
    with_timor_leste = page.locator("tr.pair", has_text=TIMOR_LESTE)
    expect(with_timor_leste.first).to_be_visible()
    assert with_timor_leste.count() >= 1


def test_a_named_group_is_chosen_from_the_list(page: Page, site: Site) -> None:
    workshop_id, key = _workshop_with_the_sample(site, "Named group")
    sign_in_page(page, key)
    page.goto(f"/web/workshops/{workshop_id}")
    page.locator("#f-cross_border_only").check()
    page.get_by_label("Add a named country group").select_option("ASEAN")
    page.get_by_label("Allowed pairs of groups").fill("CN, ASEAN")
    page.get_by_role("button", name="Run the pairing").click()
    expect(page).to_have_url(re.compile(r"/runs/1$"))
    run = site.api("GET", f"/workshops/{workshop_id}/pairings/1", headers=bearer(key))
    assert run["rules"]["country_groups"]["TL"] == "ASEAN"
    assert all("CN" in (p["a"]["country"], p["b"]["country"]) for p in run["pairs"])


def test_a_refusal_on_the_chinese_console_reads_in_chinese(page: Page, site: Site) -> None:
    workshop_id, key = _workshop_with_the_sample(site, "Refusals in Chinese")
    sign_in_page(page, key)
    page.goto(f"/web/workshops/{workshop_id}?lang=zh")
    page.locator("#f-cross_border_only").check()
    page.locator("#f-locked_a").select_option(label=f"{KAMPONG_SPEU} (KH)")
    page.locator("#f-locked_b").select_option(label=f"{KAMPONG_THOM} (KH)")
    page.locator("form.rules-form button[type=submit]").click()
    said = page.locator("#locked-errors")
    expect(said).to_contain_text("违反规则")
    text = said.inner_text()
    # The pair is named; once the names are taken out, no English sentence is left.
    assert KAMPONG_SPEU in text
    assert KAMPONG_THOM in text
    rest = text.replace(KAMPONG_SPEU, "").replace(KAMPONG_THOM, "")
    assert not re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", rest), text
    # The fieldset with the refusal, not the whole (long) console.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("fieldset", has=said).screenshot(path=str(SCREENSHOTS / "console-refusal-zh.png"))


def test_a_request_not_kept_and_an_import_refusal_read_in_chinese(page: Page, site: Site) -> None:
    workshop_id, key = _workshop_with_the_sample(site, "Requests not kept, in Chinese")
    first = site.api("POST", f"/workshops/{workshop_id}/pairings", json={}, headers=bearer(key))
    pair = first["pairs"][0]
    a, b = pair["a"], pair["b"]
    listed = site.api("GET", f"/workshops/{workshop_id}/participants?limit=100")["items"]
    c = next(row for row in listed if row["id"] not in (a["id"], b["id"]))
    # a and c agree to meet; the organiser then locks a with b, which takes a's one place.
    keys = {row["id"]: site.api("POST", f"/institutions/{row['id']}/keys")["key"] for row in (a, c)}
    asked = site.api(
        "POST",
        "/meeting-requests",
        json={"to_institution_id": a["id"], "message": "Shall we meet?"},
        headers=bearer(keys[c["id"]]),
    )
    site.api(
        "POST", f"/meeting-requests/{asked['id']}/accept", json={}, headers=bearer(keys[a["id"]])
    )
    sign_in_page(page, key)
    page.goto(f"/web/workshops/{workshop_id}?lang=zh")
    page.locator("#f-locked_a").select_option(label=f"{a['name']} ({a['country']})")
    page.locator("#f-locked_b").select_option(label=f"{b['name']} ({b['country']})")
    page.locator("form.rules-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/runs/2$"))
    said = page.locator("ul.requests-not-kept li")
    expect(said).to_have_count(1)
    text = said.inner_text()
    assert a["name"] in text
    assert c["name"] in text
    rest = text.replace(a["name"], "").replace(c["name"], "")
    assert re.search(r"[\u4e00-\u9fff]", rest), text
    assert not re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", rest), text

    page.goto(f"/web/workshops/{workshop_id}?lang=zh")
    page.locator("input[type=file][name=survey]").set_input_files(
        SAMPLE.parent / "survey_malformed.csv"
    )
    page.locator("input[type=file][name=survey]").locator("xpath=ancestor::form").locator(
        "button[type=submit]"
    ).click()
    reasons = page.locator("table.rejected tbody tr td:last-child")
    expect(reasons.first).to_be_visible()
    for reason in reasons.all_inner_texts():
        assert re.search(r"[\u4e00-\u9fff]", reason), reason
        assert "is not" not in reason or reason.startswith("此值不被接受"), reason
