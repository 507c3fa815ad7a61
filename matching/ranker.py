"""The reciprocal TF-IDF ranker: who offers what I need, and needs what I offer.

Every profile is cut into five documents (needs, offers, fields, programs, description)
that share one TF-IDF vocabulary, fitted on whole profiles so a term's weight reflects
how many institutions use it. For an asker ``q`` and a candidate ``c``:

    a = cos(offers_c, needs_q)            they meet my needs
    b = cos(needs_c, offers_q)            I meet their needs
    reciprocal = 2ab / (a + b)            when both directions are known
               = one_sided_factor * a     (or * b) when only one side wrote the text for it
    overlap = (wf*cos(fields) + wp*cos(programs) + wd*cos(description)) / (wf + wp + wd)
    score = wr * reciprocal + (1 - wr) * overlap

The harmonic mean is zero when either direction is zero and never exceeds the weaker
direction, so a one-sided pair ranks below a mutual one; a look-alike competitor (same
needs, same offers) has a and b near zero and can only score through ``overlap``, which
carries a quarter of the weight by default. When a side left its needs or offers empty,
the direction it cannot inform is unknown rather than zero, so the known direction still
counts, at half weight. See ``docs/ranking.md`` for the reasoning and worked examples.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Self

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import normalize

from matching.corpus import PARTS, SIMILARITIES, Corpus
from matching.explain import PhraseSpace, phrases_of, reason_language
from matching.explain import explain as _explain
from matching.rerank import mmr_order
from matching.taxonomy import Taxonomy
from matching.text import analyze
from matching.types import CandidateFilter, Components, Match, Profile
from matching.vectors import TermWeights, fit_term_weights, vectorize

__all__ = ["ReciprocalRanker"]

_POOL_PER_RESULT = 5
_MIN_POOL = 50

FloatArray = npt.NDArray[np.float32]
PartTerms = dict[str, list[str]]


@lru_cache(maxsize=1 << 16)
def _terms_of(phrase: str, taxonomy: Taxonomy | None) -> tuple[str, ...]:
    # Survey answers repeat the same phrases across many profiles; analyse each once.
    concepts = taxonomy.find(phrase) if taxonomy is not None else ()
    return (*analyze(phrase), *(concept.term for concept in concepts))


def _phrase_terms(phrases: Sequence[str], taxonomy: Taxonomy | None) -> list[str]:
    terms: list[str] = []
    for phrase in phrases:
        terms.extend(_terms_of(phrase, taxonomy))
    return terms


class ReciprocalRanker:
    """Rank stored profiles as partners for a profile, reciprocally.

    Parameters
    ----------
    reciprocal_weight:
        Share of the score given to the two need/offer directions; the rest goes to
        the overlap of fields, programs and description.
    fields_weight, programs_weight, description_weight:
        Relative weights of the three overlap parts.
    one_sided_factor:
        Multiplier on the one known direction when the other cannot be computed
        because a side left its needs or offers empty.
    taxonomy:
        Canonical concepts to find in the text; each concept mentioned adds one term, so
        profiles in different languages meet on the concepts they share.
    concept_weight:
        How much heavier a concept term weighs than an ordinary term.
    """

    def __init__(
        self,
        *,
        reciprocal_weight: float = 0.75,
        fields_weight: float = 0.5,
        programs_weight: float = 0.3,
        description_weight: float = 0.2,
        one_sided_factor: float = 0.5,
        taxonomy: Taxonomy | None = None,
        concept_weight: float = 3.0,
    ) -> None:
        self.reciprocal_weight = reciprocal_weight
        self.fields_weight = fields_weight
        self.programs_weight = programs_weight
        self.description_weight = description_weight
        self.one_sided_factor = one_sided_factor
        self.taxonomy = taxonomy
        self.concept_weight = concept_weight

    # -- fitting and updating -------------------------------------------------------

    def fit(self, profiles: Iterable[Profile]) -> Self:
        """Learn the vocabulary and IDF from ``profiles`` and index them all."""
        self._check_params()
        stored = _unique_stored(profiles)
        terms = [self._part_terms(profile) for profile in stored]
        documents = [[term for part in PARTS for term in doc[part]] for doc in terms]
        self.weights_: TermWeights | None = fit_term_weights(
            documents, boosted_prefix="~", boost=self.concept_weight
        )
        self.terms_: npt.NDArray[np.str_] = (
            self.weights_.terms if self.weights_ is not None else np.array([], dtype=np.str_)
        )
        self.corpus_ = Corpus.build(stored, self._part_matrices(terms))
        self.changes_since_fit_ = 0
        self.unseen_terms_since_fit_ = 0
        self.terms_since_fit_ = 0
        return self

    def upsert(self, profiles: Iterable[Profile]) -> Self:
        """Add or replace ``profiles`` using the fitted vocabulary, without refitting.

        Terms the vocabulary has never seen are not indexed until the next ``fit``;
        ``unseen_terms_since_fit_`` counts them so the owner can decide when to refit.
        """
        self._check_fitted()
        new = _unique_stored(profiles)
        if not new:
            return self
        if self.weights_ is None:
            current = dict(self.corpus_.profiles)
            current.update((int(p.id or 0), p) for p in new)
            return self.fit(current.values())
        terms = [self._part_terms(profile) for profile in new]
        vocabulary = self.weights_.columns
        for doc in terms:
            for part in PARTS:
                self.terms_since_fit_ += len(doc[part])
                self.unseen_terms_since_fit_ += sum(t not in vocabulary for t in doc[part])
        self.corpus_ = self.corpus_.upserted(new, self._part_matrices(terms))
        self.changes_since_fit_ += len(new)
        return self

    def remove(self, ids: Iterable[int]) -> Self:
        """Stop suggesting the profiles with these ids; unknown ids are ignored."""
        self._check_fitted()
        gone = [pid for pid in ids if pid in self.corpus_.row_of]
        self.corpus_ = self.corpus_.without(gone)
        self.changes_since_fit_ += len(gone)
        return self

    @property
    def profiles(self) -> Mapping[int, Profile]:
        """The indexed profiles by id."""
        self._check_fitted()
        return self.corpus_.profiles

    def __len__(self) -> int:
        return len(self.corpus_.profiles) if hasattr(self, "corpus_") else 0

    # -- ranking -----------------------------------------------------------------------

    def rank(
        self,
        query: Profile,
        *,
        k: int = 10,
        where: CandidateFilter | None = None,
        diversity: float = 0.0,
        exposure: float = 0.0,
        explain: bool = True,
    ) -> list[Match]:
        """Return the ``k`` best partners for ``query``, best first, with reasons.

        Ties are broken by ascending id, so the order is deterministic. The query itself,
        its declared partners and the profiles that declared it as a partner are never
        returned.

        ``diversity`` (0 to 1) re-ranks the best ``5k`` candidates by maximal marginal
        relevance so near-copies do not fill the list. ``exposure`` (0 to 1) lowers
        candidates that suit almost everyone: each pooled candidate's relevance is divided
        by ``1 + exposure * appeal / mean appeal``, where appeal is its mean score as a
        partner for a fixed sample of stored institutions. Both change the order only;
        each match keeps its own score. ``explain=False`` skips the reasons (they are the
        costliest part of a ranking) for callers that only need the order.
        """
        self._check_fitted()
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        if not (0.0 <= diversity <= 1.0 and 0.0 <= exposure <= 1.0):
            raise ValueError("diversity and exposure must be within [0, 1]")
        where = where or CandidateFilter()
        corpus = self.corpus_
        if self.weights_ is None or not len(corpus.ids):
            return []
        score, similarity, reciprocal, overlap = self.score_all(query, corpus)
        if diversity > 0 or exposure > 0:
            pool = self._top_rows(corpus, query, score, max(_POOL_PER_RESULT * k, _MIN_POOL), where)
            rows = self._rerank(corpus, pool, score, k, diversity, exposure)
        else:
            rows = self._top_rows(corpus, query, score, k, where)
        candidates = [corpus.profiles[int(corpus.ids[row])] for row in rows]
        phrases = (query, *candidates) if explain else ()
        space = PhraseSpace(
            [phrase for profile in phrases for phrase in phrases_of(profile)],
            self._transform_phrases,
            self.terms_,
        )
        language = reason_language(query)
        matches = []
        for row, candidate in zip(rows, candidates, strict=True):
            components = _components(similarity, reciprocal, overlap, row)
            matches.append(
                Match(
                    id=int(corpus.ids[row]),
                    score=float(score[row]),
                    components=components,
                    reasons=(
                        _explain(query, candidate, components, space=space, language=language)
                        if explain
                        else ()
                    ),
                )
            )
        return matches

    def score_all(
        self, query: Profile, corpus: Corpus | None = None
    ) -> tuple[FloatArray, dict[str, FloatArray], FloatArray, FloatArray]:
        """Score ``query`` against every row: (score, similarities, reciprocal, overlap).

        Rows are the corpus's rows (``corpus.ids``), dead ones included; nothing is
        filtered here.
        """
        self._check_fitted()
        corpus = corpus or self.corpus_
        asked = self._transform_one(query)
        similarity = corpus.similarities(self._lay_out(asked))
        score, reciprocal, overlap = self._fuse(
            similarity,
            a_known=corpus.has_offers & (asked["needs"].nnz > 0),
            b_known=corpus.has_needs & (asked["offers"].nnz > 0),
        )
        return score, similarity, reciprocal, overlap

    def score_matrix(self, ids: Sequence[int], *, block: int = 512) -> FloatArray:
        """Return the mutual scores among stored profiles (symmetric, zero diagonal).

        Computed ``block`` askers at a time, so memory stays ``O(block x len(ids))``; for a
        workshop's pairing or a region's all-pairs top-k. Raises ``KeyError`` for an id
        that is not indexed.
        """
        self._check_fitted()
        corpus = self.corpus_
        rows = np.array([corpus.row_of[int(pid)] for pid in ids], dtype=np.intp)
        scores = np.zeros((len(rows), len(rows)), dtype=np.float32)
        for start in range(0, len(rows), block):
            askers = rows[start : start + block]
            scores[:, start : start + len(askers)] = self._cross_scores(corpus, rows, askers)
        np.fill_diagonal(scores, 0.0)
        # The score is symmetric in theory; average away float noise between the directions.
        symmetric: FloatArray = ((scores + scores.T) / 2).astype(np.float32)
        return symmetric

    def explain_pairs(self, pairs: Sequence[tuple[int, int]]) -> list[Match]:
        """Return, for each stored pair ``(a, b)``, b as a match for a: score, parts, reasons."""
        self._check_fitted()
        corpus = self.corpus_
        if not pairs:
            return []
        askers = np.array([corpus.row_of[int(a)] for a, _ in pairs], dtype=np.intp)
        rows = np.array([corpus.row_of[int(b)] for _, b in pairs], dtype=np.intp)
        similarity = {
            name: np.asarray(
                corpus.rows(stored, rows).multiply(corpus.rows(asked, askers)).sum(axis=1),
                dtype=np.float32,
            ).ravel()
            for name, stored, asked in SIMILARITIES
        }
        score, reciprocal, overlap = self._fuse(
            similarity,
            a_known=corpus.has_offers[rows] & corpus.has_needs[askers],
            b_known=corpus.has_needs[rows] & corpus.has_offers[askers],
        )
        profiles = [(corpus.profiles[int(a)], corpus.profiles[int(b)]) for a, b in pairs]
        space = PhraseSpace(
            [phrase for pair in profiles for profile in pair for phrase in phrases_of(profile)],
            self._transform_phrases,
            self.terms_,
        )
        matches = []
        for i, (asker, candidate) in enumerate(profiles):
            components = _components(similarity, reciprocal, overlap, i)
            reasons = _explain(asker, candidate, components, space=space)
            matches.append(
                Match(
                    id=int(pairs[i][1]),
                    score=float(score[i]),
                    components=components,
                    reasons=reasons,
                )
            )
        return matches

    def score_profiles(
        self, askers: Sequence[Profile], candidates: Sequence[Profile]
    ) -> FloatArray:
        """Return the scores (askers x candidates) of profiles that need not be indexed.

        Both sides are transformed with the fitted vocabulary and nothing is added to the
        index; each score is the one ``rank`` would give that candidate for that asker.
        Ids, countries and partners are not looked at: filtering is the caller's.
        """
        self._check_fitted()
        if self.weights_ is None or not askers or not candidates:
            return np.zeros((len(askers), len(candidates)), dtype=np.float32)
        score, *_ = self._external_scores(askers, candidates)
        scores: FloatArray = np.ascontiguousarray(score.T)
        return scores

    def rank_profiles(
        self,
        query: Profile,
        candidates: Sequence[Profile],
        *,
        k: int = 10,
        min_score: float = 0.0,
        explain: bool = True,
    ) -> list[Match]:
        """Rank profiles that are not indexed (offers, calls, drafts) as partners for ``query``.

        Each candidate needs an id, returned in its :class:`Match`. Scores and reasons are
        those of ``rank`` under the fitted vocabulary; only candidates scoring above zero
        and at least ``min_score`` are returned, best first, ties by ascending id.
        """
        self._check_fitted()
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        if any(candidate.id is None for candidate in candidates):
            raise ValueError("every candidate needs an id")
        if self.weights_ is None or not candidates:
            return []
        scores, similarity, reciprocals, overlaps = self._external_scores([query], candidates)
        score, reciprocal, overlap = scores[:, 0], reciprocals[:, 0], overlaps[:, 0]
        parts = {name: values[:, 0] for name, values in similarity.items()}
        ids = np.array([candidate.id for candidate in candidates], dtype=np.int64)
        eligible = np.flatnonzero((score > 0) & (score >= min_score))
        order = eligible[np.lexsort((ids[eligible], -score[eligible]))][:k]
        chosen = [candidates[int(i)] for i in order]
        space = PhraseSpace(
            [p for profile in ((query, *chosen) if explain else ()) for p in phrases_of(profile)],
            self._transform_phrases,
            self.terms_,
        )
        language = reason_language(query)
        matches = []
        for i, candidate in zip(order, chosen, strict=True):
            components = _components(parts, reciprocal, overlap, int(i))
            reasons = (
                _explain(query, candidate, components, space=space, language=language)
                if explain
                else ()
            )
            matches.append(
                Match(id=int(ids[i]), score=float(score[i]), components=components, reasons=reasons)
            )
        return matches

    # -- internals ---------------------------------------------------------------------

    def _external_scores(
        self, askers: Sequence[Profile], candidates: Sequence[Profile]
    ) -> tuple[FloatArray, dict[str, FloatArray], FloatArray, FloatArray]:
        """(score, similarities, reciprocal, overlap), each candidates x askers."""
        asked = self._asker_matrices(askers)
        stored = self._part_matrices([self._part_terms(profile) for profile in candidates])
        similarity = {
            name: np.asarray((stored[stored_part] @ asked[asked_part].T).toarray(), np.float32)
            for name, stored_part, asked_part in SIMILARITIES
        }

        def has(matrices: Mapping[str, sparse.csr_matrix], part: str) -> npt.NDArray[np.bool_]:
            rows_with_terms: npt.NDArray[np.bool_] = np.diff(matrices[part].indptr) > 0
            return rows_with_terms

        score, reciprocal, overlap = self._fuse(
            similarity,
            a_known=has(stored, "offers")[:, None] & has(asked, "needs")[None, :],
            b_known=has(stored, "needs")[:, None] & has(asked, "offers")[None, :],
        )
        return score, similarity, reciprocal, overlap

    def _asker_matrices(self, askers: Sequence[Profile]) -> dict[str, sparse.csr_matrix]:
        """The askers' part rows: read from the index for the very profiles it holds (they
        were transformed with this vocabulary), transformed here for the others."""
        corpus = self.corpus_
        rows = [
            corpus.row_of[p.id] if p.id is not None and corpus.profiles.get(p.id) is p else -1
            for p in askers
        ]
        known = np.array([row for row in rows if row >= 0], dtype=np.intp)
        fresh = self._part_matrices(
            [self._part_terms(p) for p, row in zip(askers, rows, strict=True) if row < 0]
        )
        if not len(known):
            return fresh
        positions = np.argsort(
            np.concatenate(
                [np.flatnonzero(np.array(rows) >= 0), np.flatnonzero(np.array(rows) < 0)]
            )
        )
        return {
            part: sparse.csr_matrix(
                sparse.vstack([corpus.rows(part, known), fresh[part]], format="csr")[positions]
            )
            for part in PARTS
        }

    def _part_terms(self, profile: Profile) -> PartTerms:
        return {
            "needs": _phrase_terms(profile.needs, self.taxonomy),
            "offers": _phrase_terms(profile.offers, self.taxonomy),
            "fields": _phrase_terms(profile.fields, self.taxonomy),
            "programs": _phrase_terms(profile.programs, self.taxonomy),
            "description": _phrase_terms([profile.description], self.taxonomy),
        }

    def _part_matrices(self, terms: Sequence[PartTerms]) -> dict[str, sparse.csr_matrix]:
        if self.weights_ is None:
            empty = sparse.csr_matrix((len(terms), 0), dtype=np.float32)
            return dict.fromkeys(PARTS, empty)
        return {part: vectorize(self.weights_, [doc[part] for doc in terms]) for part in PARTS}

    def _transform_one(self, profile: Profile) -> dict[str, sparse.csr_matrix]:
        return self._part_matrices([self._part_terms(profile)])

    def _lay_out(self, asked: Mapping[str, sparse.csr_matrix]) -> sparse.csr_matrix:
        """Lay the asker's parts on a diagonal (5 x 5V), each on the block it meets."""
        blocks = [asked[asked_part] for _, _, asked_part in SIMILARITIES]
        return sparse.block_diag(blocks, format="csr", dtype=np.float32)

    def _transform_phrases(self, phrases: Sequence[str]) -> sparse.csr_matrix:
        assert self.weights_ is not None
        return vectorize(
            self.weights_, [_phrase_terms([phrase], self.taxonomy) for phrase in phrases]
        )

    def _check_params(self) -> None:
        if not 0.0 <= self.reciprocal_weight <= 1.0:
            raise ValueError("reciprocal_weight must be within [0, 1]")
        if not 0.0 <= self.one_sided_factor <= 1.0:
            raise ValueError("one_sided_factor must be within [0, 1]")
        if self.concept_weight <= 0:
            raise ValueError("concept_weight must be positive")
        weights = (self.fields_weight, self.programs_weight, self.description_weight)
        if min(weights) < 0 or sum(weights) <= 0:
            raise ValueError("overlap weights must be non-negative and not all zero")

    def _check_fitted(self) -> None:
        if not hasattr(self, "corpus_"):
            raise NotFittedError("call fit() before using this ReciprocalRanker")

    def _fuse(
        self,
        similarity: Mapping[str, FloatArray],
        a_known: npt.NDArray[np.bool_],
        b_known: npt.NDArray[np.bool_],
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Combine part similarities into (score, reciprocal, overlap); any array shape."""
        a = similarity["they_meet_my_needs"]
        b = similarity["i_meet_their_needs"]
        with np.errstate(divide="ignore", invalid="ignore"):
            harmonic = np.where(a + b > 0, 2 * a * b / (a + b), 0.0)
        one_sided = self.one_sided_factor * (np.where(a_known, a, 0.0) + np.where(b_known, b, 0.0))
        reciprocal = np.where(a_known & b_known, harmonic, one_sided).astype(np.float32)
        weights = (self.fields_weight, self.programs_weight, self.description_weight)
        overlap = (
            weights[0] * similarity["fields"]
            + weights[1] * similarity["programs"]
            + weights[2] * similarity["description"]
        ) / sum(weights)
        score = self.reciprocal_weight * reciprocal + (1 - self.reciprocal_weight) * overlap
        return score.astype(np.float32), reciprocal, overlap.astype(np.float32)

    def _rerank(
        self,
        corpus: Corpus,
        pool: list[int],
        score: FloatArray,
        k: int,
        diversity: float,
        exposure: float,
    ) -> list[int]:
        if not pool:  # nobody passed the filters; there is nothing to re-rank
            return []
        rows = np.array(pool, dtype=np.intp)
        relevance = score[rows].astype(np.float64)
        if exposure > 0:
            appeal = self._appeal(corpus, rows)
            relevance /= 1.0 + exposure * appeal / max(float(appeal.mean()), 1e-9)
        likeness = _likeness(corpus, rows) if diversity > 0 else None
        return [pool[i] for i in mmr_order(relevance, likeness, k, diversity)]

    def _cross_scores(
        self, corpus: Corpus, rows: npt.NDArray[np.intp], askers: npt.NDArray[np.intp]
    ) -> FloatArray:
        """Scores of ``rows`` (as candidates, down) for ``askers`` (across)."""
        similarity = {
            name: np.asarray(
                (corpus.rows(stored, rows) @ corpus.rows(asked, askers).T).toarray(),
                dtype=np.float32,
            )
            for name, stored, asked in SIMILARITIES
        }
        has_needs, has_offers = corpus.has_needs, corpus.has_offers
        score, _, _ = self._fuse(
            similarity,
            a_known=has_offers[rows][:, None] & has_needs[askers][None, :],
            b_known=has_needs[rows][:, None] & has_offers[askers][None, :],
        )
        return score

    def _appeal(self, corpus: Corpus, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
        """Mean score of each row as a partner for the corpus's sample of askers."""
        sample = corpus.sample
        score = self._cross_scores(corpus, rows, sample)
        others = rows[:, None] != sample[None, :]
        counted = np.maximum(others.sum(axis=1), 1)
        return np.asarray(np.where(others, score, 0.0).sum(axis=1) / counted, dtype=np.float64)

    def _top_rows(
        self,
        corpus: Corpus,
        query: Profile,
        score: FloatArray,
        k: int,
        where: CandidateFilter,
    ) -> list[int]:
        eligible = corpus.alive & (score > 0) & (score >= where.min_score)
        if where.cross_border and query.country:
            eligible &= corpus.countries != query.country
        if where.countries:
            eligible &= np.isin(corpus.countries, list(where.countries))
        if where.kinds:
            eligible &= np.isin(corpus.kinds, list(where.kinds))
        excluded = set(where.exclude) | set(query.existing_partners)
        if query.id is not None:
            excluded |= {query.id} | corpus.declared_by.get(query.id, frozenset())
        rows = [corpus.row_of[pid] for pid in excluded if pid in corpus.row_of]
        eligible[rows] = False
        candidates = np.flatnonzero(eligible)
        if len(candidates) > k:
            kth_best = -np.partition(-score[candidates], k - 1)[k - 1]
            candidates = candidates[score[candidates] >= kth_best]
        order = np.lexsort((corpus.ids[candidates], -score[candidates]))
        return [int(row) for row in candidates[order][:k]]


def _components(
    similarity: Mapping[str, FloatArray], reciprocal: FloatArray, overlap: FloatArray, at: int
) -> Components:
    """The score parts of one position of the score arrays."""
    return Components(
        they_meet_my_needs=float(similarity["they_meet_my_needs"][at]),
        i_meet_their_needs=float(similarity["i_meet_their_needs"][at]),
        reciprocal=float(reciprocal[at]),
        fields=float(similarity["fields"][at]),
        programs=float(similarity["programs"][at]),
        description=float(similarity["description"][at]),
        overlap=float(overlap[at]),
    )


def _likeness(corpus: Corpus, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
    """Cosine likeness between the given rows over all their parts together."""
    stacked = sparse.hstack([corpus.rows(part, rows) for part in PARTS], format="csr")
    unit = normalize(stacked, norm="l2")
    return np.asarray((unit @ unit.T).toarray(), dtype=np.float64)


def _unique_stored(profiles: Iterable[Profile]) -> list[Profile]:
    """Keep the last profile per id, in first-seen order; reject profiles without an id."""
    by_id: dict[int, Profile] = {}
    for profile in profiles:
        if profile.id is None:
            raise ValueError("a stored profile needs an id")
        by_id[profile.id] = profile
    return list(by_id.values())
