"""A real Chromium for the browser tests: Debian's ``chromium``, driven by Playwright.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium``. Without it
the browser tests are skipped with the reason printed, except in CI (``CI=true``), where
``python3 dev.py test`` installs it first (``.ci/install-chromium.sh``) and its absence
fails the run. Each test gets a fresh browser context (no cookies) and fails if the page
reported a script error or a Content-Security-Policy violation.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Error,
    Locator,
    Page,
    expect,
    sync_playwright,
)

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1280, "height": 900}


def launch() -> Iterator[Browser]:
    """Yield Debian's Chromium under Playwright (or skip, or fail in CI, without it)."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (install Debian's chromium: .ci/install-chromium.sh)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser tests need Chromium in CI: {reason}")
        print(f"browser tests skipped: {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield browser
        finally:
            browser.close()


class Problems:
    """Script errors and policy violations a page reported."""

    def __init__(self, page: Page) -> None:
        self.found: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", self._error)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.found.append(message.text)  # e.g. "Refused to ... Content Security Policy"

    def _error(self, error: Error) -> None:
        self.found.append(f"script error: {error.message}")


def open_page(browser: Browser, base_url: str, **options: object) -> Iterator[Page]:
    """Yield a page in a fresh context; fail the test if the page reported problems."""
    settings: dict[str, Any] = {"viewport": LAPTOP, **options}
    context = browser.new_context(base_url=base_url, **settings)
    page = context.new_page()
    problems = Problems(page)
    try:
        yield page
    finally:
        context.close()
    assert problems.found == [], problems.found


def screenshot(page: Page, name: str, part: Locator | None = None) -> Path:
    """Save a full-page screenshot (or of ``part`` only, where the page is long) to
    test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Written aside, then renamed into place: with the suite on several workers no one
    # (a reader, or a test that reused a name) ever sees half a file.
    partial = path.with_name(f".{name}.{os.getpid()}.png")
    if part is not None:
        part.screenshot(path=str(partial))
    else:
        page.screenshot(path=str(partial), full_page=True)
    partial.replace(path)
    return path


def sign_in_page(page: Page, key: str) -> None:
    """Sign in through the sign-in page with ``key``."""
    page.goto("/web/sign-in")
    page.get_by_label("Key", exact=True).fill(key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
