"""Khmer and Thai headings and bold text render with the bundled fonts, not as boxes.

The browser here sees only the DejaVu fonts of the system (its own fontconfig file), as
on a machine without any Khmer or Thai font: whatever Khmer and Thai glyphs appear come
from the fonts the pages bundle. A heading drawn as boxes (.notdef glyphs, one per
character) is exactly as wide as the same text in a font without those scripts; drawn in
its own font, Khmer and Thai clusters stack and the width differs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.web.browser import CHROMIUM, open_page, screenshot
from tests.web.conftest import Site

pytestmark = [pytest.mark.http, pytest.mark.browser]

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
NAMES = {
    "km": "វិទ្យាស្ថានបច្ចេកទេសខេត្តសៀមរាប (សាកល្បង)",
    "th": "วิทยาลัยเทคนิคเชียงใหม่ (ทดลอง)",
}
FAMILIES = {"km": "Noto Sans Khmer", "th": "Noto Sans Thai"}

# The width of the element's text in its own font, and in a font that has no glyph for
# these scripts (DejaVu Sans: boxes), at the same size and weight.
WIDTHS = """element => {
    const measure = family => {
        const probe = document.createElement("span");
        probe.textContent = element.textContent;
        probe.style.font = getComputedStyle(element).font;
        if (family) probe.style.fontFamily = family;
        probe.style.whiteSpace = "nowrap";
        document.body.appendChild(probe);
        const width = probe.getBoundingClientRect().width;
        probe.remove();
        return width;
    };
    return [measure(null), measure('"DejaVu Sans"'), getComputedStyle(element).fontWeight];
}"""


@pytest.fixture(scope="module")
def fontless(chromium: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """A Chromium whose only system fonts are DejaVu (no Khmer, no Thai)."""
    if not DEJAVU.is_dir():
        pytest.skip(f"{DEJAVU} is missing (Debian's fonts-dejavu-core)")
    folder = tmp_path_factory.mktemp("fontconfig")
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
        f"<dir>{DEJAVU}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>\n"
    )
    env: dict[str, str | float | bool] = {"FONTCONFIG_FILE": str(config), "HOME": str(folder)}
    browser = chromium.browser_type.launch(executable_path=str(CHROMIUM), env=env)
    try:
        yield browser
    finally:
        browser.close()


@pytest.mark.parametrize("script", ["km", "th"])
def test_bold_headings_in_khmer_and_thai_are_not_boxes(
    fontless: Browser, site: Site, script: str
) -> None:
    row = site.api(
        "POST",
        "/institutions",
        json={"name": NAMES[script], "country": "KH", "kind": "college"},
        headers={},
    )
    for page in open_page(fontless, site.url):
        page.goto(f"/web/institutions/{row['id']}")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text(NAMES[script])
        page.evaluate("document.fonts.ready")
        faces = page.evaluate(
            "[...document.fonts].filter(face => face.status === 'loaded')"
            ".map(face => [face.family.replace(/[\"']/g, ''), face.weight])"
        )
        # The bold face itself, not the regular one made bold by the browser.
        assert [FAMILIES[script], "700"] in faces
        own, boxes, weight = heading.evaluate(WIDTHS)
        assert weight == "700"
        assert abs(own - boxes) > 0.15 * boxes, (own, boxes)
        screenshot(page, f"heading-{script}")
