"""Check the ranker's top-k against an exact recomputation of the documented score.

The score of ``docs/ranking.md`` is recomputed here independently of the ranker's own
arithmetic: every row's dot product with the dense query vector is summed in float64
with numpy from the stored part matrices (see ``bench.anatomy``), then fused with the
documented weights (over the parts both sides hold, with partners of partners) and
filtered with the documented exclusions (the asker itself, its
declared partners and those that declared it, its own country, scores of zero), ties
broken by ascending id, the two eligible candidates sharing the most partners taking
the last places when the score left them out. Only the query's vectors come from the ranker
(``_transform_one``): the check is about ranking, not about text analysis.

Two lists that differ only where candidates' exact scores are within float32 rounding of
each other are counted apart as "equal within rounding", since the ranker scores in
float32 and such ties may fall either way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from bench.anatomy import part_matrices
from matching import Match, Profile, ReciprocalRanker

__all__ = ["ExactCheck", "check_top_k"]

RECIPROCAL_WEIGHT = 3.0
OVERLAP_WEIGHTS = {"fields": 0.5, "programs": 0.3, "description": 0.2}
CITY_WEIGHT = 0.2
ONE_SIDED_FACTOR = 0.5
GRAPH_WEIGHT = 0.2
GRAPH_PLACES = 2
FLOOR = 0.02
# Scores closer than this may be ordered either way by float32 arithmetic.
ROUNDING = 1e-6

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ExactCheck:
    """How many sampled queries got exactly the exact top-k."""

    checked: int
    identical: int
    within_rounding: int
    mismatches: list[dict[str, object]] = field(default_factory=list)


def _row_dots(matrix: object, vector: Floats) -> Floats:
    """Return every row of a CSR matrix dotted with ``vector``, summed in float64."""
    indptr = np.asarray(matrix.indptr)  # type: ignore[attr-defined]
    indices = np.asarray(matrix.indices)  # type: ignore[attr-defined]
    data = np.asarray(matrix.data, dtype=np.float64)  # type: ignore[attr-defined]
    rows = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    sums = np.bincount(rows, weights=data * vector[indices], minlength=len(indptr) - 1)
    return sums.astype(np.float64)


def exact_scores(ranker: ReciprocalRanker, query: Profile) -> Floats:
    """Return the documented score of every indexed row for ``query``, in float64."""
    parts = part_matrices(ranker)
    vectors = ranker._transform_one(query)
    dense = {name: vectors[name].toarray().ravel().astype(np.float64) for name in vectors}

    def cos(stored: str, asked: str) -> Floats:
        return _row_dots(parts[stored], dense[asked])

    def written(name: str) -> npt.NDArray[np.bool_]:
        return np.diff(np.asarray(parts[name].indptr)) > 0

    a = cos("offers", "needs")
    b = cos("needs", "offers")
    a_known = written("offers") & (vectors["needs"].nnz > 0)
    b_known = written("needs") & (vectors["offers"].nnz > 0)
    total = a + b
    harmonic = np.divide(2 * a * b, total, out=np.zeros_like(total), where=total > 0)
    one_sided = ONE_SIDED_FACTOR * (np.where(a_known, a, 0.0) + np.where(b_known, b, 0.0))
    reciprocal = np.where(a_known & b_known, harmonic, one_sided)
    # The weighted mean over the parts both sides hold.
    numerator = RECIPROCAL_WEIGHT * reciprocal
    denominator = RECIPROCAL_WEIGHT * (a_known | b_known)
    for name, weight in OVERLAP_WEIGHTS.items():
        both = written(name) & (vectors[name].nnz > 0)
        numerator = numerator + weight * np.where(both, cos(name, name), 0.0)
        denominator = denominator + weight * both
    cities = [_city(ranker, p.city) for p in _profiles_in_row_order(ranker)]
    mine = _city(ranker, query.city)
    if mine:
        city = np.array([c == mine for c in cities], dtype=np.float64)
        numerator = numerator + CITY_WEIGHT * city
        denominator = denominator + CITY_WEIGHT * np.array([bool(c) for c in cities])
    text: Floats = np.divide(numerator, denominator, out=np.zeros_like(a), where=denominator > 0)
    graph = _adamic_adar(ranker, query)
    if graph.max(initial=0.0) <= 0:
        return text
    score: Floats = (1 - GRAPH_WEIGHT) * text + GRAPH_WEIGHT * graph / graph.max()
    return score


def _city(ranker: ReciprocalRanker, city: str) -> str:
    """A city as the documented score compares it: the gazetteer's place, else folded."""
    places = ranker.taxonomy
    named = places.place(city) if places is not None and city else None
    return f"place:{named.id}" if named is not None else " ".join(city.casefold().split())


