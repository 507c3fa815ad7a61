"""The interface languages: complete catalogues, and which language a request gets."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from starlette.requests import Request

from service.web import i18n

WEB = Path(i18n.__file__).parent
# Literal message keys: t("key") in templates and code, and the refusal pages' keys.
_LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]*[a-z0-9_])["']""")
_REFUSAL_KEY = re.compile(r"""PageRefusal\(\s*\d+,\s*["']([a-z_.]+)["']""")


def _placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def test_every_language_has_every_key() -> None:
    english = set(i18n.CATALOGUES["en"])
    for language, messages in i18n.CATALOGUES.items():
        assert set(messages) == english, f"{language}: {set(messages) ^ english}"


@pytest.mark.parametrize("language", [lang for lang in i18n.SUPPORTED if lang != "en"])
def test_every_translation_has_the_same_placeholders(language: str) -> None:
    for key, message in i18n.CATALOGUES["en"].items():
        translated = i18n.CATALOGUES[language][key]
        assert _placeholders(translated) == _placeholders(message), key
        assert translated.strip(), key


def test_every_key_the_pages_name_is_in_the_catalogue() -> None:
    sources = [*WEB.glob("templates/*.html"), *WEB.glob("*.py")]
    named = {
        key
        for source in sources
        for pattern in (_LITERAL_KEY, _REFUSAL_KEY)
        for key in pattern.findall(source.read_text())
    }
    assert len(named) > 150  # the pattern still finds the keys
    assert named - set(i18n.CATALOGUES["en"]) == set()


def test_chinese_is_written_in_chinese() -> None:
    chinese = i18n.CATALOGUES["zh"]
    han = re.compile(r"[\u4e00-\u9fff]")
    # Everything but the product name and pure placeholders has Han characters.
    untranslated = [key for key, text in chinese.items() if not han.search(text)]
    assert untranslated == ["app.name", "form.at_key"]


def _request(query: str = "", cookie: str = "", accept: str = "") -> Request:
    headers = []
    if cookie:
        headers.append((b"cookie", f"{i18n.LANG_COOKIE}={cookie}".encode()))
    if accept:
        headers.append((b"accept-language", accept.encode()))
    scope = {"type": "http", "query_string": query.encode(), "headers": headers, "path": "/"}
    return Request(scope)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", ["zh", "en"]),
        ("en-GB, zh-Hans;q=0.5", ["en", "zh"]),
        ("km-KH, th;q=0.9, zh-TW;q=0.4", ["zh"]),
        ("en;q=0.2, zh_HK;q=0.7", ["zh", "en"]),
        ("zh;q=0, en", ["en"]),
        ("", []),
        ("*;q=bad", []),
    ],
)
def test_accept_language_is_read_by_preference(header: str, expected: list[str]) -> None:
    assert i18n.accepted(header) == expected


def test_query_beats_cookie_beats_header() -> None:
    assert i18n.negotiate(_request("lang=zh", cookie="en", accept="en")) == "zh"
    assert i18n.negotiate(_request(cookie="zh", accept="en")) == "zh"
    assert i18n.negotiate(_request(accept="zh-CN")) == "zh"
    assert i18n.negotiate(_request("lang=km", cookie="xx", accept="th")) == "en"


def test_country_and_language_names_fall_back_to_english() -> None:
    chinese = i18n.Translator("zh")
    assert chinese.country("KH") == "柬埔寨"
    assert chinese.country("NO") == "Norway"
    assert chinese.language_name("km") == "高棉语"
    assert chinese.language_name("sv") == "Swedish"
    assert i18n.Translator("en").country("KH") == "Cambodia"
    assert chinese("directory.count", first=1, last=20, total=90) == "第 1–20 条，共 90 条"
