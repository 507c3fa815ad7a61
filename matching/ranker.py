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

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Self

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from matching.explain import explain
from matching.rerank import mmr_order
from matching.taxonomy import Taxonomy
from matching.text import analyze
from matching.types import CandidateFilter, Components, Match, Profile

__all__ = ["ReciprocalRanker"]

_PARTS = ("needs", "offers", "fields", "programs", "description")
_APPEAL_SAMPLE = 64
_POOL_PER_RESULT = 5
_MIN_POOL = 50

FloatArray = npt.NDArray[np.float32]


def _identity(terms: list[str]) -> list[str]:
    return terms


def _phrase_terms(phrases: Sequence[str], taxonomy: Taxonomy | None) -> list[str]:
    terms: list[str] = []
    for phrase in phrases:
        terms.extend(analyze(phrase))
        if taxonomy is not None:
            terms.extend(concept.term for concept in taxonomy.find(phrase))
    return terms


@dataclass(frozen=True, slots=True)
class _Corpus:
    """One immutable snapshot of the indexed profiles; replaced whole on every change."""

    ids: npt.NDArray[np.int64]
    alive: npt.NDArray[np.bool_]
    countries: npt.NDArray[np.str_]
    kinds: npt.NDArray[np.str_]
    parts: Mapping[str, sparse.csr_matrix]
    row_of: Mapping[int, int]
    profiles: Mapping[int, Profile]
    declared_by: Mapping[int, frozenset[int]]
    # Rows standing in for "a typical asker" when measuring how broadly a candidate appeals.
    sample: npt.NDArray[np.intp]

    def has_text(self, part: str) -> npt.NDArray[np.bool_]:
        """Which rows wrote anything in ``part``."""
        has: npt.NDArray[np.bool_] = np.diff(self.parts[part].indptr) > 0
        return has