def _profiles_in_row_order(ranker: ReciprocalRanker) -> list[Profile]:
    corpus = ranker.corpus_
    return [corpus.profiles.get(int(pid), Profile()) for pid in np.asarray(corpus.ids)]


def _adamic_adar(ranker: ReciprocalRanker, query: Profile) -> Floats:
    """Partners in common, each counting 1 / log(its number of partners), per row."""
    corpus = ranker.corpus_
    around: dict[int, set[int]] = {}
    for profile in corpus.profiles.values():
        for partner in profile.existing_partners:
            around.setdefault(int(profile.id or 0), set()).add(partner)
            around.setdefault(partner, set()).add(int(profile.id or 0))
    graph = np.zeros(len(corpus.ids), dtype=np.float64)
    for partner in query.existing_partners:
        others = around.get(partner, set())
        for candidate in others if len(others) >= 2 else ():
            if candidate in corpus.row_of:
                graph[corpus.row_of[candidate]] += 1 / np.log(len(others))
    return graph


def exact_top_k(
    ranker: ReciprocalRanker,
    query: Profile,
    declared_by: Mapping[int, frozenset[int]],
    k: int = 10,
) -> tuple[list[int], Floats]:
    """Return the exact top-k ids for a stored ``query`` and every row's exact score."""
    corpus = ranker.corpus_
    ids = np.asarray(corpus.ids)
    score = exact_scores(ranker, query)
    eligible = np.asarray(corpus.alive) & (score > 0) & (score >= FLOOR)
    eligible &= np.asarray(corpus.countries) != query.country
    excluded = {query.id, *query.existing_partners, *declared_by.get(query.id or 0, ())}
    eligible &= ~np.isin(ids, list(excluded))
    rows = np.flatnonzero(eligible)
    order = np.lexsort((ids[rows], -score[rows]))[:k]
    top = [int(i) for i in ids[rows[order]]]
    # The GRAPH_PLACES eligible candidates sharing the most partners take the last places.
    graph = _adamic_adar(ranker, query)
    linked = rows[graph[rows] > 0]
    best = linked[np.lexsort((ids[linked], -graph[linked]))][:GRAPH_PLACES]
    missing = [int(i) for i in ids[best] if int(i) not in top]
    if missing:
        top = [*top[: max(k - len(missing), 0)], *missing][:k]
    return top, score


def check_top_k(
    ranker: ReciprocalRanker,
    queries: Sequence[Profile],
    results: Sequence[Sequence[Match]],
    declared_by: Mapping[int, frozenset[int]],
) -> ExactCheck:
    """Compare each query's ranked ids with the exact top-k of the same length."""
    row_of = {int(pid): row for row, pid in enumerate(np.asarray(ranker.corpus_.ids))}
    identical = within = 0
    mismatches: list[dict[str, object]] = []
    for query, matches in zip(queries, results, strict=True):
        got = [m.id for m in matches]
        want, score = exact_top_k(ranker, query, declared_by, k=10)
        if got == want:
            identical += 1
            continue
        got_scores = [float(score[row_of[pid]]) for pid in got]
        want_scores = [float(score[row_of[pid]]) for pid in want]
        if len(got) == len(want) and all(
            abs(g - w) <= ROUNDING for g, w in zip(got_scores, want_scores, strict=True)
        ):
            within += 1
            continue
        mismatches.append({"query": query.id, "got": got, "want": want, "want_scores": want_scores})
    return ExactCheck(len(queries), identical, within, mismatches)
