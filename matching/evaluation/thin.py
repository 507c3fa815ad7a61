"""The generated set as an imported directory holds it: thin profiles.

``thin(generate(n_pairs=60, seed=0))`` keeps the planted pairs, look-alikes and decoys
of :func:`matching.evaluation.synthetic.generate` but writes each profile the way most
real directories do:

* no needs, offers or programs;
* coarse, common field labels: each specific field becomes its sector ("Engineering and
  manufacturing", "Agriculture"...), and every profile also carries "Technical and
  vocational education", as directories tag everyone;
* the name, city and description are kept (names carry the place).

Partners are moved into the asker's city, country and wording of the place, with
probability ``same_place``: on real partnership data (measured outside this repository,
see issue 12) 69% of true partners share a region, against 17% of random pairs. This
is the one thing taken from real data; it is a property of partnerships, not of our
ranking. The same seed gives the same output.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Mapping
from typing import Any

from matching.evaluation.wording import COUNTRIES, FIELDS

__all__ = ["thin"]

SAME_PLACE = 0.69

_SECTORS: Mapping[str, str] = {
    "cnc": "manufacturing",
    "robotics": "manufacturing",
    "automation": "manufacturing",
    "welding": "manufacturing",
    "nev": "automotive",
    "hvac": "construction",
    "agriculture": "agriculture",
    "logistics": "business",
    "hospitality": "services",
    "language": "education",
}
_LABELS: Mapping[str, Mapping[str, str]] = {
    "manufacturing": {"en": "Engineering and manufacturing", "zh": "装备制造"},
    "automotive": {"en": "Transport and automotive", "zh": "交通运输"},
    "construction": {"en": "Construction and building services", "zh": "土木建筑"},
    "agriculture": {"en": "Agriculture", "zh": "农林牧渔"},
    "business": {"en": "Business and trade", "zh": "财经商贸"},
    "services": {"en": "Tourism and services", "zh": "旅游"},
    "education": {"en": "Education and languages", "zh": "教育与体育"},
    "vocational": {"en": "Technical and vocational education", "zh": "职业教育"},
}
_FIELD_OF_LABEL = {label: key for key, labels in FIELDS.items() for label in labels.values()}


def _coarse(fields: list[str], language: str) -> list[str]:
    written = "zh" if language == "zh" else "en"
    sectors = [_SECTORS[_FIELD_OF_LABEL[label]] for label in fields]
    return [_LABELS[s][written] for s in dict.fromkeys([*sectors, "vocational"])]


def _place_of(profile: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """(country code, English country name, city, Chinese city) of a profile."""
    english, _, cities = COUNTRIES[profile["country"]]
    for city, city_zh in cities:
        if profile["city"] in (city, city_zh):
            return profile["country"], english, city, city_zh
    raise ValueError(f"unknown city {profile['city']!r}")


def _relocate(profile: dict[str, Any], to: Mapping[str, Any]) -> None:
    """Move ``profile`` to ``to``'s city, rewriting the place in its name and description."""
    code, country, city, city_zh = _place_of(profile)
    new_code, new_country, new_city, new_city_zh = _place_of(to)
    chinese = {country: COUNTRIES[code][1], new_country: COUNTRIES[new_code][1]}
    for member in ("name", "description"):
        text = profile[member]
        for old, new in ((city, new_city), (city_zh, new_city_zh), (country, new_country)):
            text = text.replace(old, new)
        profile[member] = text.replace(chinese[country], chinese[new_country])
    profile["country"] = new_code
    profile["city"] = new_city_zh if profile["city"] == city_zh else new_city


def thin(
    data: Mapping[str, Any], *, seed: int = 0, same_place: float = SAME_PLACE
) -> dict[str, Any]:
    """Return the thin variant of a generated dataset (its JSON format, a new object)."""
    rng = random.Random(seed)
    out = copy.deepcopy(dict(data))
    by_key = {profile["key"]: profile for profile in out["profiles"]}
    names = {profile["name"] for profile in out["profiles"]}
    for a, b in out["pairs"]:
        if rng.random() < same_place:
            names.discard(by_key[b]["name"])
            _relocate(by_key[b], by_key[a])
            base, number = by_key[b]["name"], 1
            while by_key[b]["name"] in names:
                number += 1
                by_key[b]["name"] = f"{base} {number}"
            names.add(by_key[b]["name"])
    for profile in out["profiles"]:
        language = (profile.get("languages") or ["en"])[0]
        profile["fields"] = _coarse(profile["fields"], language)
        for member in ("needs", "offers", "programs"):
            profile.pop(member, None)
    out["name"] = "thin"
    out["description"] = (
        f"{data['description']} Made thin by matching.evaluation.thin.thin(seed={seed}, "
        f"same_place={same_place}): no needs, offers or programs; coarse common field "
        "labels; partners share the asker's city with that probability."
    )
    return out
