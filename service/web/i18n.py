"""Interface languages: the message catalogues, and which language a request gets.

Every interface string is a key in :mod:`service.web.locales` (one dict per language;
a test checks that every key and every ``{placeholder}`` exists in each). Content is
never translated: names, needs and offers show as their authors wrote them.

Khmer is not offered: nobody on the project can check a Khmer translation, and a wrong
one would be worse than English. Khmer and Thai *content* displays in its own script
(bundled Noto Sans Khmer and Thai fonts).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request

from service.http.languages import preferred, primary
from service.values.codes import COUNTRIES, LANGUAGES
from service.web.locales import en as _en
from service.web.locales import zh as _zh

CATALOGUES: dict[str, Mapping[str, str]] = {"en": _en.MESSAGES, "zh": _zh.MESSAGES}
SUPPORTED = tuple(CATALOGUES)
DEFAULT = "en"
# What each language is called in itself, for the switcher.
ENDONYMS = {"en": "English", "zh": "中文"}
# The HTML lang attribute: Simplified Chinese, so browsers pick matching glyphs.
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
LANG_COOKIE = "tvm_lang"
LANG_PARAM = "lang"
_COUNTRY_NAMES: dict[str, Mapping[str, str]] = {"zh": _zh.COUNTRY_NAMES}
_LANGUAGE_NAMES: dict[str, Mapping[str, str]] = {"zh": _zh.LANGUAGE_NAMES}


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


class Translator:
    """Look up interface strings in one language: ``t("key", name=...)``."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._messages = CATALOGUES[language]

    def __call__(self, key: str, /, **params: object) -> str:
        """Return the message ``key``, with its ``{placeholders}`` filled in."""
        message = self._messages[key]
        return message.format(**params) if params else message

    def has(self, key: str) -> bool:
        """Whether this language's catalogue has the message ``key``."""
        return key in self._messages

    def country(self, code: str) -> str:
        """Return a country's name in this language (else English, else the code)."""
        names = _COUNTRY_NAMES.get(self.language, {})
        return names.get(code) or COUNTRIES.get(code, code)

    def language_name(self, code: str) -> str:
        """Return a language's name in this language (else English, else the code)."""
        names = _LANGUAGE_NAMES.get(self.language, {})
        return names.get(code) or LANGUAGES.get(code, code)
