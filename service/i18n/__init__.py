"""Interface languages: the message catalogues and the translator that reads them.

Every interface string (pages, refusals said on pages, emails) is a key in
:mod:`service.i18n.locales` (one dict per language; a test checks that every key and every
``{placeholder}`` exists in each). Content is never translated: names, needs and offers
show as their authors wrote them. This package knows nothing of HTTP, so the domains that
write emails use it without importing the web pages; which language a request gets is
decided in :mod:`service.web.i18n`.

Khmer is not offered: nobody on the project can check a Khmer translation, and a wrong
one would be worse than English. Khmer and Thai *content* displays in its own script
(bundled Noto Sans Khmer and Thai fonts).
"""

from __future__ import annotations

from collections.abc import Mapping

from service.i18n.locales import en as _en
from service.i18n.locales import zh as _zh
from service.values.codes import COUNTRIES, LANGUAGES

CATALOGUES: dict[str, Mapping[str, str]] = {"en": _en.MESSAGES, "zh": _zh.MESSAGES}
SUPPORTED = tuple(CATALOGUES)
DEFAULT = "en"
_COUNTRY_NAMES: dict[str, Mapping[str, str]] = {"zh": _zh.COUNTRY_NAMES}
_LANGUAGE_NAMES: dict[str, Mapping[str, str]] = {"zh": _zh.LANGUAGE_NAMES}


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
