"""Which scored rows become suggestions, and in what order.

Filters (country, kind, floor, the asker and its partners) and the top-k selection, then
the optional re-ranking by exposure and diversity, which changes the order, never the
scores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import numpy.typing as npt
from scipy import sparse

from matching.corpus import PARTS, Corpus
from matching.rerank import mmr_order
from matching.types import CandidateFilter, Profile

__all__ = [
    "best_linked",
    "best_rows",
    "eligible_rows",
    "likeness",
    "rerank",
    "top_rows",
    "unique_stored",
    "with_reserved",
]

FloatArray = npt.NDArray[np.float32]
Rows = npt.NDArray[np.intp]


def top_rows(
    corpus: Corpus, query: Profile, score: FloatArray, k: int, where: CandidateFilter
) -> list[int]:
    """The ``k`` best eligible rows, best first, ties by ascending id.

    Never the asker, its declared partners or those who declared it.
    """
    return best_rows(corpus, eligible_rows(corpus, query, score, where), score, k)


def best_rows(
    corpus: Corpus, candidates: npt.NDArray[np.intp], by: FloatArray, k: int
) -> list[int]:
    """The ``k`` candidate rows with the highest ``by``, best first, ties by ascending id."""
    if len(candidates) > k:
        kth_best = -np.partition(-by[candidates], k - 1)[k - 1]
        candidates = candidates[by[candidates] >= kth_best]
    order = np.lexsort((corpus.ids[candidates], -by[candidates]))
    return [int(row) for row in candidates[order][:k]]


def eligible_rows(
    corpus: Corpus, query: Profile, score: FloatArray, where: CandidateFilter
) -> npt.NDArray[np.intp]:
    """The rows that pass the filters and the floor, in row order."""
    eligible = corpus.alive & (score > 0) & (score >= where.min_score)
    if where.cross_border and query.country:
        eligible &= _differs(corpus.countries, query.country)
    if where.countries:
        eligible &= np.isin(corpus.countries, list(where.countries))
    if where.kinds:
        eligible &= np.isin(corpus.kinds, list(where.kinds))
    excluded = set(where.exclude) | set(query.existing_partners)
    if query.id is not None:
        excluded |= {query.id} | corpus.declared_by.get(query.id, frozenset())
    rows = [corpus.row_of[pid] for pid in excluded if pid in corpus.row_of]
    eligible[rows] = False
    return np.flatnonzero(eligible)


def _differs(codes: npt.NDArray[np.str_], code: str) -> npt.NDArray[np.bool_]:
    """``codes != code``, compared as integers where each code fits one (two-letter codes
    are 8 bytes of UTF-32: one uint64), several times faster than comparing strings."""
    as_integer = {4: np.uint32, 8: np.uint64}.get(codes.dtype.itemsize)
    if as_integer is None or len(code) > codes.dtype.itemsize // 4:
        differs: npt.NDArray[np.bool_] = codes != code
        return differs
    wanted = np.array([code], dtype=codes.dtype).view(as_integer)[0]
    return np.asarray(codes.view(as_integer) != wanted)


def best_linked(
    corpus: Corpus,
    query: Profile,
    score: FloatArray,
    graph: FloatArray,
    where: CandidateFilter,
    places: int,
) -> list[int]:
    """The ``places`` eligible rows sharing the most partners with the asker, best first."""
    eligible = eligible_rows(corpus, query, score, where)
    return best_rows(corpus, eligible[graph[eligible] > 0], graph, places)


def with_reserved(rows: list[int], reserved: list[int], k: int) -> list[int]:
    """At most ``k`` of ``rows``, the ``reserved`` rows it lacks taking its last places."""
    missing = [row for row in reserved if row not in rows]
    if not missing:
        return rows[:k]
    kept = rows[: max(k - len(missing), 0)]
    return [*kept, *missing][:k]


def rerank(
    corpus: Corpus,
    pool: list[int],
    score: FloatArray,
    k: int,
    *,
    diversity: float,
    exposure: float,
    appeal: Callable[[Rows], npt.NDArray[np.float64]],
) -> list[int]:
    """Re-order a pool of rows: divide by relative appeal, then maximal marginal relevance."""
    if not pool:  # nobody passed the filters; there is nothing to re-rank
        return []
    rows = np.array(pool, dtype=np.intp)
    relevance = score[rows].astype(np.float64)
    if exposure > 0:
        appeals = appeal(rows)
        relevance /= 1.0 + exposure * appeals / max(float(appeals.mean()), 1e-9)
    similar = likeness(corpus, rows) if diversity > 0 else None
    return [pool[i] for i in mmr_order(relevance, similar, k, diversity)]


def likeness(corpus: Corpus, rows: Rows) -> npt.NDArray[np.float64]:
    """Cosine likeness between the given rows over all their parts together."""
    # Imported on the first re-ranking for diversity, not by every serving process's start.
    from sklearn.preprocessing import normalize

    stacked = sparse.hstack([corpus.rows(part, rows) for part in PARTS], format="csr")
    unit = normalize(stacked, norm="l2")
    return np.asarray((unit @ unit.T).toarray(), dtype=np.float64)


def unique_stored(profiles: Iterable[Profile]) -> list[Profile]:
    """Keep the last profile per id, in first-seen order; reject profiles without an id."""
    by_id: dict[int, Profile] = {}
    for profile in profiles:
        if profile.id is None:
            raise ValueError("a stored profile needs an id")
        by_id[profile.id] = profile
    return list(by_id.values())
