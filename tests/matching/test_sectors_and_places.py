"""Coarse sector labels and city names meet their translations through the shipped taxonomy."""

from __future__ import annotations

import pytest

from matching import Profile, ReciprocalRanker, Taxonomy
from matching.corpus import place_key
from matching.documents import phrase_terms
from seed import load_taxonomy

SHIPPED = Taxonomy.from_dict(load_taxonomy())

# Directory profiles: a name, a city, coarse sector labels and nothing else.
FARM_EN = Profile(
    id=1, name="Delta Polytechnic", country="VN", city="Can Tho", fields=("Agriculture",)
)
FARM_ZH = Profile(id=2, name="示例学院", country="CN", city="昆明", fields=("农林牧渔",))
OTHERS = (
    Profile(id=3, name="Harbour Institute", country="MY", fields=("Business and administration",)),
    Profile(id=4, name="示例商学院", country="CN", fields=("财经商贸",)),
    Profile(id=5, name="Rail Academy", country="TH", fields=("Transport",)),
)


def test_a_sector_label_meets_its_chinese_label_only_through_the_taxonomy() -> None:
    corpus = (FARM_EN, FARM_ZH, *OTHERS)
    plain = ReciprocalRanker().fit(corpus)
    assert FARM_ZH.id not in [m.id for m in plain.rank(FARM_EN)]
    ranker = ReciprocalRanker(taxonomy=SHIPPED).fit(corpus)
    best = ranker.rank(FARM_EN)[0]
    assert best.id == FARM_ZH.id
    assert best.components.fields > 0
    assert ranker.rank(FARM_ZH)[0].id == FARM_EN.id


def test_a_sector_is_read_from_field_labels_not_from_prose() -> None:
    assert "~sector:finance_commerce" in phrase_terms(["Business"], SHIPPED, labels=True)
    assert "~sector:finance_commerce" not in phrase_terms(["Business"], SHIPPED)
    # A specific field found in prose still counts, as before.
    assert "~field:cnc" in phrase_terms(["we teach CNC machining"], SHIPPED)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Sihanoukville", "西哈努克港"),
        ("Phnom Penh", "ភ្នំពេញ"),
        ("Hai Phong", "Hải Phòng"),
        ("Cebu City", "Cebu"),
        ("Nanning", "南宁市"),
    ],
)
def test_one_city_written_in_two_scripts_is_one_place(one: str, other: str) -> None:
    assert place_key(one, SHIPPED) == place_key(other, SHIPPED) != ""


def test_a_city_the_gazetteer_does_not_know_is_compared_as_written() -> None:
    assert place_key("Da  Nang", SHIPPED) == place_key("da nang", SHIPPED) == "da nang"
    assert place_key("岘港", SHIPPED) != place_key("Da Nang", SHIPPED)
    assert place_key("", SHIPPED) == ""


def test_the_same_city_in_two_scripts_counts_and_is_said_in_every_path() -> None:
    english = Profile(id=1, name="Port Skills Centre", country="KH", city="Sihanoukville")
    chinese = Profile(id=2, name="示例港口学院", country="CN", city="西哈努克港")
    elsewhere = Profile(id=3, name="Hill School", country="KH", city="Kampot")
    ranker = ReciprocalRanker(taxonomy=SHIPPED).fit([english, chinese, elsewhere])
    (best,) = ranker.rank(english)
    assert best.id == chinese.id
    assert best.components.city == 1.0
    assert "Both are in 西哈努克港." in best.reasons
    (pair,) = ranker.explain_pairs([(1, 2)])
    assert pair.components.city == 1.0
    draft = Profile(name="Port Skills Centre", country="KH", city="Preah Sihanouk")
    (unindexed,) = ranker.rank_profiles(draft, [chinese, elsewhere])
    assert unindexed.id == chinese.id
    assert unindexed.components.city == 1.0
