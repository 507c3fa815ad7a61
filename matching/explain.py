"""Reasons in words, drawn from the same TF-IDF terms that produced the score.

For each score part that is above zero, the phrases behind it are compared one by one in
the same vector space: the best-matching pairs (a need of one side and an offer of the
other, or two fields) are quoted verbatim, so a reason stays in the script its author
wrote it in. A part that contributed nothing to the score gives no reason. The sentence around the
quotes is in the asker's language when it is one we can write (English, Chinese): the
first of the profile's ``languages`` that has templates, else Chinese when most of its
text is in Han characters, else English.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse

from matching.types import Components, Profile

__all__ = ["explain"]

Vectorize = Callable[[Sequence[str]], sparse.csr_matrix]

_TEMPLATES = {
    "en": {
        "offer": "They offer {offer}, which meets your need {need}.",
        "need": "They need {need}, which your offer {offer} meets.",
        "fields": "Shared technical fields: {items}.",
        "programs": "Both want to collaborate on {items}.",
        "description": "Their description shares the terms {items}.",
        "separator": ", ",
    },
    "zh": {
        "offer": "对方提供{offer}，可满足您的需求{need}。",
        "need": "对方需要{need}，您提供的{offer}正好满足。",
        "fields": "共同的技术领域：{items}。",
        "programs": "双方都希望合作开展{items}。",
        "description": "双方简介共有的词：{items}。",
        "separator": "、",
    },
}

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


def _quote(phrase: str) -> str:
    return f"“{phrase}”"


def _reason_language(query: Profile) -> str:
    for language in query.languages:
        if language in _TEMPLATES:
            return language
    text = "".join((*query.needs, *query.offers, *query.fields, query.description))
    letters = [char for char in text if char.isalpha()]
    han = sum("\u4e00" <= char <= "\u9fff" for char in letters)
    return "zh" if letters and han * 2 > len(letters) else "en"


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
    say = _TEMPLATES[_reason_language(query)]

    def listing(phrases: Sequence[str]) -> str:
        return say["separator"].join(_quote(phrase) for phrase in phrases)

    reasons: list[str] = []
    if components.they_meet_my_needs > 0:
        for need, offer in _best_pairs(
            query.needs, candidate.offers, vectorize, _PAIRS_PER_DIRECTION
        ):
            reasons.append(say["offer"].format(offer=_quote(offer), need=_quote(need)))
    if components.i_meet_their_needs > 0:
        for offer, need in _best_pairs(
            query.offers, candidate.needs, vectorize, _PAIRS_PER_DIRECTION
        ):
            reasons.append(say["need"].format(need=_quote(need), offer=_quote(offer)))
    if components.fields > 0:
        pairs = _best_pairs(query.fields, candidate.fields, vectorize, _SHARED_PER_LIST)
        if pairs:
            reasons.append(say["fields"].format(items=listing([theirs for _, theirs in pairs])))
    if components.programs > 0:
        pairs = _best_pairs(query.programs, candidate.programs, vectorize, _SHARED_PER_LIST)
        if pairs:
            reasons.append(say["programs"].format(items=listing([theirs for _, theirs in pairs])))
    if components.description > 0:
        shared = _shared_description_terms(query, candidate, vectorize, terms)
        if shared:
            reasons.append(say["description"].format(items=listing(shared)))
    return tuple(reasons)
