"""Annotated field types: each checks one thing and says why it refused."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from typing import Annotated, Any
from zoneinfo import available_timezones

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
)
from pydantic.config import JsonDict
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from service.values.codes import COUNTRIES, LANGUAGES

MAX_PHRASES = 50
MAX_PHRASE_LENGTH = 300
MAX_DESCRIPTION_LENGTH = 5000
MAX_PARTNERS = 500
# Ids are PostgreSQL `integer` columns; a larger number can name nothing and would make
# the database (or SQLite's 64-bit integers) fail, so it is refused as input.
MAX_ID = 2**31 - 1
# What the checks below accept, stated in the OpenAPI schema for clients (and fuzzers).
NO_NUL_PATTERN = r"^[^\x00]*$"
NOT_BLANK_PATTERN = r"^[^\x00]*[^\x00\s][^\x00]*$"
WEBSITE_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+[^\s]*$"
# (Up to 999,999,999 in JSON object keys: a pattern cannot say MAX_ID neatly.)
ID_KEY_PATTERN = r"^[1-9][0-9]{0,8}$"


class Kind(StrEnum):
    """What sort of body an institution is."""

    college = "college"  # any TVET school, college, polytechnic or institute
    university = "university"
    company = "company"
    government = "government"
    organisation = "organisation"
    other = "other"


class Documented:
    """Add JSON-schema keywords to a type: a rule its validator enforces, told to clients."""

    def __init__(self, **keywords: Any) -> None:
        self.keywords = keywords

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        for keyword, value in self.keywords.items():
            if value is None:
                schema.pop(keyword, None)  # a narrower keyword replaces it
            else:
                schema[keyword] = value
        return schema


def _nfc(value: object) -> object:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store U+0000 in text; no name or phrase needs it.
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (U+0000)")
    # JSON's "\ud800" escapes decode to lone surrogates, which are no text: UTF-8 (and so
    # either database) cannot encode them.
    if _SURROGATE.search(value):
        raise ValueError("must not contain a lone UTF-16 surrogate (U+D800 to U+DFFF)")
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
    if not re.fullmatch(WEBSITE_PATTERN, value):
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


def _iso_date(value: object) -> object:
    # Pydantic would also read 0 or "0" as 1970-01-01; a JSON date is a YYYY-MM-DD string.
    if isinstance(value, datetime) or not isinstance(value, date | str):
        raise ValueError("must be a date written YYYY-MM-DD")
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


def _iso_datetime(value: object) -> object:
    if not isinstance(value, datetime | str) or (
        isinstance(value, str) and not re.match(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}", value)
    ):
        raise ValueError("must be a date and time written like 2026-05-13T14:00:00+07:00")
    return value


def _json_number(value: object) -> object:
    # A JSON number: pydantic's lax mode would also read "5", "0.5" or true as one.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    return value


def drop_null(schema: JsonDict) -> None:
    """Say in a field's JSON schema that null is refused: the field may only be left out."""
    any_of = schema.pop("anyOf", None)
    branches = [b for b in any_of if b != {"type": "null"}] if isinstance(any_of, list) else []
    if len(branches) == 1 and isinstance(branches[0], dict):
        schema.update(branches[0])
    elif branches:
        schema["anyOf"] = branches
    schema.pop("default", None)


def _distinct_ids(values: list[int]) -> list[int]:
    return list(dict.fromkeys(values))


Text = Annotated[
    str, BeforeValidator(_nfc), AfterValidator(_no_nul), Documented(pattern=NO_NUL_PATTERN)
]
NonBlank = Annotated[Text, AfterValidator(_not_blank), Documented(pattern=NOT_BLANK_PATTERN)]
Name = Annotated[NonBlank, StringConstraints(max_length=200)]
City = Annotated[Text, StringConstraints(max_length=100)]
Phrase = Annotated[NonBlank, StringConstraints(max_length=MAX_PHRASE_LENGTH)]
PhraseList = Annotated[list[Phrase], Field(max_length=MAX_PHRASES), AfterValidator(_distinct)]
Description = Annotated[Text, StringConstraints(max_length=MAX_DESCRIPTION_LENGTH)]
Note = Annotated[Text, StringConstraints(max_length=2000)]
SearchText = Annotated[Text, StringConstraints(max_length=MAX_PHRASE_LENGTH)]
CountryCode = Annotated[
    Text, AfterValidator(_country), Documented(enum=sorted(COUNTRIES), pattern=None)
]
LanguageCode = Annotated[
    Text, AfterValidator(_language), Documented(enum=sorted(LANGUAGES), pattern=None)
]
LanguageList = Annotated[list[LanguageCode], Field(max_length=20), AfterValidator(_distinct)]
TimeZone = Annotated[Text, AfterValidator(_time_zone)]
Website = Annotated[
    Text,
    StringConstraints(max_length=500),
    AfterValidator(_website),
    Documented(pattern=WEBSITE_PATTERN),
]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDatetime = Annotated[datetime, BeforeValidator(_iso_datetime)]
# Numbers in JSON bodies must be JSON numbers: FastAPI validates decoded JSON in pydantic's
# lax mode, which would take "5" or true for 5 (and 0 for a date, above).
JsonNumber = BeforeValidator(_json_number)
JsonInt = Annotated[int, JsonNumber]
JsonFloat = Annotated[float, JsonNumber]
# (Constraints before the number check: after it, pydantic leaves them out of the schema.)
Id = Annotated[int, Field(ge=1, le=MAX_ID), JsonNumber]
IdKey = Annotated[int, Field(ge=1, le=MAX_ID)]  # a JSON object key, always a string
PartnerIds = Annotated[list[Id], Field(max_length=MAX_PARTNERS), AfterValidator(_distinct_ids)]


def name_key(name: str) -> str:
    """Return the form of a name used to tell whether two institutions are the same."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
