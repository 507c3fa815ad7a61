"""In real Chromium: an organiser imports the survey as organisers have it (Chinese
headers, an Excel workbook) and downloads the answers as a CSV file that a spreadsheet
reader opens with its Chinese intact.

Its own server, so the other browser flows start from the seed alone.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.forked import Forker
from tests.support.server import running_server, server_env
from tests.web.browser import open_page
from tests.web.conftest import create_workshop

pytestmark = [pytest.mark.http, pytest.mark.browser]

SEED = Path(__file__).resolve().parents[2] / "seed"


@pytest.fixture(scope="module")
def url(
    chromium: Browser, tmp_path_factory: pytest.TempPathFactory, forker: Forker
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("web-survey")
    env = server_env(data_dir=folder / "data", database_url=None)
    with running_server(env, folder / "server.log", forker=forker) as server:
        yield server.url


@pytest.fixture
def page(chromium: Browser, url: str) -> Iterator[Page]:
    yield from open_page(chromium, url, locale="en-GB", accept_downloads=True)


def _organiser(page: Page, url: str, name: str) -> int:
    with httpx.Client(base_url=url, timeout=60) as client:
        workshop_id, key = create_workshop(client, name)
    page.context.clear_cookies()
    page.goto("/web/sign-in")
    page.get_by_label("Key", exact=True).fill(key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(f"/web/workshops/{workshop_id}")
    return workshop_id


def _import(page: Page, sample: str) -> None:
    page.get_by_label("Survey file").set_input_files(SEED / sample)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Survey check")).to_be_visible()
    expect(page.locator("table.rejected")).to_have_count(0)
    rows = page.locator("section[id^='plan-'] tbody tr").count()
    assert rows == 28
    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_role("status")).to_contain_text("has 28 participants")


def test_chinese_headers_and_a_workbook_import_and_answers_download(page: Page, url: str) -> None:
    _organiser(page, url, "Chinese headers")
    _import(page, "survey_sample_zh.csv")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the answers (CSV)").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(codecs.BOM_UTF8)  # what Excel and WPS need to read UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 28
    yulin = next(row for row in rows if row["name"].startswith("Yulin"))
    assert yulin["challenges"] == "语言障碍; 经费有限"

    # The same institutions from a workbook, for another workshop: now known, they
    # become participants, and nothing differs to propose.
    _organiser(page, url, "Excel workbook")
    _import(page, "survey_sample.xlsx")
    page.get_by_text("Show the survey answers").click()
    expect(page.locator("table.answers")).to_contain_text("语言障碍; 经费有限")
