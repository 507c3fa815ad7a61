"""Part similarities between many askers and many candidates at once.

The ranker scores one asker against the whole index with one product
(``Corpus.similarities``); pairing, all-pairs top-k, exposure and unindexed profiles
need blocks of askers, or listed pairs. Each function returns the part similarities
and which parts both sides hold, ready for :func:`matching.score.fuse`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse

from matching.corpus import SIMILARITIES, Corpus, Terms, place_key
from matching.score import Weighing, weighing
from matching.taxonomy import Taxonomy
from matching.types import Profile

__all__ = [
    "Parts",
    "between_matrices",
    "between_rows",
    "grounded",
    "kept_weighing",
    "of_pairs",
]

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]
Rows = npt.NDArray[np.intp]
Parts = tuple[dict[str, FloatArray], dict[str, BoolArray]]
Fuse = Callable[
    [Mapping[str, FloatArray], Mapping[str, BoolArray | bool]],
    tuple[FloatArray, FloatArray, FloatArray],
]


def present_in_index(corpus: Corpus, asked: Mapping[str, Terms]) -> dict[str, BoolArray | bool]:
    """Which similarities of one asker (its parts' columns and values) to every row have
    text on both sides.

    ``False`` (not an array) for a part the asker left empty: nothing to compute there.
    """
    return {
        name: corpus.present[stored] if len(asked[asked_part][0]) else False
        for name, stored, asked_part in SIMILARITIES
    }


def locality(corpus: Corpus, city: str) -> tuple[FloatArray, BoolArray | bool]:
    """(same city, both have a city) of one asker's ``city`` against every row."""
    key = place_key(city, corpus.places)
    if not key:
        return np.zeros(len(corpus.ids), np.float32), False
    same = corpus.cities == corpus.city_codes.get(key, -2)
    return same.astype(np.float32), corpus.cities >= 0


def kept_weighing(
    corpus: Corpus, present: Mapping[str, BoolArray | bool], weights: Mapping[str, float]
) -> Weighing:
    """The denominators of one asker's scores against every row (:func:`weighing`), kept
    with the snapshot for the next asker holding the same parts."""
    held = tuple(present[name] is not False for name in sorted(present))
    return corpus.kept(
        ("weighing", held, tuple(weights.items())),
        lambda: weighing(present, weights, (len(corpus.ids),)),
    )


def cross_scores(
    corpus: Corpus, rows: Rows, askers: Rows, fuse: Fuse, *, grounded_only: bool = False
) -> FloatArray:
    """Scores of indexed ``rows`` (as candidates, down) for indexed ``askers`` (across)."""
    similarity, present = between_rows(corpus, rows, askers)
    score, _, _ = fuse(similarity, present)
    if grounded_only:
        score = np.where(grounded(similarity), score, 0.0).astype(np.float32)
    return score


def appeal(corpus: Corpus, rows: Rows, fuse: Fuse) -> npt.NDArray[np.float64]:
    """Mean score of each row as a partner for the corpus's sample of askers (exposure)."""
    sample = corpus.sample
    score = cross_scores(corpus, rows, sample, fuse)
    others = rows[:, None] != sample[None, :]
    counted = np.maximum(others.sum(axis=1), 1)
    return np.asarray(np.where(others, score, 0.0).sum(axis=1) / counted, dtype=np.float64)


def mutual_scores(
    corpus: Corpus, rows: Rows, fuse: Fuse, *, block: int, grounded: bool
) -> FloatArray:
    """Symmetric scores among ``rows``, ``block`` askers at a time; zero diagonal."""
    scores = np.zeros((len(rows), len(rows)), dtype=np.float32)
    for start in range(0, len(rows), block):
        askers = rows[start : start + block]
        scores[:, start : start + len(askers)] = cross_scores(
            corpus, rows, askers, fuse, grounded_only=grounded
        )
    np.fill_diagonal(scores, 0.0)
    # The score is symmetric in theory; average away float noise between the directions.
    symmetric: FloatArray = ((scores + scores.T) / 2).astype(np.float32)
    return symmetric


def between_rows(corpus: Corpus, rows: Rows, askers: Rows) -> Parts:
    """Similarities of indexed ``rows`` (down) to indexed ``askers`` (across)."""
    similarity = {
        name: np.asarray(
            (corpus.rows(stored, rows) @ corpus.rows(asked, askers).T).toarray(),
            dtype=np.float32,
        )
        for name, stored, asked in SIMILARITIES
    }
    present = {
        name: corpus.present[stored][rows][:, None] & corpus.present[asked][askers][None, :]
        for name, stored, asked in SIMILARITIES
    }
    theirs, mine = corpus.cities[rows][:, None], corpus.cities[askers][None, :]
    present["city"] = (theirs >= 0) & (mine >= 0)
    similarity["city"] = ((theirs == mine) & present["city"]).astype(np.float32)
    return similarity, present


def of_pairs(corpus: Corpus, rows: Rows, askers: Rows) -> Parts:
    """Similarities of ``rows[i]`` to ``askers[i]``, pair by pair."""
    similarity = {
        name: np.asarray(
            corpus.rows(stored, rows).multiply(corpus.rows(asked, askers)).sum(axis=1),
            dtype=np.float32,
        ).ravel()
        for name, stored, asked in SIMILARITIES
    }
    present = {
        name: corpus.present[stored][rows] & corpus.present[asked][askers]
        for name, stored, asked in SIMILARITIES
    }
    present["city"] = (corpus.cities[rows] >= 0) & (corpus.cities[askers] >= 0)
    same = corpus.cities[rows] == corpus.cities[askers]
    similarity["city"] = (same & present["city"]).astype(np.float32)
    return similarity, present


def between_matrices(
    stored: Mapping[str, sparse.csr_matrix],
    asked: Mapping[str, sparse.csr_matrix],
    candidates: Sequence[Profile],
    askers: Sequence[Profile],
    places: Taxonomy | None = None,
) -> Parts:
    """Similarities of candidates (down) to askers (across), from their part matrices."""
    similarity = {
        name: np.asarray((stored[stored_part] @ asked[asked_part].T).toarray(), np.float32)
        for name, stored_part, asked_part in SIMILARITIES
    }

    def has(matrices: Mapping[str, sparse.csr_matrix], part: str) -> BoolArray:
        rows_with_terms: BoolArray = np.diff(matrices[part].indptr) > 0
        return rows_with_terms

    present = {
        name: has(stored, stored_part)[:, None] & has(asked, asked_part)[None, :]
        for name, stored_part, asked_part in SIMILARITIES
    }
    theirs = np.array([place_key(c.city, places) for c in candidates], dtype=np.str_)
    mine = np.array([place_key(a.city, places) for a in askers], dtype=np.str_)
    present["city"] = (theirs != "")[:, None] & (mine != "")[None, :]
    same = theirs[:, None] == mine[None, :]
    similarity["city"] = (same & present["city"]).astype(np.float32)
    return similarity, present


def grounded(similarity: Mapping[str, FloatArray]) -> BoolArray:
    """Where the two sides share a need, an offer or a field (a pairing needs one)."""
    shared: BoolArray = (
        (similarity["they_meet_my_needs"] > 0)
        | (similarity["i_meet_their_needs"] > 0)
        | (similarity["fields"] > 0)
    )
    return shared
