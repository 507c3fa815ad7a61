"""Reasons in words, drawn from the same TF-IDF terms that produced the score.

For each score part that is above zero, the phrases behind it are compared one by one in
the same vector space: the best-matching pairs (a need of one side and an offer of the
other, or two fields) are quoted verbatim, so a reason stays in the script its author
wrote it in. A part that contributed nothing to the score gives no reason. A reason is
first a :class:`~matching.types.Reason` (a kind and the items it quotes); :func:`say`
puts it in words in one language, the only place the sentence templates are read. A
service says it in its reader's language (the page's, or ``Accept-Language``); without a
reader, in the asker's (:func:`reason_language`): the first of the profile's
``languages`` that has templates, else Chinese when most of its text is in Han
characters, else English.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse

from matching.types import Components, Profile, Reason

__all__ = ["LANGUAGES", "PhraseSpace", "phrases_of", "reason_language", "reasons", "say"]

Vectorize = Callable[[Sequence[str]], sparse.csr_matrix]

_TEMPLATES = {
    "en": {
        "offer": "They offer {offer}, which meets your need {need}.",
        "need": "They need {need}, which your offer {offer} meets.",
        "fields": "Shared technical fields: {items}.",
        "programs": "Both want to collaborate on {items}.",
        "description": "Their description shares the terms {items}.",
        "city": "Both are in {city}.",
        "partners": "You both work with {items}.",
        "separator": ", ",
    },
    "zh": {
        "offer": "对方提供{offer}，可满足您的需求{need}。",
        "need": "对方需要{need}，您提供的{offer}正好满足。",
        "fields": "共同的技术领域：{items}。",
        "programs": "双方都希望合作开展{items}。",
        "description": "双方简介共有的词：{items}。",
        "city": "双方都在{city}。",
        "partners": "双方都与{items}合作。",
        "separator": "、",
    },
}
LANGUAGES = tuple(_TEMPLATES)

_PAIRS_PER_DIRECTION = 2
_SHARED_PER_LIST = 3
_DESCRIPTION_TERMS = 4
_COMMON_IDF = 1.0 + math.log(2.0)


class PhraseSpace:
    """Dense TF-IDF vectors of a fixed set of phrases, over only the columns they use.

    A ranking request explains up to ``k`` matches; vectorising every phrase involved once
    and comparing dense rows is far cheaper than a sparse product per pair of lists.
    """

    def __init__(
        self,
        phrases: Iterable[str],
        vectorize: Vectorize,
        terms: npt.NDArray[np.str_],
        idf: npt.NDArray[np.float32] | None = None,
    ) -> None:
        unique = list(dict.fromkeys(phrases))
        matrix = vectorize(unique) if unique else sparse.csr_matrix((0, len(terms)))
        columns = np.unique(matrix.indices)
        self._dense = np.asarray(matrix[:, columns].toarray(), dtype=np.float64)
        self._terms = terms[columns]
        # A term that half the institutions or more use (smooth IDF at most 1 + ln 2) says
        # nothing about this pair: survey headings copied into every description
        # ("Challenges:", "Strategies:") or a word in every name are never quoted.
        self._common = (
            idf[columns] <= _COMMON_IDF if idf is not None else np.zeros(len(columns), bool)
        )
        self._row = {phrase: i for i, phrase in enumerate(unique)}

    def vectors(self, phrases: Sequence[str]) -> npt.NDArray[np.float64]:
        """Return the rows of these phrases (each must have been given to the space)."""
        return self._dense[[self._row[phrase] for phrase in phrases]]

    def shared_terms(self, left: str, right: str, limit: int) -> list[str]:
        """Return the terms contributing most to the cosine of two phrases, best first."""
        contribution = self.vectors([left])[0] * self.vectors([right])[0]
        order = np.argsort(-contribution, kind="stable")
        # Concept terms ("~field:cnc") are bookkeeping, not words a reader would recognise.
        words = [
            str(self._terms[i])
            for i in order
            if contribution[i] > 0
            and not self._common[i]
            and not str(self._terms[i]).startswith("~")
        ]
        return words[:limit]


def phrases_of(profile: Profile) -> list[str]:
    """Every phrase of a profile that a reason may quote or compare."""
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


def _best_pairs(
    left: Sequence[str], right: Sequence[str], space: PhraseSpace, limit: int
) -> list[tuple[str, str]]:
    """Return up to ``limit`` (left, right) phrase pairs with the highest positive cosine.

    Each phrase is used at most once, so two reasons never repeat the same phrase.
    """
    if not left or not right:
        return []
    similarity = space.vectors(left) @ space.vectors(right).T
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


def say(reason: Reason, language: str) -> str:
    """Put a reason in words in ``language`` (one of :data:`LANGUAGES`), quoting its items
    verbatim."""
    templates = _TEMPLATES[language]
    template, items = templates[reason.kind], reason.items
    if reason.kind == "offer":
        return template.format(offer=_quote(items[0]), need=_quote(items[1]))
    if reason.kind == "need":
        return template.format(need=_quote(items[0]), offer=_quote(items[1]))
    if reason.kind == "city":
        return template.format(city=items[0])
    # Partners are named plainly; phrases and terms are quoted.
    named = items if reason.kind == "partners" else [_quote(item) for item in items]
    return template.format(items=templates["separator"].join(named))


def reason_language(query: Profile) -> str:
    """Return the language reasons for ``query`` are written in (``en`` or ``zh``)."""
    for language in query.languages:
        if language in _TEMPLATES:
            return language
    text = "".join((*query.needs, *query.offers, *query.fields, query.description))
    letters = [char for char in text if char.isalpha()]
    han = sum("\u4e00" <= char <= "\u9fff" for char in letters)
    return "zh" if letters and han * 2 > len(letters) else "en"


def reasons(
    query: Profile,
    candidate: Profile,
    components: Components,
    *,
    space: PhraseSpace,
    shared_partners: Sequence[str] = (),
) -> tuple[Reason, ...]:
    """Say why ``candidate`` suits ``query``, one reason per contributing part.

    ``shared_partners`` names the partners both work with, most selective first.
    """
    found: list[Reason] = []
    if components.they_meet_my_needs > 0:
        for need, offer in _best_pairs(query.needs, candidate.offers, space, _PAIRS_PER_DIRECTION):
            found.append(Reason("offer", (offer, need)))
    if components.i_meet_their_needs > 0:
        for offer, need in _best_pairs(query.offers, candidate.needs, space, _PAIRS_PER_DIRECTION):
            found.append(Reason("need", (need, offer)))
    if components.fields > 0:
        pairs = _best_pairs(query.fields, candidate.fields, space, _SHARED_PER_LIST)
        if pairs:
            found.append(Reason("fields", tuple(theirs for _, theirs in pairs)))
    if components.programs > 0:
        pairs = _best_pairs(query.programs, candidate.programs, space, _SHARED_PER_LIST)
        if pairs:
            found.append(Reason("programs", tuple(theirs for _, theirs in pairs)))
    if components.description > 0:
        shared = space.shared_terms(about(query), about(candidate), _DESCRIPTION_TERMS)
        if shared:
            found.append(Reason("description", tuple(shared)))
    if components.city > 0:
        found.append(Reason("city", (candidate.city,)))
    if components.shared_partners > 0 and shared_partners:
        found.append(Reason("partners", tuple(shared_partners[:_SHARED_PER_LIST])))
    return tuple(found)
