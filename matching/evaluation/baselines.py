"""The rankers compared: the service's ranking and the baselines it has to beat.

Every ranker is fitted on a :class:`Dataset` and answers ``rank(query, k, exclude)``. The
query carries, as ``existing_partners``, the partnerships known while its pair is hidden
(its partner graph); ``exclude`` lists every other partner of the asker, never returned.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any, Protocol, Self

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from matching.evaluation.datasets import Dataset
from matching.ranker import ReciprocalRanker
from matching.taxonomy import Taxonomy
from matching.text import analyze
from matching.types import CandidateFilter, Profile

__all__ = [
    "BM25Ranker",
    "PartnersOfPartnersRanker",
    "PopularityRanker",
    "RandomRanker",
    "Ranker",
    "ReciprocalBaseline",
    "WholeProfileRanker",
    "default_rankers",
]


class Ranker(Protocol):
    """Something fitted on a dataset's profiles that suggests partners for a profile."""

    def rank(self, query: Profile, k: int, exclude: frozenset[int]) -> list[int]:
        """Return up to ``k`` candidate ids, best first, never the query or ``exclude``."""
        ...


class ReciprocalBaseline:
    """The service's ranking (:class:`ReciprocalRanker`) with the country rule off.

    Give it the service's taxonomy to measure what the service does; ``exposure`` and
    ``diversity`` are passed to every ranking (``exposure=None``: by the asker, as
    served). Stored profiles declare the partnerships known while evaluating, as the
    service's stored institutions do.
    """

    def __init__(
        self,
        *,
        taxonomy: Taxonomy | None = None,
        exposure: float | None = None,
        diversity: float = 0.0,
    ) -> None:
        self.taxonomy = taxonomy
        self.exposure = exposure
        self.diversity = diversity

    def fit(self, dataset: Dataset) -> Self:
        """Index the dataset's profiles with their known partnerships."""
        known = dataset.known()
        stored = [
            dataclasses.replace(p, existing_partners=known[p.id or 0]) for p in dataset.profiles
        ]
        self.ranker_ = ReciprocalRanker(taxonomy=self.taxonomy).fit(stored)
        return self

    def rank(self, query: Profile, k: int, exclude: frozenset[int]) -> list[int]:
        """Return the ids of the ``k`` best matches.

        The query is asked as an unsaved profile: under leave-one-out the stored partner
        still declares the hidden link, and the index would exclude it for that reason.
        """
        where = CandidateFilter(cross_border=False, exclude=exclude | {query.id or 0})
        matches = self.ranker_.rank(
            dataclasses.replace(query, id=None),
            k=k,
            where=where,
            exposure=self.exposure,
            diversity=self.diversity,
            explain=False,
        )
        return [match.id for match in matches]


def whole_text(profile: Profile) -> str:
    """Everything a profile says, one phrase per line (no bigram spans two items)."""
    parts = (profile.name, profile.city, *profile.fields, *profile.needs, *profile.offers)
    return "\n".join((*parts, *profile.programs, profile.description))


class WholeProfileRanker:
    """Plain TF-IDF cosine between whole profiles: the look-alike-loving baseline."""

    def fit(self, dataset: Dataset) -> Self:
        """Learn the vocabulary and vectorise every profile."""
        texts = [whole_text(profile) for profile in dataset.profiles]
        self.ids_ = np.array([profile.id for profile in dataset.profiles], dtype=np.int64)
        self.vectorizer_: TfidfVectorizer | None = None
        if any(analyze(text) for text in texts):
            self.vectorizer_ = TfidfVectorizer(analyzer=analyze)
            self.matrix_ = self.vectorizer_.fit_transform(texts)
        return self

    def rank(self, query: Profile, k: int, exclude: frozenset[int]) -> list[int]:
        """Return the ids of the ``k`` most similar profiles with a cosine above zero."""
        if self.vectorizer_ is None:
            return []
        asked = self.vectorizer_.transform([whole_text(query)])
        scores = np.asarray((self.matrix_ @ asked.T).toarray()).ravel()
        keep = (scores > 0) & ~np.isin(self.ids_, _unwanted(query, exclude))
        return _best(self.ids_[keep], scores[keep], k)


