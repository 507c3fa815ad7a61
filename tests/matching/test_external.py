"""Scoring and ranking profiles that are not in the index (offers, calls, drafts)."""

from __future__ import annotations

import dataclasses
from dataclasses import astuple

import numpy as np
import pytest

from matching import CandidateFilter, Profile, ReciprocalRanker
from tests.matching.test_corpus import _profiles
from tests.matching.test_ranker import ASKER, COMPLEMENT, CORPUS, HOTEL_SCHOOL

# An internship offer: it offers placements and needs what a hotel school would give.
HOTEL_OFFER = Profile(
    id=101,
    name="Hotel internships",
    country="TH",
    kind="company",
    fields=("tourism and hospitality",),
    offers=("hotel internships with free accommodation for exchange students",),
    needs=("chef exchange",),
)
# A call for CNC trainers: it needs what the CNC training centre offers.
CNC_CALL = Profile(
    id=102,
    name="Call for CNC trainers",
    country="LA",
    kind="college",
    fields=("CNC machining",),
    needs=("CNC teacher training programme",),
    offers=("student internships",),
)


def test_scores_of_unindexed_profiles_equal_the_ranking_of_indexed_ones() -> None:
    profiles = _profiles(80)
    ranker = ReciprocalRanker().fit(profiles)
    askers = profiles[:4]
    # Candidates handed over as outside profiles: same text, ids the index does not know.
    outside = [dataclasses.replace(p, id=10_000 + i) for i, p in enumerate(profiles[20:50])]
    matrix = ranker.score_profiles(askers, outside)
    assert matrix.shape == (4, 30)
    everyone = CandidateFilter(cross_border=False, min_score=0.0)
    for i, asker in enumerate(askers):
        ranked = {m.id: m.score for m in ranker.rank(asker, k=200, where=everyone, explain=False)}
        for j, original in enumerate(profiles[20:50]):
            if original.id != asker.id:
                assert matrix[i, j] == pytest.approx(ranked.get(original.id or 0, 0.0), abs=1e-5)


def test_indexed_askers_score_as_if_transformed_afresh() -> None:
    profiles = _profiles(60)
    ranker = ReciprocalRanker().fit(profiles)
    ranker.upsert([dataclasses.replace(profiles[7], needs=("CNC teacher training",))])
    indexed = [ranker.profiles[pid(p)] for p in (profiles[3], profiles[7], profiles[40])]
    draft = dataclasses.replace(HOTEL_OFFER, id=None)
    # The index's own profile objects are read from its rows (base and delta alike);
    # equal copies and drafts are transformed: the scores must not differ.
    mixed = ranker.score_profiles([indexed[0], draft, indexed[1], indexed[2]], CORPUS)
    copies = [dataclasses.replace(p) for p in (indexed[0], draft, indexed[1], indexed[2])]
    fresh = ranker.score_profiles(copies, CORPUS)
    assert np.allclose(mixed, fresh, atol=1e-6)
    assert mixed[2].any()


def test_rank_profiles_orders_outside_candidates_and_explains_them() -> None:
    ranker = ReciprocalRanker().fit(CORPUS)
    # The CNC training centre can answer the call for CNC trainers; the hotel school
    # wants the hotel internships.
    matches = ranker.rank_profiles(COMPLEMENT, [HOTEL_OFFER, CNC_CALL], k=5)
    assert matches[0].id == CNC_CALL.id
    best = matches[0]
    assert best.components.i_meet_their_needs > 0
    assert any("CNC teacher training programme" in reason for reason in best.reasons)
    assert ranker.rank_profiles(HOTEL_SCHOOL, [CNC_CALL, HOTEL_OFFER], k=1)[0].id == 101
    # The same pair, scored with both in the index, gets the same score and parts.
    with_call = ReciprocalRanker().fit([*CORPUS, CNC_CALL])
    (through_index,) = with_call.explain_pairs([(pid(COMPLEMENT), pid(CNC_CALL))])
    (outside,) = with_call.rank_profiles(COMPLEMENT, [CNC_CALL], k=1)
    assert outside.score == pytest.approx(through_index.score, abs=1e-6)
    assert astuple(outside.components) == pytest.approx(astuple(through_index.components), abs=1e-6)


def test_rank_profiles_respects_k_min_score_and_breaks_ties_by_id() -> None:
    ranker = ReciprocalRanker().fit(CORPUS)
    twins = [dataclasses.replace(HOTEL_OFFER, id=i) for i in (7, 3, 5)]
    ranked = ranker.rank_profiles(HOTEL_SCHOOL, twins, k=2, explain=False)
    assert [m.id for m in ranked] == [3, 5]
    assert all(m.reasons == () for m in ranked)
    top = ranked[0].score
    assert ranker.rank_profiles(HOTEL_SCHOOL, twins, k=3, min_score=top + 0.01) == []
    # Unrelated text scores zero and is never returned.
    assert ranker.rank_profiles(ASKER, [HOTEL_OFFER], k=3) == []


def test_nothing_to_score_gives_empty_answers() -> None:
    ranker = ReciprocalRanker().fit([])
    assert ranker.rank_profiles(ASKER, [HOTEL_OFFER], k=3) == []
    assert ranker.score_profiles([ASKER], [HOTEL_OFFER, CNC_CALL]).shape == (1, 2)
    assert not ranker.score_profiles([ASKER], [HOTEL_OFFER, CNC_CALL]).any()
    fitted = ReciprocalRanker().fit(CORPUS)
    assert fitted.score_profiles([], [HOTEL_OFFER]).shape == (0, 1)
    assert fitted.rank_profiles(ASKER, [], k=3) == []


def test_candidates_need_ids_and_k_must_be_positive() -> None:
    ranker = ReciprocalRanker().fit(CORPUS)
    with pytest.raises(ValueError, match="needs an id"):
        ranker.rank_profiles(ASKER, [dataclasses.replace(HOTEL_OFFER, id=None)])
    with pytest.raises(ValueError, match="k must be"):
        ranker.rank_profiles(ASKER, [HOTEL_OFFER], k=0)
    # Scoring needs no ids: drafts can be scored against drafts.
    draft = dataclasses.replace(HOTEL_OFFER, id=None)
    assert ranker.score_profiles([HOTEL_SCHOOL], [draft])[0, 0] > 0
    assert np.isfinite(ranker.score_profiles([draft], [draft])).all()


def pid(profile: Profile) -> int:
    assert profile.id is not None
    return profile.id
