"""The reciprocal TF-IDF ranker: who offers what I need, and needs what I offer.

Every profile is cut into five documents (needs, offers, fields, programs, and the name
with the description) that share one TF-IDF vocabulary, fitted on whole profiles so a
term's weight reflects how many institutions use it. For an asker ``q`` and a candidate ``c``:

    a = cos(offers_c, needs_q)            they meet my needs
    b = cos(needs_c, offers_q)            I meet their needs
    reciprocal = 2ab / (a + b)            when both directions are known
    fields, programs                      mean IDF of the shared items (not a cosine)
    description (with the name)           cosine; city: 1 when both are in the same one
    text = weighted mean over the parts both sides hold     (matching.score)
    score = (1 - wg) * text + wg * partners-of-partners     (matching.graph)

The harmonic mean is zero when either direction is zero and never exceeds the weaker
direction, so a one-sided pair ranks below a mutual one; a look-alike competitor (same
needs, same offers) has a and b near zero and can only score through the other parts,
which together weigh far less than the core. A part one side left empty is unknown
rather than zero. See ``docs/ranking.md`` for the reasoning and worked examples.
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

from matching.corpus import PARTS, SIMILARITIES, Corpus, place_key
from matching.explain import PhraseSpace, phrases_of, reason_language
from matching.explain import explain as _explain
from matching.floor import MIN_SCORE
from matching.graph import blend, shared_partner_scores, shared_partners
from matching.rerank import mmr_order
from matching.score import OVERLAP_PARTS, fuse
from matching.taxonomy import Taxonomy
from matching.text import analyze
from matching.types import CandidateFilter, Components, Match, Profile
from matching.vectors import TermWeights, fit_term_weights, vectorize

__all__ = ["ReciprocalRanker"]

_POOL_PER_RESULT = 5
_MIN_POOL = 50

FloatArray = npt.NDArray[np.float32]
PartTerms = dict[str, list[str]]
BoolArray = npt.NDArray[np.bool_]
# Short lists of items: scored by how informative the shared items are, not by a cosine.
_ITEM_PARTS = frozenset(("fields", "programs"))


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
    reciprocal_weight, fields_weight, programs_weight, description_weight, city_weight:
        Relative weights of the parts; each score is the weighted mean over the parts
        both profiles hold (see :mod:`matching.score`).
    one_sided_factor:
        Multiplier on the one known direction when the other cannot be computed
        because a side left its needs or offers empty.
    graph_weight:
        Share of the score given to partners in common when the asker declared partners
        (see :mod:`matching.graph`); 0 turns the graph off.
    taxonomy:
        Canonical concepts to find in the text; each concept mentioned adds one term, so
        profiles in different languages meet on the concepts they share.
    concept_weight:
        How much heavier a concept term weighs than an ordinary term.
    """

    def __init__(
        self,
        *,
        reciprocal_weight: float = 3.0,
        fields_weight: float = 0.5,
        programs_weight: float = 0.3,
        description_weight: float = 0.2,
        city_weight: float = 0.2,
        one_sided_factor: float = 0.5,
        graph_weight: float = 0.3,
        taxonomy: Taxonomy | None = None,
        concept_weight: float = 3.0,
    ) -> None:
        self.reciprocal_weight = reciprocal_weight
        self.fields_weight = fields_weight
        self.programs_weight = programs_weight
        self.description_weight = description_weight
        self.city_weight = city_weight
        self.one_sided_factor = one_sided_factor
        self.graph_weight = graph_weight
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
        graph = self._graph_scores(query, corpus)
        if graph is not None:
            similarity = {**similarity, "shared_partners": graph}
            score = blend(score, graph, self.graph_weight)
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
                        _explain(
                            query,
                            candidate,
                            components,
                            space=space,
                            language=language,
                            shared_partners=self._shared_names(query, candidate, corpus),
                        )
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
        has = {part: asked[part].nnz > 0 for part in PARTS}
        present = {
            name: corpus.present[stored] & has[asked_part]
            for name, stored, asked_part in SIMILARITIES
        }
        city = place_key(query.city)
        code = corpus.city_codes.get(city, -2) if city else -2
        similarity["city"] = (corpus.cities == code).astype(np.float32)
        present["city"] = corpus.cities >= 0 if city else np.zeros(len(corpus.ids), dtype=bool)
        score, reciprocal, overlap = self._fuse(similarity, present)
        return score, similarity, reciprocal, overlap

    def score_matrix(
        self, ids: Sequence[int], *, block: int = 512, grounded: bool = True
    ) -> FloatArray:
        """Return the mutual scores among stored profiles (symmetric, zero diagonal).

        Computed ``block`` askers at a time, so memory stays ``O(block x len(ids))``; for a
        workshop's pairing or a region's all-pairs top-k. When ``grounded`` (the default),
        two profiles that share no need, offer or field score zero: a pairing is a promise
        to meet, and a name, a place or survey wording in common is no reason to. Raises
        ``KeyError`` for an id that is not indexed.
        """
        self._check_fitted()
        corpus = self.corpus_
        rows = np.array([corpus.row_of[int(pid)] for pid in ids], dtype=np.intp)
        scores = np.zeros((len(rows), len(rows)), dtype=np.float32)
        for start in range(0, len(rows), block):
            askers = rows[start : start + block]
            scores[:, start : start + len(askers)] = self._cross_scores(
                corpus, rows, askers, grounded=grounded
            )
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
        present = {
            name: corpus.present[stored][rows] & corpus.present[asked][askers]
            for name, stored, asked in SIMILARITIES
        }
        similarity["city"] = (corpus.cities[rows] == corpus.cities[askers]).astype(np.float32)
        present["city"] = (corpus.cities[rows] >= 0) & (corpus.cities[askers] >= 0)
        similarity["city"] *= present["city"]
        score, reciprocal, overlap = self._fuse(similarity, present)
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
        min_score: float = MIN_SCORE,
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

        def has(matrices: Mapping[str, sparse.csr_matrix], part: str) -> BoolArray:
            rows_with_terms: BoolArray = np.diff(matrices[part].indptr) > 0
            return rows_with_terms

        present = {
            name: has(stored, stored_part)[:, None] & has(asked, asked_part)[None, :]
            for name, stored_part, asked_part in SIMILARITIES
        }
        theirs = np.array([place_key(c.city) for c in candidates], dtype=np.str_)
        mine = np.array([place_key(a.city) for a in askers], dtype=np.str_)
        present["city"] = (theirs != "")[:, None] & (mine != "")[None, :]
        similarity["city"] = ((theirs[:, None] == mine[None, :]) & present["city"]).astype(
            np.float32
        )
        score, reciprocal, overlap = self._fuse(similarity, present)
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
            # The name is a one-line description ("Kampot Dairy School"); reading both as
            # one document lets a newcomer's name meet an established profile's text.
            "description": _phrase_terms([profile.name, profile.description], self.taxonomy),
        }

    def _part_matrices(self, terms: Sequence[PartTerms]) -> dict[str, sparse.csr_matrix]:
        if self.weights_ is None:
            empty = sparse.csr_matrix((len(terms), 0), dtype=np.float32)
            return dict.fromkeys(PARTS, empty)
        return {
            part: vectorize(
                self.weights_, [doc[part] for doc in terms], informative=part in _ITEM_PARTS
            )
            for part in PARTS
        }

    def _transform_one(self, profile: Profile) -> dict[str, sparse.csr_matrix]:
        return self._part_matrices([self._part_terms(profile)])

    def _lay_out(self, asked: Mapping[str, sparse.csr_matrix]) -> sparse.csr_matrix:
        """Lay the asker's parts on a diagonal, each on the block of the part it meets."""
        blocks = [asked[asked_part] for _, _, asked_part in SIMILARITIES]
        return sparse.block_diag(blocks, format="csr", dtype=np.float32)

    def _transform_phrases(self, phrases: Sequence[str]) -> sparse.csr_matrix:
        assert self.weights_ is not None
        return vectorize(
            self.weights_, [_phrase_terms([phrase], self.taxonomy) for phrase in phrases]
        )

    def _check_params(self) -> None:
        if not 0.0 <= self.one_sided_factor <= 1.0:
            raise ValueError("one_sided_factor must be within [0, 1]")
        if not 0.0 <= self.graph_weight <= 1.0:
            raise ValueError("graph_weight must be within [0, 1]")
        if self.concept_weight <= 0:
            raise ValueError("concept_weight must be positive")
        weights = self._weights()
        if min(weights.values()) < 0 or sum(weights.values()) <= 0:
            raise ValueError("part weights must be non-negative and not all zero")

    def _check_fitted(self) -> None:
        if not hasattr(self, "corpus_"):
            raise NotFittedError("call fit() before using this ReciprocalRanker")

    def _weights(self) -> dict[str, float]:
        return {
            "reciprocal": self.reciprocal_weight,
            "fields": self.fields_weight,
            "programs": self.programs_weight,
            "description": self.description_weight,
            "city": self.city_weight,
        }

    def _fuse(
        self, similarity: Mapping[str, FloatArray], present: Mapping[str, BoolArray]
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Combine part similarities into (score, reciprocal, overlap); any array shape."""
        return fuse(similarity, present, self._weights(), self.one_sided_factor)

    def _graph_scores(self, query: Profile, corpus: Corpus) -> FloatArray | None:
        """Partners-of-partners score of every row, or None when the graph says nothing."""
        if self.graph_weight <= 0 or not query.existing_partners:
            return None
        found = shared_partner_scores(query.existing_partners, corpus.profiles, corpus.declared_by)
        rows = [corpus.row_of[c] for c in found if c in corpus.row_of]
        if not rows:
            return None
        graph = np.zeros(len(corpus.ids), dtype=np.float32)
        graph[rows] = [found[int(corpus.ids[row])] for row in rows]
        top = float(graph.max())
        return graph / top if top > 0 else None

    def _shared_names(self, query: Profile, candidate: Profile, corpus: Corpus) -> list[str]:
        if self.graph_weight <= 0 or not query.existing_partners or candidate.id is None:
            return []
        shared = shared_partners(
            query.existing_partners, candidate.id, corpus.profiles, corpus.declared_by
        )
        return [corpus.profiles[p].name for p in shared if p in corpus.profiles]

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
        self,
        corpus: Corpus,
        rows: npt.NDArray[np.intp],
        askers: npt.NDArray[np.intp],
        *,
        grounded: bool = False,
    ) -> FloatArray:
        """Scores of ``rows`` (as candidates, down) for ``askers`` (across)."""
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
        score, _, _ = self._fuse(similarity, present)
        if grounded:
            shared = (
                (similarity["they_meet_my_needs"] > 0)
                | (similarity["i_meet_their_needs"] > 0)
                | (similarity["fields"] > 0)
            )
            score = np.where(shared, score, 0.0).astype(np.float32)
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
    parts = {name: float(similarity[name][at]) for name in OVERLAP_PARTS}
    graph = similarity.get("shared_partners")
    return Components(
        they_meet_my_needs=float(similarity["they_meet_my_needs"][at]),
        i_meet_their_needs=float(similarity["i_meet_their_needs"][at]),
        reciprocal=float(reciprocal[at]),
        overlap=float(overlap[at]),
        shared_partners=float(graph[at]) if graph is not None else 0.0,
        **parts,
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
