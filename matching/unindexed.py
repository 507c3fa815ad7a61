"""Scoring profiles the index does not hold: offers, calls for partners, drafts.

Both sides are transformed with the ranker's fitted vocabulary; nothing is added to the
index. Each score is the one :meth:`ReciprocalRanker.rank` would give (without the
partner graph, which only indexed institutions have).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from matching import pairwise
from matching.documents import asker_matrices, part_matrices, part_terms
from matching.types import Match, Profile

if TYPE_CHECKING:
    from matching.ranker import ReciprocalRanker

__all__ = ["rank_profiles", "score_profiles"]

FloatArray = npt.NDArray[np.float32]
Scored = tuple[FloatArray, dict[str, FloatArray], FloatArray, FloatArray]


def _scores(
    ranker: ReciprocalRanker, askers: Sequence[Profile], candidates: Sequence[Profile]
) -> Scored:
    """(score, similarities, reciprocal, overlap), each candidates x askers."""
    asked = asker_matrices(
        ranker.corpus_,
        ranker.weights_,
        ranker.taxonomy,
        askers,
        concepts=ranker.text_only_concepts,
    )
    stored = part_matrices(ranker.weights_, [part_terms(p, ranker.taxonomy) for p in candidates])
    similarity, present = pairwise.between_matrices(
        stored, asked, candidates, askers, ranker.taxonomy
    )
    score, reciprocal, overlap = ranker.fuse_parts(similarity, present)
    return score, similarity, reciprocal, overlap


def score_profiles(
    ranker: ReciprocalRanker, askers: Sequence[Profile], candidates: Sequence[Profile]
) -> FloatArray:
    """The scores (askers x candidates); see :meth:`ReciprocalRanker.score_profiles`."""
    if ranker.weights_ is None or not askers or not candidates:
        return np.zeros((len(askers), len(candidates)), dtype=np.float32)
    score, *_ = _scores(ranker, askers, candidates)
    scores: FloatArray = np.ascontiguousarray(score.T)
    return scores


def rank_profiles(
    ranker: ReciprocalRanker,
    query: Profile,
    candidates: Sequence[Profile],
    *,
    k: int,
    min_score: float,
    explain: bool,
) -> list[Match]:
    """The best candidates for ``query``; see :meth:`ReciprocalRanker.rank_profiles`."""
    if ranker.weights_ is None or not candidates:
        return []
    scores, similarity, reciprocals, overlaps = _scores(ranker, [query], candidates)
    score = scores[:, 0]
    ids = np.array([candidate.id for candidate in candidates], dtype=np.int64)
    eligible = np.flatnonzero((score > 0) & (score >= min_score))
    order = eligible[np.lexsort((ids[eligible], -score[eligible]))][:k]
    return ranker.matches(
        [(query, candidates[int(i)]) for i in order],
        [int(ids[i]) for i in order],
        score[order],
        {name: values[order, 0] for name, values in similarity.items()},
        reciprocals[order, 0],
        overlaps[order, 0],
        explain=explain,
    )
