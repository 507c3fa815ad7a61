"""Seed data: institutions from the public articles plus illustrative workshop participants.

The data files sit beside this module; see ``seed/README.md`` for their format and sources.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = [
    "SeedInstitution",
    "SeedSource",
    "load_institutions",
    "load_sources",
    "load_taxonomy",
]


@dataclass(frozen=True, slots=True)
class SeedSource:
    """A public article that seed facts are drawn from."""

    key: str
    title: str
    file: str
    date: str


@dataclass(frozen=True, slots=True)
class SeedInstitution:
    """One seed entry: a profile (as the API takes it), its key, partners and provenance."""

    key: str
    illustrative: bool
    sources: tuple[str, ...]
    profile: dict[str, Any]
    partner_keys: tuple[str, ...]


def _read(name: str = "institutions.json") -> dict[str, Any]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def load_sources() -> list[SeedSource]:
    """Return the articles the seed is drawn from."""
    return [SeedSource(key=key, **value) for key, value in _read()["sources"].items()]


def load_institutions() -> list[SeedInstitution]:
    """Return every seed institution, in file order."""
    entries = []
    for raw in _read()["institutions"]:
        entry = dict(raw)
        key = entry.pop("key")
        illustrative = bool(entry.pop("illustrative"))
        sources = tuple(entry.pop("sources"))
        partner_keys = tuple(entry.pop("existing_partners", ()))
        profile = {name: value for name, value in entry.items() if value is not None}
        entries.append(SeedInstitution(key, illustrative, sources, profile, partner_keys))
    return entries


def load_taxonomy() -> dict[str, Any]:
    """Return the TVET taxonomy: canonical fields and program types with their synonyms."""
    return _read("taxonomy.json")