def _declared_by(profiles: Iterable[Profile]) -> dict[int, frozenset[int]]:
    reverse: dict[int, set[int]] = {}
    for profile in profiles:
        assert profile.id is not None
        for partner in profile.existing_partners:
            reverse.setdefault(partner, set()).add(profile.id)
    return {partner: frozenset(ids) for partner, ids in reverse.items()}


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
        concept_weight: float = 2.0,
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
        documents = [[term for part in _PARTS for term in doc[part]] for doc in terms]
        vectorizer: TfidfVectorizer | None = None
        if any(documents):
            vectorizer = TfidfVectorizer(
                analyzer=_identity, sublinear_tf=True, dtype=np.float32, norm="l2"
            )
            vectorizer.fit(documents)
        self.vectorizer_ = vectorizer
        self.terms_: npt.NDArray[np.str_] = (
            vectorizer.get_feature_names_out() if vectorizer is not None else np.array([])
        )
        is_concept = np.char.startswith(self.terms_.astype(str), "~")
        self.column_weights_ = np.where(is_concept, self.concept_weight, 1.0).astype(np.float32)
        self.corpus_ = self._build_corpus(stored, terms)
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
        corpus = self.corpus_
        current = dict(corpus.profiles)
        current.update((p.id, p) for p in new if p.id is not None)
        if self.vectorizer_ is None:
            return self.fit(current.values())
        terms = [self._part_terms(profile) for profile in new]
        vocabulary = self.vectorizer_.vocabulary_
        for doc in terms:
            for part in _PARTS:
                self.terms_since_fit_ += len(doc[part])
                self.unseen_terms_since_fit_ += sum(t not in vocabulary for t in doc[part])
        added = self._build_corpus(new, terms)
        alive = corpus.alive.copy()
        for profile in new:
            row = corpus.row_of.get(profile.id) if profile.id is not None else None
            if row is not None:
                alive[row] = False
        offset = len(corpus.ids)
        row_of = dict(corpus.row_of)
        row_of.update((pid, offset + row) for pid, row in added.row_of.items())
        self.corpus_ = dataclasses.replace(
            corpus,
            ids=np.concatenate([corpus.ids, added.ids]),
            alive=np.concatenate([alive, added.alive]),
            countries=np.concatenate([corpus.countries, added.countries]),
            kinds=np.concatenate([corpus.kinds, added.kinds]),
            parts={
                part: sparse.vstack([corpus.parts[part], added.parts[part]], format="csr")
                for part in _PARTS
            },
            row_of=row_of,
            profiles=current,
            declared_by=_declared_by(current.values()),
        )
        self.changes_since_fit_ += len(new)
        return self

    def remove(self, ids: Iterable[int]) -> Self:
        """Stop suggesting the profiles with these ids; unknown ids are ignored."""
        self._check_fitted()
        corpus = self.corpus_
        gone = {pid for pid in ids if pid in corpus.row_of}
        if not gone:
            return self
        alive = corpus.alive.copy()
        alive[[corpus.row_of[pid] for pid in gone]] = False
        profiles = {pid: p for pid, p in corpus.profiles.items() if pid not in gone}
        self.corpus_ = dataclasses.replace(
            corpus,
            alive=alive,
            row_of={pid: row for pid, row in corpus.row_of.items() if pid not in gone},
            profiles=profiles,
            declared_by=_declared_by(profiles.values()),
        )
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
        each match keeps its own score.
        """
        self._check_fitted()
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        if not (0.0 <= diversity <= 1.0 and 0.0 <= exposure <= 1.0):
            raise ValueError("diversity and exposure must be within [0, 1]")
        where = where or CandidateFilter()
        corpus = self.corpus_
        if self.vectorizer_ is None or not len(corpus.ids):
            return []
        query_parts = self._transform_one(query)
        parts = _similarities(corpus, query_parts)
        score, reciprocal, overlap = self._fuse(
            parts,
            a_known=corpus.has_text("offers") & (query_parts["needs"].nnz > 0),
            b_known=corpus.has_text("needs") & (query_parts["offers"].nnz > 0),
        )
        if diversity > 0 or exposure > 0:
            pool = self._top_rows(corpus, query, score, max(_POOL_PER_RESULT * k, _MIN_POOL), where)
            rows = self._rerank(corpus, pool, score, k, diversity, exposure)
        else:
            rows = self._top_rows(corpus, query, score, k, where)
        matches = []
        for row in rows:
            components = Components(
                they_meet_my_needs=float(parts["they_meet_my_needs"][row]),
                i_meet_their_needs=float(parts["i_meet_their_needs"][row]),
                reciprocal=float(reciprocal[row]),
                fields=float(parts["fields"][row]),
                programs=float(parts["programs"][row]),
                description=float(parts["description"][row]),
                overlap=float(overlap[row]),
            )
            candidate = corpus.profiles[int(corpus.ids[row])]
            reasons = explain(
                query,
                candidate,
                components,
                vectorize=self._transform_phrases,
                terms=self.terms_,
            )
            matches.append(
                Match(
                    id=int(corpus.ids[row]),
                    score=float(score[row]),
                    components=components,
                    reasons=reasons,
                )
            )
        return matches

    # -- internals ---------------------------------------------------------------------

    def _part_terms(self, profile: Profile) -> dict[str, list[str]]:
        return {
            "needs": _phrase_terms(profile.needs, self.taxonomy),
            "offers": _phrase_terms(profile.offers, self.taxonomy),
            "fields": _phrase_terms(profile.fields, self.taxonomy),
            "programs": _phrase_terms(profile.programs, self.taxonomy),
            "description": _phrase_terms([profile.description], self.taxonomy),
        }

    def _vectorize(self, documents: Sequence[list[str]]) -> sparse.csr_matrix:
        """TF-IDF rows with concept columns weighted up, L2-normalised again."""
        assert self.vectorizer_ is not None
        matrix = self.vectorizer_.transform(documents)
        weighted = sparse.csr_matrix(matrix.multiply(self.column_weights_), dtype=np.float32)
        return sparse.csr_matrix(normalize(weighted, norm="l2", copy=False), dtype=np.float32)

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

    def _build_corpus(
        self, profiles: Sequence[Profile], terms: Sequence[dict[str, list[str]]]
    ) -> _Corpus:
        ids = np.array([p.id for p in profiles], dtype=np.int64)
        vocabulary_size = len(self.terms_)
        parts: dict[str, sparse.csr_matrix] = {}
        for part in _PARTS:
            if self.vectorizer_ is None:
                matrix = sparse.csr_matrix((len(profiles), 0), dtype=np.float32)
            else:
                matrix = self._vectorize([doc[part] for doc in terms])
            assert matrix.shape == (len(profiles), vocabulary_size)
            parts[part] = sparse.csr_matrix(matrix, dtype=np.float32)
        by_id = {p.id: p for p in profiles if p.id is not None}
        return _Corpus(
            ids=ids,
            alive=np.ones(len(profiles), dtype=bool),
            countries=np.array([p.country for p in profiles], dtype=np.str_),
            kinds=np.array([p.kind for p in profiles], dtype=np.str_),
            parts=parts,
            row_of={int(pid): row for row, pid in enumerate(ids)},
            profiles=by_id,
            declared_by=_declared_by(profiles),
            sample=np.sort(np.random.default_rng(0).permutation(len(profiles))[:_APPEAL_SAMPLE]),
        )

    def _transform_one(self, profile: Profile) -> dict[str, sparse.csr_matrix]:
        terms = self._part_terms(profile)
        matrix = self._vectorize([terms[part] for part in _PARTS])
        return {part: matrix[i] for i, part in enumerate(_PARTS)}

    def _transform_phrases(self, phrases: Sequence[str]) -> sparse.csr_matrix:
        return self._vectorize([_phrase_terms([phrase], self.taxonomy) for phrase in phrases])

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
        corpus: _Corpus,
        pool: list[int],
        score: FloatArray,
        k: int,
        diversity: float,
        exposure: float,
    ) -> list[int]:
        rows = np.array(pool, dtype=np.intp)
        relevance = score[rows].astype(np.float64)
        if exposure > 0 and len(rows):
            appeal = self._appeal(corpus, rows)
            relevance /= 1.0 + exposure * appeal / max(float(appeal.mean()), 1e-9)
        likeness = _likeness(corpus, rows) if diversity > 0 else None
        return [pool[i] for i in mmr_order(relevance, likeness, k, diversity)]

    def _appeal(self, corpus: _Corpus, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
        """Mean score of each row as a partner for the corpus's sample of askers."""
        sample = corpus.sample

        def cosine(stored: str, asked: str) -> FloatArray:
            product = corpus.parts[stored][rows] @ corpus.parts[asked][sample].T
            return np.asarray(product.toarray(), dtype=np.float32)

        similarity = {
            "they_meet_my_needs": cosine("offers", "needs"),
            "i_meet_their_needs": cosine("needs", "offers"),
            "fields": cosine("fields", "fields"),
            "programs": cosine("programs", "programs"),
            "description": cosine("description", "description"),
        }
        has_needs, has_offers = corpus.has_text("needs"), corpus.has_text("offers")
        score, _, _ = self._fuse(
            similarity,
            a_known=has_offers[rows][:, None] & has_needs[sample][None, :],
            b_known=has_needs[rows][:, None] & has_offers[sample][None, :],
        )
        others = rows[:, None] != sample[None, :]
        counted = np.maximum(others.sum(axis=1), 1)
        return np.asarray(np.where(others, score, 0.0).sum(axis=1) / counted, dtype=np.float64)

    def _top_rows(
        self,
        corpus: _Corpus,
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


def _similarities(corpus: _Corpus, query: Mapping[str, sparse.csr_matrix]) -> dict[str, FloatArray]:
    def cosine(stored: str, asked: str) -> FloatArray:
        column = query[asked].toarray().ravel()
        return np.asarray(corpus.parts[stored] @ column, dtype=np.float32).ravel()

    return {
        "they_meet_my_needs": cosine("offers", "needs"),
        "i_meet_their_needs": cosine("needs", "offers"),
        "fields": cosine("fields", "fields"),
        "programs": cosine("programs", "programs"),
        "description": cosine("description", "description"),
    }


def _likeness(corpus: _Corpus, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
    """Cosine likeness between the given rows over all their parts together."""
    stacked = sparse.hstack([corpus.parts[part][rows] for part in _PARTS], format="csr")
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
