"""The seed file itself: valid profiles, traceable sources, consistent partner keys."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from seed import SeedInstitution, load_institutions, load_sources
from service.institutions.models import InstitutionCreate
from service.values.validation import name_key

ENTRIES = load_institutions()
SHARED_SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _text(entry: SeedInstitution) -> str:
    return json.dumps(entry.profile, ensure_ascii=False)


def test_enough_institutions_for_a_demo() -> None:
    assert len(ENTRIES) >= 50
    assert len({e.key for e in ENTRIES}) == len(ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.key)
def test_every_entry_is_a_valid_profile(entry: SeedInstitution) -> None:
    InstitutionCreate.model_validate(entry.profile)
    assert unicodedata.is_normalized("NFC", _text(entry))


def test_names_are_unique_per_country() -> None:
    keys = [(name_key(e.profile["name"]), e.profile["country"]) for e in ENTRIES]
    assert len(set(keys)) == len(keys)


def test_partner_keys_name_other_entries() -> None:
    keys = {e.key for e in ENTRIES}
    for entry in ENTRIES:
        assert set(entry.partner_keys) <= keys - {entry.key}, entry.key


def test_article_facts_name_their_sources_and_illustrations_are_marked() -> None:
    sources = {s.key for s in load_sources()}
    for entry in ENTRIES:
        if entry.illustrative:
            assert entry.sources == (), entry.key
        else:
            assert entry.sources, entry.key
            assert set(entry.sources) <= sources, entry.key


def test_sources_point_at_the_shared_articles() -> None:
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"no shared articles beside the checkout ({SHARED_SEEDS})")
    for source in load_sources():
        assert (SHARED_SEEDS / source.file).is_file(), source.file


@pytest.mark.parametrize(
    "name",
    [
        "Yalong",
        "National Technical Training Institute",
        "National Polytechnic Institute of Cambodia",
        "Wenzhou Vocational and Technical College",
        "Tianjin Sino-German University of Applied Sciences",
        "Guangzhou Industry and Trade Technician College",
        "Wuxi Institute of Technician",
        "Preah Sihanouk Cambodia-China Friendship Polytechnic Institute",
        "Shenyang Polytechnic College",
        "Kampong Speu Institute of Technology",
        "SEAMEO TED",
        "Ministry of Labour and Vocational Training",
    ],
)
def test_institutions_named_in_the_articles_are_present(name: str) -> None:
    assert any(name in e.profile["name"] and not e.illustrative for e in ENTRIES), name


def test_some_profiles_are_written_in_chinese_and_khmer() -> None:
    def has(entry: SeedInstitution, first: str, last: str) -> bool:
        return any(first <= char <= last for char in _text(entry))

    assert sum(has(e, "\u4e00", "\u9fff") for e in ENTRIES) >= 5
    assert sum(has(e, "\u1780", "\u17ff") for e in ENTRIES) >= 3
