"""Country groups (ASEAN and others) read from one data file, with their source and date.

The pairing rules, the API (``GET /country-groups``) and the console all read
``seed/country_groups.json`` through this module, so a change of membership (Timor-Leste
joined ASEAN on 26 October 2025) is made in one place.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from service.values.validation import CountryCode

FILE = "country_groups.json"


class CountryGroup(BaseModel):
    """A named group of countries, whose membership a source confirms as of a date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="The name pairing rules use, e.g. 'ASEAN'.")
    label: str = Field(description="The full name.")
    members: list[CountryCode] = Field(min_length=1)
    source: HttpUrl = Field(description="Where the membership can be checked.")
    as_of: date = Field(description="The date the membership was last known to change.")
    note: str = ""


class CountryGroups(BaseModel):
    """Every country group the service knows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    groups: list[CountryGroup]


@cache
def load_country_groups() -> CountryGroups:
    """Return the country groups of the data file (read once per process)."""
    text = resources.files("seed").joinpath(FILE).read_text(encoding="utf-8")
    return CountryGroups.model_validate_json(text)


def members(name: str) -> tuple[str, ...]:
    """Return the member countries of the group ``name``; KeyError if there is none."""
    for group in load_country_groups().groups:
        if group.name == name:
            return tuple(group.members)
    raise KeyError(name)
