"""The reasons that quote phrases, drawn once per pair of texts and kept.

A reason quoting phrases (their offer meeting your need, your offer meeting their need,
shared fields or programs, terms the descriptions share) depends only on the two
profiles' text, on which parts of their score are above zero, and on the fitted
vocabulary. The same pairs are explained again and again: every reader of an
institution's suggestions asks for the same partners, and every workshop plan pairs the
same schools. Comparing their phrases (:class:`~matching.phrases.PhraseSpace`) was a
quarter of a match request's CPU at 1,000 profiles, so each pair's reasons are drawn
once and kept while the vocabulary stands: a new fit comes with a new store, and an
edited profile has a new text, hence a new key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from matching.documents import text_of
from matching.phrases import PhraseSpace, PhraseVectors
from matching.types import Components, Profile, Reason, ReasonKind

if TYPE_CHECKING:
    from matching.corpus import Corpus

__all__ = ["PhraseKind", "PhraseReasons", "phrase_kinds"]

PhraseKind = Literal["offer", "need", "fields", "programs", "description"]
_PairKey = tuple[tuple[object, ...], tuple[object, ...], tuple[PhraseKind, ...]]

# How many pairs of phrases a reason of each kind quotes at most, and which of the
# asker's lists meets which of the candidate's.
_LISTS: dict[PhraseKind, tuple[int, str, str]] = {
    "offer": (2, "needs", "offers"),
    "need": (2, "offers", "needs"),
    "fields": (3, "fields", "fields"),
    "programs": (3, "programs", "programs"),
}
_DESCRIPTION_TERMS = 4
# Pairs kept (each a few hundred bytes: its reasons point at the profiles' own strings);
# the store is emptied when full rather than grown without bound. A thousand institutions
# with ten suggestions each are ten thousand pairs.
_CAPACITY = 1 << 15
# A pair's reasons as kept: (kind, items) as plain tuples of strings, which the garbage
# collector stops tracking. As ``Reason`` objects (a tuple subclass, always tracked),
# 30,000 pairs made every full collection take 60 ms instead of 1 (a pause a request
# would wait out).
_Kept = tuple[tuple[ReasonKind, tuple[str, ...]], ...]


def phrase_kinds(parts: Components) -> tuple[PhraseKind, ...]:
    """The kinds of phrase reasons a pair with these score parts may have, in the order
    reasons are given: a part that contributed nothing gives no reason."""
    present: tuple[tuple[PhraseKind, float], ...] = (
        ("offer", parts.they_meet_my_needs),
        ("need", parts.i_meet_their_needs),
        ("fields", parts.fields),
        ("programs", parts.programs),
        ("description", parts.description),
    )
    return tuple(kind for kind, value in present if value > 0)


class PhraseReasons:
    """The phrase reasons of (asker, candidate) pairs, compared in ``vectors``' space and
    kept by the two texts and the kinds asked (see the module)."""

    def __init__(self, vectors: PhraseVectors, capacity: int = _CAPACITY) -> None:
        self.vectors = vectors
        self._capacity = capacity
        self._kept: dict[_PairKey, _Kept] = {}

    def __len__(self) -> int:
        return len(self._kept)

    def drawn(
        self,
        pairs: Sequence[tuple[Profile, Profile]],
        kinds: Sequence[tuple[PhraseKind, ...]],
        corpus: Corpus | None = None,
    ) -> list[tuple[Reason, ...]]:
        """Return each pair's reasons of the ``kinds`` given for it, comparing phrases only
        for the pairs not seen before (``corpus``: where the profiles' indexed rows are
        read, see :class:`~matching.phrases.PhraseVectors`)."""
        kept = self._kept
        keys = [
            (text_of(asker), text_of(other), wanted)
            for (asker, other), wanted in zip(pairs, kinds, strict=True)
        ]
        # Each key is looked up once: another ranking may empty the store meanwhile.
        found = [kept.get(key) for key in keys]
        missing = [at for at, reasons in enumerate(found) if reasons is None]
        if missing:
            fresh = _compared(
                [pairs[at] for at in missing], [kinds[at] for at in missing], self.vectors, corpus
            )
            if len(kept) + len(fresh) > self._capacity:
                kept.clear()
            for at, reasons in zip(missing, fresh, strict=True):
                kept[keys[at]] = found[at] = tuple((r.kind, r.items) for r in reasons)
        return [tuple(Reason(kind, items) for kind, items in reasons or ()) for reasons in found]


def _compared(
    pairs: Sequence[tuple[Profile, Profile]],
    kinds: Sequence[tuple[PhraseKind, ...]],
    vectors: PhraseVectors,
    corpus: Corpus | None,
) -> list[tuple[Reason, ...]]:
    """The phrase reasons of each pair, all pairs compared in one space: the best-meeting
    phrase pairs quoted verbatim, and the terms the descriptions share most."""
    space = PhraseSpace([a for a, _ in pairs], [b for _, b in pairs], vectors, corpus)
    spans = [(space.spans(asker), space.spans(other)) for asker, other in pairs]
    # (pair, kind) of every list of phrases to pair up, then of every description.
    lists = [(at, kind) for at, wanted in enumerate(kinds) for kind in wanted if kind in _LISTS]
    described = [at for at, wanted in enumerate(kinds) if "description" in wanted]
    chosen = space.best_pairs(
        [spans[at][0][_LISTS[kind][1]] for at, kind in lists],
        [spans[at][1][_LISTS[kind][2]] for at, kind in lists],
        [_LISTS[kind][0] for _, kind in lists],
    )
    shared_terms = space.shared_terms(
        [spans[at][0]["about"][0] for at in described],
        [spans[at][1]["about"][0] for at in described],
        _DESCRIPTION_TERMS,
    )
    found: list[list[Reason]] = [[] for _ in pairs]
    for (at, kind), positions in zip(lists, chosen, strict=True):
        _, mine, theirs = _LISTS[kind]
        left, right = getattr(pairs[at][0], mine), getattr(pairs[at][1], theirs)
        if kind in ("offer", "need"):  # (their offer, your need) or (their need, your offer)
            found[at].extend(Reason(kind, (right[j], left[i])) for i, j in positions)
        elif positions:
            found[at].append(Reason(kind, tuple(right[j] for _, j in positions)))
    for at, terms in zip(described, shared_terms, strict=True):
        if terms:
            found[at].append(Reason("description", tuple(terms)))
    return [tuple(reasons) for reasons in found]
