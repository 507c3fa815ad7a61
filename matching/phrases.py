"""Phrases compared for reasons: each profile's vectorised once, a request's all at once.

A reason quotes the pair of phrases (a need and an offer, two fields...) that meet best in
the TF-IDF space of the score. :class:`PhraseVectors` keeps each profile's phrases as
vectors under one fitted vocabulary, so a candidate explained to many askers is analysed
once, not per request. :class:`PhraseSpace` lays the phrases of one request end to end
and takes the cosines of the askers' phrases with every phrase in one pass, so choosing
the best pairs of every (asker, candidate) pair is a few array operations, not a loop
per pair.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from matching.documents import phrase_terms, stored_parts, text_of
from matching.taxonomy import Taxonomy
from matching.types import Profile
from matching.vectors import TermWeights, vectorize

if TYPE_CHECKING:
    from matching.corpus import Corpus, Terms

__all__ = ["COMMON_IDF", "PhraseSpace", "PhraseVectors", "about", "phrases_of"]

Rows = npt.NDArray[np.intp]
Span = tuple[int, int]  # (first row, how many rows)
# A profile's phrases are cached by its text (``text_of``): a profile read back from the
# database is a new object, and profiles that say the same things share one entry.
_Key = tuple[object, ...]
# How many profiles' phrases are kept (about 1 kB each); the store is emptied when full
# rather than grown without bound.
_CAPACITY = 1 << 14
# Phrases kept beside the profiles' blocks: this many per profile the store holds (a
# profile lists about ten phrases, most of them shared with other profiles).
_PHRASES_PER_PROFILE = 4
_NO_INDICES = np.zeros(0, np.int32)
_NO_DATA = np.zeros(0, np.float32)
# A term that half the institutions or more use (smooth IDF at most 1 + ln 2) says
# nothing about a pair: survey headings copied into every description ("Challenges:",
# "Strategies:") or a word in every name are never quoted.
COMMON_IDF = 1.0 + math.log(2.0)


def phrases_of(profile: Profile) -> list[str]:
    """Every phrase of a profile that a reason may quote or compare, in block order."""
    return [
        *profile.needs,
        *profile.offers,
        *profile.fields,
        *profile.programs,
        about(profile),
    ]


def about(profile: Profile) -> str:
    """The name and the description, as the ranker reads them (a line break ends a phrase)."""
    return f"{profile.name}\n{profile.description}"


@dataclass(frozen=True, slots=True)
class _Block:
    """One profile's phrases as CSR rows, in the order of :func:`phrases_of`."""

    lengths: npt.NDArray[np.int32]  # how many terms each phrase has
    indices: npt.NDArray[np.int32]
    data: npt.NDArray[np.float32]


