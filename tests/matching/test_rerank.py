"""Diversity (MMR) and exposure re-ranking."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from matching import CandidateFilter, Profile, ReciprocalRanker
from matching.rerank import mmr_order

ASKER = Profile(
    id=1,
    country="KH",
    needs=("CNC teacher training", "robotics lab equipment"),
    offers=("student internships", "Khmer language courses"),
)
COPY = Profile(
    id=10,
    country="CN",
    fields=("CNC machining",),
    needs=("student internships", "Khmer language courses"),
    offers=("CNC teacher training", "robotics lab equipment"),
)
COPIES = [dataclasses.replace(COPY, id=10 + i) for i in range(5)]
DIFFERENT = Profile(
    id=30,
    country="TH",
    fields=("robotics",),
    needs=("Khmer language courses",),
    offers=("robotics lab equipment",),
)


def test_mmr_without_diversity_keeps_relevance_order() -> None:
    relevance = np.array([0.2, 0.9, 0.9, 0.5])
    assert mmr_order(relevance, None, 3, 0.0) == [1, 2, 3]


def test_mmr_skips_a_near_copy_of_what_it_already_picked() -> None:
    relevance = np.array([1.0, 0.95, 0.6])
    likeness = np.array([[1.0, 0.99, 0.0], [0.99, 1.0, 0.0], [0.0, 0.0, 1.0]])
    assert mmr_order(relevance, likeness, 2, 0.0) == [0, 1]
    assert mmr_order(relevance, likeness, 2, 0.5) == [0, 2]


def test_diversity_lets_a_different_partner_into_a_list_of_copies() -> None:
    ranker = ReciprocalRanker().fit([ASKER, *COPIES, DIFFERENT])
    plain = [m.id for m in ranker.rank(ASKER, k=3)]
    assert plain == [10, 11, 12]
    varied = ranker.rank(ASKER, k=3, diversity=0.5)
    assert DIFFERENT.id in [m.id for m in varied]
    # Scores are the candidates' own, whatever the order.
    by_id = {m.id: m.score for m in ranker.rank(ASKER, k=10)}
    assert all(m.score == by_id[m.id] for m in varied)


def test_exposure_spreads_first_places_away_from_a_partner_that_suits_everyone() -> None:
    topics = ["CNC", "welding", "HVAC", "robotics", "logistics"]
    askers = [
        Profile(id=i, country="KH", needs=(f"{topic} teacher training",), offers=("internships",))
        for i, topic in enumerate(topics, start=1)
    ]
    hub = Profile(
        id=50,
        country="CN",
        needs=("internships",),
        offers=tuple(f"{topic} teacher training" for topic in topics),
    )
    specialists = [
        Profile(
            id=60 + i,
            country="CN",
            needs=("internships", "Mandarin courses"),
            offers=(f"{topic} teacher training",),
        )
        for i, topic in enumerate(topics)
    ]
    ranker = ReciprocalRanker().fit([*askers, hub, *specialists])
    plain_first = [ranker.rank(asker, k=1)[0].id for asker in askers]
    spread_first = [ranker.rank(asker, k=1, exposure=1.0)[0].id for asker in askers]
    assert plain_first == [hub.id] * 5
    assert spread_first == [60, 61, 62, 63, 64]


@pytest.mark.parametrize(("diversity", "exposure"), [(-0.1, 0.0), (0.0, 1.5)])
def test_out_of_range_reranking_is_refused(diversity: float, exposure: float) -> None:
    ranker = ReciprocalRanker().fit([ASKER, COPY])
    with pytest.raises(ValueError, match="within"):
        ranker.rank(ASKER, diversity=diversity, exposure=exposure)


@pytest.mark.parametrize(("diversity", "exposure"), [(0.5, 0.0), (0.0, 0.5), (0.5, 0.5)])
def test_reranking_with_no_eligible_candidate_is_empty(diversity: float, exposure: float) -> None:
    ranker = ReciprocalRanker().fit([ASKER, *COPIES, DIFFERENT])
    where = CandidateFilter(countries=frozenset({"MN"}))
    assert ranker.rank(ASKER, k=3, where=where, diversity=diversity, exposure=exposure) == []
