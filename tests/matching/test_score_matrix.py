"""All-pairs scores for a workshop, and explanations of chosen pairs."""

from __future__ import annotations

from dataclasses import astuple

import numpy as np
import pytest

from matching import CandidateFilter, Profile, ReciprocalRanker
from tests.matching.test_corpus import _profiles


def test_score_matrix_agrees_with_ranking_each_participant() -> None:
    profiles = _profiles(120)
    ranker = ReciprocalRanker().fit(profiles)
    ids = [p.id for p in profiles[:40] if p.id is not None]
    matrix = ranker.score_matrix(ids, block=16, grounded=False)
    assert matrix.shape == (40, 40)
    assert np.allclose(matrix, matrix.T)
    assert np.all(np.diag(matrix) == 0)
    everyone = CandidateFilter(cross_border=False, min_score=0.0)
    for i, query in enumerate(profiles[:5]):
        ranked = {m.id: m.score for m in ranker.rank(query, k=200, where=everyone, explain=False)}
        for j, other in enumerate(ids):
            if other != query.id:
                assert matrix[i, j] == pytest.approx(ranked.get(other, 0.0), abs=1e-5)


def test_pairs_sharing_no_need_offer_or_field_score_zero_for_pairing() -> None:
    cnc = Profile(id=1, name="Kampot Technical School", fields=("CNC machining",))
    hotel = Profile(id=2, name="Kampot Hotel School", fields=("hotel management",))
    welding = Profile(id=3, name="Wuxi Institute", fields=("CNC machining", "welding"))
    ranker = ReciprocalRanker().fit([cnc, hotel, welding])
    loose = ranker.score_matrix([1, 2, 3], grounded=False)
    grounded = ranker.score_matrix([1, 2, 3])
    assert loose[0, 1] > 0  # "Kampot" and "school" in both names
    assert grounded[0, 1] == 0
    assert grounded[0, 2] == pytest.approx(loose[0, 2])
    assert grounded[0, 2] > 0


def test_explain_pairs_matches_the_ranking() -> None:
    profiles = _profiles(60)
    ranker = ReciprocalRanker().fit(profiles)
    query = profiles[0]
    (best,) = ranker.rank(query, k=1, where=CandidateFilter(cross_border=False))
    assert query.id is not None
    (explained,) = ranker.explain_pairs([(query.id, best.id)])
    assert explained.score == pytest.approx(best.score, abs=1e-6)
    assert astuple(explained.components) == pytest.approx(astuple(best.components), abs=1e-6)
    assert explained.reasons == best.reasons


def test_unknown_ids_are_refused() -> None:
    ranker = ReciprocalRanker().fit(_profiles(5))
    with pytest.raises(KeyError):
        ranker.score_matrix([1, 999])