class PhraseVectors:
    """Each profile's phrases as L2-normalised TF-IDF rows under one fitted vocabulary."""

    def __init__(
        self, weights: TermWeights | None, taxonomy: Taxonomy | None, capacity: int = _CAPACITY
    ) -> None:
        self.weights = weights
        self.taxonomy = taxonomy
        self._capacity = capacity
        self._known: dict[_Key, _Block] = {}
        self._phrases: dict[str, Terms] = {}

    def blocks(
        self, profiles: Mapping[_Key, Profile], corpus: Corpus | None = None
    ) -> list[_Block]:
        """Return the block of each profile (by its key), vectorising only the profiles
        whose text was not seen (their name and description read from ``corpus`` when it
        indexes them, see :func:`_indexed_about`)."""
        known = self._known
        found = [known.get(key) for key in profiles]
        if all(block is not None for block in found):
            return found  # type: ignore[return-value]
        missing = [key for key, block in zip(profiles, found, strict=True) if block is None]
        vectorized = self._vectorize([profiles[key] for key in missing], corpus)
        fresh = dict(zip(missing, vectorized, strict=True))
        if len(known) + len(fresh) > self._capacity:
            known.clear()
        known.update(fresh)
        return [
            fresh[key] if block is None else block
            for key, block in zip(profiles, found, strict=True)
        ]

    def _vectorize(self, profiles: Sequence[Profile], corpus: Corpus | None) -> list[_Block]:
        phrases = [phrases_of(profile) for profile in profiles]
        if self.weights is None:
            nothing = (np.zeros(0, np.int32), np.zeros(0, np.float32))
            return [_Block(np.zeros(len(listed), np.int32), *nothing) for listed in phrases]
        indexed = [
            _indexed_about(corpus, profile) if corpus is not None else None for profile in profiles
        ]
        # Lines analysed alone give the same terms, and hit the cache of the fit (about()).
        analysed = [
            listed if row is None else listed[:-1]
            for listed, row in zip(phrases, indexed, strict=True)
        ]
        rows = self._rows(list(dict.fromkeys(p for listed in analysed for p in listed)))
        blocks = []
        for listed, row in zip(analysed, indexed, strict=True):
            parts = [rows[phrase] for phrase in listed]
            if row is not None:  # the about phrase, as the index holds it
                parts.append(row)
            blocks.append(
                _Block(
                    np.array([len(indices) for indices, _ in parts], dtype=np.int32),
                    np.concatenate([_NO_INDICES, *(indices for indices, _ in parts)]).astype(
                        np.int32, copy=False
                    ),
                    np.concatenate([_NO_DATA, *(data for _, data in parts)]).astype(
                        np.float32, copy=False
                    ),
                )
            )
        return blocks

    def _rows(self, phrases: Sequence[str]) -> dict[str, Terms]:
        """The row of each phrase, vectorising only those not seen before.

        Phrases recur across profiles far more than profiles recur across requests (a
        field label, a stock need such as "internships with free accommodation"), and a
        phrase's row depends on its text alone (each row is normalised by itself).
        """
        assert self.weights is not None
        known = self._phrases
        # Each row is looked up once: two requests' rankings may share this store, and
        # the other may empty it between two lookups.
        found = {phrase: known.get(phrase) for phrase in phrases}
        unseen = [phrase for phrase, row in found.items() if row is None]
        fresh: dict[str, Terms] = {}
        if unseen:
            split = [phrase_terms(phrase.split("\n"), self.taxonomy) for phrase in unseen]
            matrix = vectorize(self.weights, split)
            bounds = matrix.indptr.tolist()
            for at, phrase in enumerate(unseen):
                start, end = bounds[at], bounds[at + 1]
                fresh[phrase] = (matrix.indices[start:end], matrix.data[start:end])
        if len(known) + len(fresh) > self._capacity * _PHRASES_PER_PROFILE:
            known.clear()
        known.update(fresh)
        return {phrase: row if row is not None else fresh[phrase] for phrase, row in found.items()}


def _indexed_about(corpus: Corpus, profile: Profile) -> Terms | None:
    """The row of a profile's name and description, if ``corpus`` indexes its very text.

    The indexed description row is the vector of the terms of ``[name, description]``;
    the about phrase's is that of its lines: the same terms, hence the same row, unless a
    line break splits the description (then the lines are analysed, as before). Reading
    it spares analysing a unique text per candidate, most of a request's reasons once the
    corpus is larger than the phrase store.
    """
    if "\n" in profile.name or "\n" in profile.description:
        return None
    stored = stored_parts(corpus, profile)
    return stored["description"] if stored is not None else None


