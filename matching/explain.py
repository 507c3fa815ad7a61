"""Reasons in words, drawn from the same TF-IDF terms that produced the score.

For each score part that is above zero, the phrases behind it are compared one by one in
the same vector space: the best-matching pairs (a need of one side and an offer of the
other, or two fields) are quoted verbatim, so a reason stays in the script its author
wrote it in. A part that contributed nothing to the score gives no reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse

from matching.types import Components, Profile

__all__ = ["explain"]

Vectorize = Callable[[Sequence[str]], sparse.csr_matrix]

_PAIRS_PER_DIRECTION = 2
_SHARED_PER_LIST = 3
_DESCRIPTION_TERMS = 4


def _best_pairs(
    left: Sequence[str], right: Sequence[str], vectorize: Vectorize, limit: int
) -> list[tuple[str, str]]:
    """Return up to ``limit`` (left, right) phrase pairs with the highest positive cosine.

    Each phrase is used at most once, so two reasons never repeat the same phrase.
    """
    if not left or not right:
        return []
    similarity = (vectorize(left) @ vectorize(right).T).toarray()
    pairs: list[tuple[str, str]] = []
    used_left: set[int] = set()
    used_right: set[int] = set()
    # Stable order: by similarity, then by position in each list.
    flat = np.lexsort((np.arange(similarity.size), -similarity.ravel()))
    for index in flat:
        i, j = divmod(int(index), similarity.shape[1])
        if similarity[i, j] <= 0 or len(pairs) == limit:
            break
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append((left[i], right[j]))
    return pairs


def _quote(phrases: Sequence[str]) -> str:
    return ", ".join(f"“{phrase}”" for phrase in phrases)


def _shared_description_terms(
    query: Profile, candidate: Profile, vectorize: Vectorize, terms: npt.NDArray[np.str_]
) -> list[str]:
    both = vectorize([query.description, candidate.description])
    contribution = both[0].multiply(both[1]).tocoo()
    order = np.argsort(-contribution.data, kind="stable")
    words = [str(terms[contribution.col[i]]) for i in order]
    # Concept terms ("~field:cnc") are bookkeeping, not words a reader would recognise.
    return [word for word in words if not word.startswith("~")][:_DESCRIPTION_TERMS]


def explain(
    query: Profile,
    candidate: Profile,
    components: Components,
    *,
    vectorize: Vectorize,
    terms: npt.NDArray[np.str_],
) -> tuple[str, ...]:
    """Say why ``candidate`` suits ``query``, one sentence per contributing part."""
    reasons: list[str] = []
    if components.they_meet_my_needs > 0:
        for need, offer in _best_pairs(
            query.needs, candidate.offers, vectorize, _PAIRS_PER_DIRECTION
        ):
            reasons.append(f"They offer “{offer}”, which meets your need “{need}”.")
    if components.i_meet_their_needs > 0:
        for offer, need in _best_pairs(
            query.offers, candidate.needs, vectorize, _PAIRS_PER_DIRECTION
        ):
            reasons.append(f"They need “{need}”, which your offer “{offer}” meets.")
    if components.fields > 0:
        pairs = _best_pairs(query.fields, candidate.fields, vectorize, _SHARED_PER_LIST)
        if pairs:
            reasons.append(f"Shared technical fields: {_quote([theirs for _, theirs in pairs])}.")
    if components.programs > 0:
        pairs = _best_pairs(query.programs, candidate.programs, vectorize, _SHARED_PER_LIST)
        if pairs:
            reasons.append(
                f"Both want to collaborate on {_quote([theirs for _, theirs in pairs])}."
            )
    if components.description > 0:
        shared = _shared_description_terms(query, candidate, vectorize, terms)
        if shared:
            reasons.append(f"Their description shares the terms {_quote(shared)}.")
    return tuple(reasons)