class BM25Ranker:
    """Okapi BM25 over whole profiles (the same text and analyzer as plain TF-IDF).

    ``k1`` and ``b`` are the usual defaults (Robertson and Zaragoza); IDF is
    ``log(1 + (N - df + 0.5) / (df + 0.5))``, never negative.
    """

    def __init__(self, *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b

    def fit(self, dataset: Dataset) -> Self:
        """Count terms and weigh every (profile, term) once."""
        texts = [whole_text(profile) for profile in dataset.profiles]
        self.ids_ = np.array([profile.id for profile in dataset.profiles], dtype=np.int64)
        self.vectorizer_: CountVectorizer | None = None
        if not any(analyze(text) for text in texts):
            return self
        self.vectorizer_ = CountVectorizer(analyzer=analyze)
        counts = sparse.csr_matrix(self.vectorizer_.fit_transform(texts), dtype=np.float64)
        n = counts.shape[0]
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        length = np.asarray(counts.sum(axis=1)).ravel()
        norm = self.k1 * (1 - self.b + self.b * length / max(float(length.mean()), 1e-9))
        rows = np.repeat(np.arange(n), np.diff(counts.indptr))
        tf = counts.data
        counts.data = idf[counts.indices] * tf * (self.k1 + 1) / (tf + norm[rows])
        self.weights_ = counts
        return self

    def rank(self, query: Profile, k: int, exclude: frozenset[int]) -> list[int]:
        """Return the ids of the ``k`` best-scoring profiles with a score above zero."""
        if self.vectorizer_ is None:
            return []
        asked = self.vectorizer_.transform([whole_text(query)])
        asked.data = np.ones_like(asked.data)  # each query term once, as usual
        scores = np.asarray((self.weights_ @ asked.T).toarray()).ravel()
        keep = (scores > 0) & ~np.isin(self.ids_, _unwanted(query, exclude))
        return _best(self.ids_[keep], scores[keep], k)


class PartnersOfPartnersRanker:
    """Candidates sharing the most partners with the asker, weighted by Adamic–Adar.

    A shared partner ``p`` counts ``1 / log(degree of p)``: a partner of everyone says
    little. Only the graph known while the pair is hidden is read: the asker's partners
    come from the query, everyone else's from the dataset's known partnerships.
    """

    def fit(self, dataset: Dataset) -> Self:
        """Remember who is known to work with whom."""
        self.known_ = dataset.known()
        self.ids_ = np.array(sorted(self.known_), dtype=np.int64)
        return self

    def rank(self, query: Profile, k: int, exclude: frozenset[int]) -> list[int]:
        """Return the ids of the ``k`` candidates with the highest Adamic–Adar score."""
        scores: dict[int, float] = {}
        for partner in query.existing_partners:
            others = self.known_.get(partner, frozenset())
            if len(others) < 2:
                continue
            for candidate in others:
                scores[candidate] = scores.get(candidate, 0.0) + 1 / math.log(len(others))
        unwanted = set(_unwanted(query, exclude)) | query.existing_partners
        ranked = {c: s for c, s in scores.items() if c not in unwanted}
        ids = np.array(list(ranked), dtype=np.int64)
        return _best(ids, np.array(list(ranked.values()), dtype=np.float64), k)


class PopularityRanker:
    """Candidates with the most known partnerships first (ties by ascending id).

    Only partnerships known while the pair is hidden count: the held-out link (known to
    the dataset, missing from the query's partners) is taken off.
    """

    def fit(self, dataset: Dataset) -> Self:
        """Count every profile's known partnerships."""
        self.known_ = dataset.known()
        self.ids_ = np.array(sorted(self.known_), dtype=np.int64)
        self.degree_ = np.array([len(self.known_[i]) for i in self.ids_], dtype=np.float64)
        return self

    def rank(self, query: Profile, k: int, exclude: frozenset[int]) -> list[int]:
        """Return the ids of the ``k`` most-partnered candidates."""
        hidden = self.known_.get(query.id or 0, frozenset()) - query.existing_partners
        degree = self.degree_ - np.isin(self.ids_, list(hidden))
        keep = ~np.isin(self.ids_, _unwanted(query, exclude))
        return _best(self.ids_[keep], degree[keep], k)


class RandomRanker:
    """A seeded random order of every candidate, the same for the same seed and query."""

    def __init__(self, *, seed: int = 0) -> None:
        self.seed = seed

    def fit(self, dataset: Dataset) -> Self:
        """Remember the candidate ids."""
        self.ids_ = np.array([profile.id for profile in dataset.profiles], dtype=np.int64)
        return self

    def rank(self, query: Profile, k: int, exclude: frozenset[int]) -> list[int]:
        """Return ``k`` candidate ids in a random order seeded by the seed and the query."""
        order = np.random.default_rng((self.seed, query.id or 0)).permutation(self.ids_)
        keep = ~np.isin(order, _unwanted(query, exclude))
        return [int(i) for i in order[keep][:k]]


def _unwanted(query: Profile, exclude: frozenset[int]) -> list[int]:
    return [*exclude] if query.id is None else [query.id, *exclude]


def _best(ids: npt.NDArray[np.int64], scores: npt.NDArray[Any], k: int) -> list[int]:
    order = np.lexsort((ids, -scores))
    return [int(i) for i in ids[order][:k]]


def default_rankers(
    dataset: Dataset, *, seed: int = 0, taxonomy: Taxonomy | None = None
) -> Mapping[str, Ranker]:
    """Return the compared rankers, fitted on ``dataset``, by display name.

    The service's ranking appears twice: as served by default, and with ``exposure=1``
    (see ``docs/ranking.md``) to show what spreading exposure costs and gains.
    """
    return {
        "reciprocal": ReciprocalBaseline(taxonomy=taxonomy).fit(dataset),
        "reciprocal, exposure=1": ReciprocalBaseline(taxonomy=taxonomy, exposure=1.0).fit(dataset),
        "whole-profile TF-IDF": WholeProfileRanker().fit(dataset),
        "BM25": BM25Ranker().fit(dataset),
        "partners of partners": PartnersOfPartnersRanker().fit(dataset),
        "popularity": PopularityRanker().fit(dataset),
        "random": RandomRanker(seed=seed).fit(dataset),
    }
