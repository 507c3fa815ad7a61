"""``/docs`` in a real Chromium: Swagger UI from this site alone, under the CSP."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.support.forked import Forker
from tests.support.server import Server, running_server, server_env
from tests.web.browser import open_page

pytestmark = [pytest.mark.http, pytest.mark.browser]


@pytest.fixture(scope="module")
def server(
    chromium: Browser, tmp_path_factory: pytest.TempPathFactory, forker: Forker
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("docs")
    env = server_env(data_dir=folder / "data", database_url=None)
    env["TVETMATCH_SEED_ON_EMPTY"] = "false"
    with running_server(env, folder / "server.log", forker=forker) as running:
        yield running


def test_docs_render_the_operations_without_leaving_the_site(
    chromium: Browser, server: Server
) -> None:
    elsewhere: list[str] = []

    def offline(route: Route) -> None:  # as on a machine without internet access
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    pages = open_page(chromium, server.url)
    page: Page = next(pages)
    page.route("**/*", offline)
    answer = page.goto("/docs")
    assert answer is not None
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    expect(page.get_by_text("/api/v1/institutions/{institution_id}").first).to_be_visible(
        timeout=30_000
    )
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() > 40
    assert elsewhere == []
    # Resuming the generator closes the page and fails on a script error or CSP violation.
    assert next(pages, None) is None


def test_the_docs_page_has_no_inline_script(server: Server) -> None:
    page = httpx.get(f"{server.url}/docs").text
    assert "<script>" not in page
    assert "cdn" not in page.lower()
