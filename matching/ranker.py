"""The reciprocal TF-IDF ranker: who offers what I need, and needs what I offer.

Every profile is cut into five documents (needs, offers, fields, programs, and the name
with the description) that share one TF-IDF vocabulary, fitted on whole profiles so a
term's weight reflects how many institutions use it. For an asker ``q`` and a candidate ``c``:

    a = cos(offers_c, needs_q)            they meet my needs
    b = cos(needs_c, offers_q)            I meet their needs
    reciprocal = 2ab / (a + b)            when both directions are known
    fields, programs                      informative overlap of the items (not a cosine)
    description (with the name)           cosine; city: 1 when both are in the same one
    text = weighted mean over the parts both sides hold     (matching.score)
    score = (1 - wg) * text + wg * partners-of-partners     (matching.graph)
    the ``graph_places`` candidates sharing the most partners always make the list

The harmonic mean is zero when either direction is zero, so a one-sided pair ranks below
a mutual one and a look-alike competitor can only score through the lighter parts. A part
one side left empty is unknown rather than zero. See ``docs/ranking.md``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Self

import numpy as np
import numpy.typing as npt
from scipy import sparse

from matching import pairwise, unindexed
from matching.candidates import best_linked, rerank, top_rows, unique_stored, with_reserved
from matching.corpus import PARTS, Corpus
from matching.documents import (
    AskedParts,
    PartTerms,
    asker_terms,
    holds_only_text,
    part_matrices,
    part_terms,
    stored_parts,
)
from matching.floor import MIN_SCORE
from matching.graph import blend, graph_scores
from matching.phrase_reasons import PhraseReasons
from matching.phrases import PhraseVectors
from matching.said import said_matches
from matching.score import fuse
from matching.taxonomy import Taxonomy
from matching.types import CandidateFilter, Match, Profile
from matching.vectors import TermWeights, fit_term_weights

__all__ = ["ReciprocalRanker"]

_POOL_PER_RESULT, _MIN_POOL = 5, 50
FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]


class ReciprocalRanker:
    """Rank stored profiles as partners for a profile, reciprocally.

    Parameters
    ----------
    reciprocal_weight, fields_weight, programs_weight, description_weight, city_weight:
        Relative weights; a score is the weighted mean over the parts both profiles hold.
    one_sided_factor:
        Multiplier on the one known direction when a side left its needs or offers empty.
    graph_weight:
        Share of the score given to partners in common (:mod:`matching.graph`); 0 is off.
    graph_places:
        How many of the candidates sharing the most partners always get a place in a
        list (its last places, when the fused score left them out); 0 is off, and so
        is a ``graph_weight`` of 0.
    taxonomy:
        Canonical concepts to find in the text; each concept mentioned adds one term, so
        profiles in different languages meet on the concepts they share.
    concept_weight:
        How much heavier a concept term weighs than an ordinary term.
    text_only_concepts, text_only_exposure:
        For an asker holding only text (no needs, offers, fields or programs): whether its
        description keeps its concept terms, and the ``exposure`` its lists get unless the
        caller gives one (``docs/ranking.md``, third round).
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
        graph_weight: float = 0.2,
        graph_places: int = 2,
        taxonomy: Taxonomy | None = None,
        concept_weight: float = 3.0,
        text_only_concepts: bool = False,
        text_only_exposure: float = 0.5,
    ) -> None:
        self.reciprocal_weight = reciprocal_weight
        self.fields_weight = fields_weight
        self.programs_weight = programs_weight
        self.description_weight = description_weight
        self.city_weight = city_weight
        self.one_sided_factor = one_sided_factor
        self.graph_weight = graph_weight
        self.graph_places = graph_places
        self.taxonomy = taxonomy
        self.concept_weight = concept_weight
        self.text_only_concepts = text_only_concepts
        self.text_only_exposure = text_only_exposure

    def fit(self, profiles: Iterable[Profile]) -> Self:
        """Learn the vocabulary and IDF from ``profiles`` and index them all."""
        self._check_params()
        stored = unique_stored(profiles)
        terms = [part_terms(profile, self.taxonomy) for profile in stored]
        documents = [[term for part in PARTS for term in doc[part]] for doc in terms]
        self.weights_: TermWeights | None = fit_term_weights(
            documents, boosted_prefix="~", boost=self.concept_weight
        )
        self.terms_: npt.NDArray[np.str_] = (
            self.weights_.terms if self.weights_ is not None else np.array([], dtype=np.str_)
        )
        self.corpus_ = Corpus.build(stored, self._part_matrices(terms), self.taxonomy)
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
        new = unique_stored(profiles)
        if not new:
            return self
        if self.weights_ is None:
            current = dict(self.corpus_.profiles)
            current.update((int(p.id or 0), p) for p in new)
            return self.fit(current.values())
        terms = [part_terms(profile, self.taxonomy) for profile in new]
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

    def rank(
        self,
        query: Profile,
        *,
        k: int = 10,
        where: CandidateFilter | None = None,
        diversity: float = 0.0,
        exposure: float | None = None,
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
        partner for a fixed sample of stored institutions; ``None`` means by the asker:
        ``text_only_exposure`` for one holding only text, else 0. Both change the order only;
        each match keeps its own score. ``explain=False`` skips the reasons (they are the
        costliest part of a ranking) for callers that only need the order.
        """
        self._check_fitted()
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        if exposure is None:
            exposure = self.text_only_exposure if holds_only_text(query) else 0.0
        if not (0.0 <= diversity <= 1.0 and 0.0 <= exposure <= 1.0):
            raise ValueError("diversity and exposure must be within [0, 1]")
        where = where or CandidateFilter()
        corpus = self.corpus_
        if self.weights_ is None or not len(corpus.ids):
            return []
        score, similarity, reciprocal, overlap = self.score_all(query, corpus)
        graph = graph_scores(query, corpus) if self.graph_weight > 0 else None
        if graph is not None:
            similarity = {**similarity, "shared_partners": graph}
            score = blend(score, graph, self.graph_weight)
        if diversity > 0 or exposure > 0:
            pool = top_rows(corpus, query, score, max(_POOL_PER_RESULT * k, _MIN_POOL), where)
            appeal = functools.partial(pairwise.appeal, corpus, fuse=self.fuse_parts)
            rows = rerank(
                corpus, pool, score, k, diversity=diversity, exposure=exposure, appeal=appeal
            )
        else:
            rows = top_rows(corpus, query, score, k, where)
        if graph is not None and self.graph_places > 0:
            # Text and graph find nearly disjoint true partners (docs/ranking.md).
            linked = best_linked(corpus, query, score, graph, where, min(self.graph_places, k))
            rows = with_reserved(rows, linked, k)
        candidates = [corpus.profiles[int(corpus.ids[row])] for row in rows]
        return self.matches(
            [(query, candidate) for candidate in candidates],
            [int(corpus.ids[row]) for row in rows],
            score[rows],
            {name: values[rows] for name, values in similarity.items()},
            reciprocal[rows],
            overlap[rows],
            explain=explain,
        )

    def score_all(
        self, query: Profile, corpus: Corpus | None = None
    ) -> tuple[FloatArray, dict[str, FloatArray], FloatArray, FloatArray]:
        """Score ``query`` against every row: (score, similarities, reciprocal, overlap).

        Rows are the corpus's rows (``corpus.ids``), dead ones included; nothing is
        filtered here.
        """
        self._check_fitted()
        corpus = corpus or self.corpus_
        # A stored asker's indexed rows are its terms, unless the text-only rule drops some.
        own_rows = self.text_only_concepts or not holds_only_text(query)
        asked = (stored_parts(corpus, query) if own_rows else None) or self._asked_parts(query)
        similarity = corpus.similarities(asked)
        present = pairwise.present_in_index(corpus, asked)
        similarity["city"], present["city"] = pairwise.locality(corpus, query.city)
        weights = self._weights()
        weighed = pairwise.kept_weighing(corpus, present, weights)
        fused = fuse(similarity, present, weights, self.one_sided_factor, weighed)
        score, reciprocal, overlap = fused
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
        return pairwise.mutual_scores(corpus, rows, self.fuse_parts, block=block, grounded=grounded)

    def explain_pairs(self, pairs: Sequence[tuple[int, int]]) -> list[Match]:
        """Return, for each stored pair ``(a, b)``, b as a match for a: score, parts, reasons."""
        self._check_fitted()
        corpus = self.corpus_
        if not pairs:
            return []
        askers = np.array([corpus.row_of[int(a)] for a, _ in pairs], dtype=np.intp)
        rows = np.array([corpus.row_of[int(b)] for _, b in pairs], dtype=np.intp)
        similarity, present = pairwise.of_pairs(corpus, rows, askers)
        score, reciprocal, overlap = self.fuse_parts(similarity, present)
        profiles = [(corpus.profiles[int(a)], corpus.profiles[int(b)]) for a, b in pairs]
        ids = [int(b) for _, b in pairs]
        return self.matches(
            profiles, ids, score, similarity, reciprocal, overlap, explain=True, by_asker=True
        )

    def score_profiles(
        self, askers: Sequence[Profile], candidates: Sequence[Profile]
    ) -> FloatArray:
        """Return the scores (askers x candidates) of profiles that need not be indexed.

        Both sides are transformed with the fitted vocabulary and nothing is added to the
        index; each score is the one ``rank`` would give that candidate for that asker.
        Ids, countries and partners are not looked at: filtering is the caller's.
        """
        self._check_fitted()
        return unindexed.score_profiles(self, askers, candidates)

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
        return unindexed.rank_profiles(
            self, query, candidates, k=k, min_score=min_score, explain=explain
        )

    def _part_matrices(self, terms: Sequence[PartTerms]) -> dict[str, sparse.csr_matrix]:
        return part_matrices(self.weights_, terms)

    def _transform_one(self, profile: Profile) -> dict[str, sparse.csr_matrix]:
        terms = asker_terms(profile, self.taxonomy, concepts=self.text_only_concepts)
        return self._part_matrices([terms])

    def _asked_parts(self, profile: Profile) -> AskedParts:
        return {part: (row.indices, row.data) for part, row in self._transform_one(profile).items()}

    def _phrase_reasons(self) -> PhraseReasons:
        """The reasons quoting phrases and the phrase vectors they compare, kept while the
        vocabulary stands."""
        phrases: PhraseReasons | None = getattr(self, "_phrases", None)
        if phrases is None or phrases.vectors.weights is not self.weights_:
            phrases = PhraseReasons(PhraseVectors(self.weights_, self.taxonomy))
            self._phrases = phrases
        return phrases

    def _check_params(self) -> None:
        for name in ("one_sided_factor", "graph_weight", "text_only_exposure"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be within [0, 1]")
        if self.graph_places < 0:
            raise ValueError("graph_places must not be negative")
        if self.concept_weight <= 0:
            raise ValueError("concept_weight must be positive")
        weights = self._weights()
        if min(weights.values()) < 0 or sum(weights.values()) <= 0:
            raise ValueError("part weights must be non-negative and not all zero")

    def _check_fitted(self) -> None:
        if not hasattr(self, "corpus_"):
            from sklearn.exceptions import NotFittedError  # only when misused

            raise NotFittedError("call fit() before using this ReciprocalRanker")

    def _weights(self) -> dict[str, float]:
        return {
            "reciprocal": self.reciprocal_weight,
            "fields": self.fields_weight,
            "programs": self.programs_weight,
            "description": self.description_weight,
            "city": self.city_weight,
        }

    def fuse_parts(
        self, similarity: Mapping[str, FloatArray], present: Mapping[str, BoolArray | bool]
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Combine part similarities into (score, reciprocal, overlap); any array shape."""
        return fuse(similarity, present, self._weights(), self.one_sided_factor)

    def matches(
        self,
        pairs: Sequence[tuple[Profile, Profile]],
        ids: Sequence[int],
        score: FloatArray,
        similarity: Mapping[str, FloatArray],
        reciprocal: FloatArray,
        overlap: FloatArray,
        *,
        explain: bool,
        by_asker: bool = False,
    ) -> list[Match]:
        """Matches for (asker, candidate) pairs, the arrays holding one position per pair
        (:func:`matching.said.said_matches`)."""
        phrases = self._phrase_reasons() if explain else None
        return said_matches(
            pairs, ids, score, similarity, reciprocal, overlap, phrases, self.corpus_, by_asker
        )
