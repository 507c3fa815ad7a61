"""Which interface language a request gets: the query string, the cookie, then the header.

The catalogues and the translator live in :mod:`service.i18n` (no HTTP there); they are
re-exported here for the pages.
"""

from __future__ import annotations

from starlette.requests import Request

from service.http.languages import preferred, primary
from service.i18n import CATALOGUES, DEFAULT, SUPPORTED, Translator

# What each language is called in itself, for the switcher.
ENDONYMS = {"en": "English", "zh": "中文"}
# The HTML lang attribute: Simplified Chinese, so browsers pick matching glyphs.
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
LANG_COOKIE = "tvm_lang"
LANG_PARAM = "lang"


def _supported(tag: str) -> str | None:
    """Return the supported language a tag such as ``zh-CN`` or ``en`` names, if any."""
    language = primary(tag)
    return language if language in CATALOGUES else None


def accepted(header: str) -> list[str]:
    """Return the supported languages of an ``Accept-Language`` header, preferred first."""
    return preferred(header, CATALOGUES)


def requested(request: Request) -> str | None:
    """Return the language asked for in the query string (``?lang=zh``), if supported."""
    return _supported(request.query_params.get(LANG_PARAM, ""))


def negotiate(request: Request) -> str:
    """Return the request's language: the query string, then the cookie, then the header."""
    chosen = requested(request) or _supported(request.cookies.get(LANG_COOKIE, ""))
    if chosen:
        return chosen
    return next(iter(accepted(request.headers.get("accept-language", ""))), DEFAULT)


__all__ = [
    "CATALOGUES",
    "DEFAULT",
    "ENDONYMS",
    "HTML_LANG",
    "LANG_COOKIE",
    "LANG_PARAM",
    "SUPPORTED",
    "Translator",
    "accepted",
    "negotiate",
    "requested",
]
