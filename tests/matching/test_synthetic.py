from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from typing import Any

import pytest

from matching.evaluation import parse_dataset
from matching.evaluation.synthetic import generate


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return generate()


def _role(key: str) -> str:
    return key.rsplit("-", 1)[1]


def test_the_same_seed_gives_the_same_dataset(data: dict[str, Any]) -> None:
    assert generate() == data
    assert generate(n_pairs=60, seed=0) == data


def test_another_seed_gives_another_dataset(data: dict[str, Any]) -> None:
    assert generate(seed=1) != data


def test_it_loads_as_an_evaluation_dataset(data: dict[str, Any]) -> None:
    dataset = parse_dataset(data)
    assert len(dataset.pairs) == 60
    assert len(dataset.profiles) == len(data["profiles"])


def test_every_pair_key_names_a_profile(data: dict[str, Any]) -> None:
    keys = {profile["key"] for profile in data["profiles"]}
    assert all(key in keys for pair in data["pairs"] for key in pair)
    assert {(_role(a), _role(b)) for a, b in data["pairs"]} == {("a", "b")}


def test_look_alikes_and_decoys_are_nobodys_partner(data: dict[str, Any]) -> None:
    paired = {key for pair in data["pairs"] for key in pair}
    roles = {profile["key"]: _role(profile["key"]) for profile in data["profiles"]}
    assert sum(role.startswith("like") for role in roles.values()) >= 60
    assert any(role == "decoy" for role in roles.values())
    assert not {key for key, role in roles.items() if role not in ("a", "b")} & paired


def test_look_alikes_copy_fields_and_topics_from_another_country(data: dict[str, Any]) -> None:
    by_key = {profile["key"]: profile for profile in data["profiles"]}
    for key, profile in by_key.items():
        if _role(key).startswith("like"):
            original = by_key[key.rsplit("-", 1)[0] + "-a"]
            assert profile["fields"] == original["fields"]
            assert len(profile["needs"]) == len(original["needs"])
            assert profile["country"] != original["country"]


def test_partners_are_in_different_countries_mostly_china_and_asean(
    data: dict[str, Any],
) -> None:
    country = {profile["key"]: profile["country"] for profile in data["profiles"]}
    assert all(country[a] != country[b] for a, b in data["pairs"])
    with_china = sum("CN" in (country[a], country[b]) for a, b in data["pairs"])
    assert with_china > len(data["pairs"]) / 2


def test_languages_and_scripts_are_mixed(data: dict[str, Any]) -> None:
    languages = {profile["languages"][0] for profile in data["profiles"]}
    assert languages == {"en", "zh", "km", "th", "vi", "id"}
    text = " ".join(" ".join(p["needs"] + p["offers"]) for p in data["profiles"])
    assert any("\u4e00" <= char <= "\u9fff" for char in text)  # Han
    assert any("\u1780" <= char <= "\u17ff" for char in text)  # Khmer
    assert any("\u0e00" <= char <= "\u0e7f" for char in text)  # Thai
    language = {p["key"]: p["languages"][0] for p in data["profiles"]}
    assert any({language[a], language[b]} == {"en", "zh"} for a, b in data["pairs"])


def test_kinds_are_mostly_colleges(data: dict[str, Any]) -> None:
    kinds = [profile["kind"] for profile in data["profiles"]]
    assert set(kinds) == {"college", "company", "government", "university"}
    assert kinds.count("college") > len(kinds) / 2


def test_small_sets_still_have_every_language() -> None:
    small = generate(n_pairs=6, seed=5)
    assert len(small["pairs"]) == 6
    assert {p["languages"][0] for p in small["profiles"]} >= {"zh", "km", "th", "vi", "id"}


def test_at_least_one_pair_is_required() -> None:
    with pytest.raises(ValueError, match="n_pairs must be at least 1"):
        generate(n_pairs=0)


def test_the_shipped_generated_set_is_up_to_date(data: dict[str, Any]) -> None:
    shipped = resources.files("seed.eval").joinpath("generated.json").read_text("utf-8")
    assert json.loads(shipped) == data, "regenerate seed/eval/generated.json (see its README)"


def test_the_thin_variant_keeps_the_pairs_and_drops_needs_offers_and_programs(
    data: dict[str, Any],
) -> None:
    from matching.evaluation.thin import thin

    thinned = thin(data)
    assert thinned["pairs"] == data["pairs"]
    assert not any({"needs", "offers", "programs"} & set(p) for p in thinned["profiles"])
    labels = Counter(label for p in thinned["profiles"] for label in p["fields"])
    assert labels["Technical and vocational education"] > len(thinned["profiles"]) / 2
    by_key = {p["key"]: p for p in thinned["profiles"]}
    same = [by_key[a]["city"] == by_key[b]["city"] for a, b in thinned["pairs"]]
    assert 0.5 < sum(same) / len(same) < 0.85
    assert all(by_key[b]["city"] in by_key[b]["name"] for _, b in thinned["pairs"])


def test_the_shipped_thin_set_is_up_to_date(data: dict[str, Any]) -> None:
    from matching.evaluation.thin import thin

    shipped = resources.files("seed.eval").joinpath("thin.json").read_text("utf-8")
    assert json.loads(shipped) == thin(data), "regenerate seed/eval/thin.json (see its README)"
