"""Annotated field types: each checks one thing and says why it refused."""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from functools import cache
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from service.codes import COUNTRIES, LANGUAGES

MAX_PHRASES = 50
MAX_PHRASE_LENGTH = 300
MAX_DESCRIPTION_LENGTH = 5000
MAX_PARTNERS = 500


class Kind(StrEnum):
    """What sort of body an institution is."""

    college = "college"  # any TVET school, college, polytechnic or institute
    university = "university"
    company = "company"
    government = "government"
    organisation = "organisation"
    other = "other"


def _nfc(value: object) -> object:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be blank")
    return value


def _country(value: str) -> str:
    code = value.upper()
    if code not in COUNTRIES:
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. KH, CN)")
    return code


def _language(value: str) -> str:
    code = value.lower()
    if code not in LANGUAGES:
        raise ValueError(f"'{value}' is not an ISO 639-1 language code (e.g. en, zh, km)")
    return code


def _website(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise ValueError("must be an http:// or https:// address, e.g. https://npic.edu.kh")
    return value


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _time_zone(value: str) -> str:
    if value not in _time_zones():
        raise ValueError(f"'{value}' is not an IANA time zone name (e.g. Asia/Phnom_Penh)")
    return value


def _distinct(values: list[str]) -> list[str]:
    """Drop repeated phrases (compared case-insensitively), keeping the first spelling."""
    seen: set[str] = set()
    kept: list[str] = []
    for value in values:
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


def _distinct_ids(values: list[int]) -> list[int]:
    return list(dict.fromkeys(values))


Text = Annotated[str, BeforeValidator(_nfc)]
Name = Annotated[Text, StringConstraints(max_length=200), AfterValidator(_not_blank)]
City = Annotated[Text, StringConstraints(max_length=100)]
Phrase = Annotated[
    Text, StringConstraints(max_length=MAX_PHRASE_LENGTH), AfterValidator(_not_blank)
]
PhraseList = Annotated[list[Phrase], Field(max_length=MAX_PHRASES), AfterValidator(_distinct)]
Description = Annotated[Text, StringConstraints(max_length=MAX_DESCRIPTION_LENGTH)]
CountryCode = Annotated[Text, AfterValidator(_country)]
LanguageCode = Annotated[Text, AfterValidator(_language)]
LanguageList = Annotated[list[LanguageCode], Field(max_length=20), AfterValidator(_distinct)]
TimeZone = Annotated[Text, AfterValidator(_time_zone)]
Website = Annotated[Text, StringConstraints(max_length=500), AfterValidator(_website)]
PartnerIds = Annotated[
    list[Annotated[int, Field(ge=1)]],
    Field(max_length=MAX_PARTNERS),
    AfterValidator(_distinct_ids),
]


def name_key(name: str) -> str:
    """Return the form of a name used to tell whether two institutions are the same."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