class PhraseSpace:
    """The phrases of one request's profiles as rows, each profile's block in turn.

    The askers' blocks come first. Rows are dense over only the columns the askers'
    phrases use: a cosine or a shared term needs a term of the asker, and the asker's
    phrases are a few dozen columns where the vocabulary has many thousands.
    """

    def __init__(
        self,
        askers: Sequence[Profile],
        others: Sequence[Profile],
        vectors: PhraseVectors,
        corpus: Corpus | None = None,
    ) -> None:
        profiles = (*askers, *others)
        keys = [text_of(profile) for profile in profiles]
        unique = dict(zip(keys[: len(askers)], askers, strict=True))
        asking = len(unique)
        for key, profile in zip(keys[len(askers) :], others, strict=True):
            unique.setdefault(key, profile)
        blocks = vectors.blocks(unique, corpus)
        starts = list(itertools.accumulate((len(b.lengths) for b in blocks), initial=0))
        first = dict(zip(unique, starts, strict=False))
        self._spans: dict[int, dict[str, Span]] = {}
        for key, profile in zip(keys, profiles, strict=True):
            if id(profile) not in self._spans:  # an asker is in every pair of a ranking
                self._spans[id(profile)] = _spans(profile, first[key])
        rows, self._asking = starts[-1], starts[asking]
        owner = np.repeat(
            np.arange(rows), np.concatenate([np.zeros(0, np.int32), *(b.lengths for b in blocks)])
        )
        indices = np.concatenate([np.zeros(0, np.int32), *(b.indices for b in blocks)])
        data = np.concatenate([np.zeros(0, np.float32), *(b.data for b in blocks)])
        mine = sum(len(b.indices) for b in blocks[:asking])
        self._known = np.unique(indices[:mine])
        self._dense = np.zeros((rows, len(self._known)), dtype=np.float64)
        if len(self._known):
            at = np.minimum(np.searchsorted(self._known, indices), len(self._known) - 1)
            hit = self._known[at] == indices
            self._dense[owner[hit], at[hit]] = data[hit]
        self._weights = vectors.weights

    def spans(self, profile: Profile) -> dict[str, Span]:
        """The rows of each of a profile's lists (``needs``... ``programs``) and its
        ``about`` row (the name with the description); the profile must have been given."""
        return self._spans[id(profile)]

    def best_pairs(
        self, lefts: Sequence[Span], rights: Sequence[Span], limits: Sequence[int]
    ) -> list[list[tuple[int, int]]]:
        """For each (rows of an asker's list, rows of another list, limit): the positions
        ``(i, j)`` in the two lists of up to ``limit`` pairs with the highest positive
        cosine, best first.

        Each phrase is used at most once, so two reasons never repeat the same phrase; ties
        go to the earlier left phrase, then the earlier right one.
        """
        chosen: list[list[tuple[int, int]]] = [[] for _ in lefts]
        rows, asking = self._dense.shape[0], self._asking
        left_rows = _padded(lefts, pad=asking)
        right_rows = _padded(rights, pad=rows)
        count, width = len(lefts), right_rows.shape[1]
        if not count or not left_rows.shape[1] or not width:
            return chosen
        # The cosine of every row with every asker's row; padding (the last row and the
        # last column) meets nothing.
        cosines = np.full((rows + 1, asking + 1), -np.inf)
        cosines[:rows, :asking] = self._dense @ self._dense[:asking].copy().T
        grid = cosines[right_rows[:, None, :], left_rows[:, :, None]]
        flat = grid.reshape(count, -1)
        limit = np.asarray(limits)
        everyone = np.arange(count)
        for step in range(int(limit.max())):
            best = flat.argmax(axis=1)  # the first of equals: the stable order
            taken = np.flatnonzero((flat[everyone, best] > 0) & (limit > step))
            if not len(taken):
                break
            i, j = np.divmod(best[taken], width)
            for who, left, right in zip(taken.tolist(), i.tolist(), j.tolist(), strict=True):
                chosen[who].append((left, right))
            grid[taken, i, :] = -np.inf
            grid[taken, :, j] = -np.inf
        return chosen

    def shared_terms(
        self, lefts: Sequence[int], rights: Sequence[int], limit: int
    ) -> list[list[str]]:
        """For each (asker's row, other row): the terms contributing most to their cosine,
        best first, ties by column; concept terms and terms most institutions use are left
        out."""
        weights = self._weights
        if weights is None or not lefts or not len(self._known):
            return [[] for _ in lefts]
        terms = weights.terms[self._known]
        # Concept terms ("~field:cnc") are bookkeeping, not words a reader would recognise.
        quoted = (weights.weights[self._known] > COMMON_IDF) & ~np.char.startswith(
            terms.astype(np.str_), "~"
        )
        contribution = self._dense[lefts] * self._dense[rights] * quoted
        order = np.argsort(-contribution, axis=1, kind="stable")[:, :limit]
        best = np.take_along_axis(contribution, order, axis=1)
        return [
            [str(terms[k]) for k, value in zip(row, values, strict=True) if value > 0]
            for row, values in zip(order.tolist(), best.tolist(), strict=True)
        ]


def _spans(profile: Profile, at: int) -> dict[str, Span]:
    needs, offers = len(profile.needs), len(profile.offers)
    fields, programs = len(profile.fields), len(profile.programs)
    return {
        "needs": (at, needs),
        "offers": (at + needs, offers),
        "fields": (at + needs + offers, fields),
        "programs": (at + needs + offers + fields, programs),
        "about": (at + needs + offers + fields + programs, 1),
    }


def _padded(spans: Sequence[Span], pad: int) -> Rows:
    """The rows of each span, one span per row, padded with ``pad``."""
    first = np.array([start for start, _ in spans], dtype=np.intp)
    count = np.array([length for _, length in spans], dtype=np.intp)
    step = np.arange(int(count.max()) if len(count) else 0)
    return np.where(step[None, :] < count[:, None], first[:, None] + step[None, :], pad)
