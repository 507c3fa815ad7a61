"""The rule for an asker that holds only text (no needs, offers, fields or programs):
its description drops the concept terms, and its lists get exposure 0.5 unless asked
otherwise (docs/ranking.md, third round)."""

from __future__ import annotations

import dataclasses

import pytest

from matching import Concept, Profile, ReciprocalRanker, Taxonomy
from matching.documents import holds_only_text
from matching.evaluation import load_dataset
from seed import load_taxonomy

NEV = Taxonomy(
    [Concept("nev", "field", {"en": "New energy vehicles", "zh": "新能源汽车"}, {"en": ("NEV",)})]
)
ASKER = Profile(id=1, country="KH", description="NEV maintenance workshop")
# Shares nothing with the asker but the concept: Chinese characters meet no English word.
SAME_CONCEPT = Profile(id=2, country="CN", description="新能源汽车维修中心")
SAME_WORD = Profile(id=3, country="CN", description="Maintenance of fishing boats")
CORPUS = (ASKER, SAME_CONCEPT, SAME_WORD)


def _ids(ranker: ReciprocalRanker, query: Profile, exposure: float | None = None) -> list[int]:
    return [match.id for match in ranker.rank(query, k=10, exposure=exposure)]


def test_a_text_only_asker_is_not_pulled_to_a_candidate_by_a_shared_concept_alone() -> None:
    ranker = ReciprocalRanker(taxonomy=NEV).fit(CORPUS)
    assert _ids(ranker, ASKER) == [SAME_WORD.id]
    kept = ReciprocalRanker(taxonomy=NEV, text_only_concepts=True).fit(CORPUS)
    assert _ids(kept, ASKER) == [SAME_CONCEPT.id, SAME_WORD.id]


def test_an_asker_with_fields_keeps_its_concept_terms() -> None:
    fielded = dataclasses.replace(ASKER, fields=("Automotive",))
    ranker = ReciprocalRanker(taxonomy=NEV).fit(CORPUS)
    assert SAME_CONCEPT.id in _ids(ranker, fielded)


def test_profiles_that_are_not_indexed_follow_the_same_rule() -> None:
    ranker = ReciprocalRanker(taxonomy=NEV).fit([SAME_WORD])
    unsaved = dataclasses.replace(ASKER, id=None)
    found = ranker.rank_profiles(unsaved, [SAME_CONCEPT, SAME_WORD], min_score=0.0)
    assert [match.id for match in found] == [SAME_WORD.id]


# Each specialist teaches one topic and has its own unrelated words besides.
SPECIALTIES = {
    "CNC": "dormitory canteen library",
    "welding": "bakery football choir",
    "HVAC": "garden chess pottery",
    "robotics": "yoga radio theatre",
    "logistics": "museum orchestra tennis",
}
TOPIC_ASKERS = [
    Profile(id=i, country="KH", description=f"{topic} teacher training")
    for i, topic in enumerate(SPECIALTIES, start=1)
]
# Suits every asker a little better than each asker's own specialist does.
HUB = Profile(
    id=50, country="CN", description=", ".join(f"{t} teacher training" for t in SPECIALTIES)
)
SPECIALISTS = [
    Profile(id=60 + i, country="CN", description=f"{topic} teacher training, {words}")
    for i, (topic, words) in enumerate(SPECIALTIES.items())
]


@pytest.fixture
def spread() -> ReciprocalRanker:
    return ReciprocalRanker().fit([*TOPIC_ASKERS, HUB, *SPECIALISTS])


def test_a_text_only_asker_gets_exposure_by_default(spread: ReciprocalRanker) -> None:
    firsts = [_ids(spread, asker)[0] for asker in TOPIC_ASKERS]
    assert firsts == [specialist.id for specialist in SPECIALISTS]


@pytest.mark.parametrize("ranker", [ReciprocalRanker(), ReciprocalRanker(text_only_exposure=0.0)])
def test_an_explicit_exposure_of_zero_is_honoured(ranker: ReciprocalRanker) -> None:
    ranker.fit([*TOPIC_ASKERS, HUB, *SPECIALISTS])
    firsts = [_ids(ranker, asker, exposure=0.0)[0] for asker in TOPIC_ASKERS]
    assert firsts == [HUB.id] * len(TOPIC_ASKERS)
    if ranker.text_only_exposure == 0.0:
        assert [_ids(ranker, asker)[0] for asker in TOPIC_ASKERS] == firsts


def test_an_asker_with_needs_gets_no_exposure_by_default(spread: ReciprocalRanker) -> None:
    needing = [dataclasses.replace(a, needs=("teacher training",)) for a in TOPIC_ASKERS]
    assert [_ids(spread, asker)[0] for asker in needing] == [HUB.id] * len(needing)


def test_out_of_range_text_only_exposure_is_refused() -> None:
    with pytest.raises(ValueError, match="text_only_exposure must be within"):
        ReciprocalRanker(text_only_exposure=1.5).fit(CORPUS)


def test_askers_holding_more_than_text_rank_as_before_the_rule() -> None:
    generated = load_dataset("seed/eval/generated.json")
    taxonomy = Taxonomy.from_dict(load_taxonomy())
    shipped = ReciprocalRanker(taxonomy=taxonomy).fit(generated.profiles)
    before = ReciprocalRanker(
        taxonomy=taxonomy, text_only_concepts=True, text_only_exposure=0.0
    ).fit(generated.profiles)
    askers = generated.profiles[:40]
    assert not any(holds_only_text(asker) for asker in askers)  # nothing for the rule here
    for asker in askers:
        assert shipped.rank(asker) == before.rank(asker)
