"""Reasons in words, drawn from the same TF-IDF terms that produced the score.

For each score part that is above zero, the phrases behind it are compared in the same
vector space (:mod:`matching.phrases`, every pair of a request at once): the best-matching
pairs (a need of one side and an offer of the other, or two fields) are quoted verbatim,
so a reason stays in the script its author wrote it in. A part that contributed nothing
to the score gives no reason. A reason is first a :class:`~matching.types.Reason` (a kind
and the items it quotes); :func:`say` puts it in words in one language, the only place
the sentence templates are read. A service says it in its reader's language (the page's,
or ``Accept-Language``); without a reader, in the asker's (:func:`reason_language`): the
first of the profile's ``languages`` that has templates, else Chinese when most of its
text is in Han characters, else English.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from matching.phrases import PhraseSpace
from matching.types import Components, Profile, Reason, ReasonKind

__all__ = ["LANGUAGES", "reason_language", "reasons", "say"]

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
# How many pairs of phrases a reason of each kind quotes at most.
_LIMITS = {
    "offer": _PAIRS_PER_DIRECTION,
    "need": _PAIRS_PER_DIRECTION,
    "fields": _SHARED_PER_LIST,
    "programs": _SHARED_PER_LIST,
}


def _quote(phrase: str) -> str:
    return f"“{phrase}”"


# The same reasons recur across requests (phrases come from shared survey answers and
# every list of a popular candidate), so each is put in words once per language.
@lru_cache(maxsize=1 << 14)
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
    pairs: Sequence[tuple[Profile, Profile]],
    components: Sequence[Components],
    *,
    space: PhraseSpace,
    shared_partners: Sequence[Sequence[str]],
) -> list[tuple[Reason, ...]]:
    """Say why each candidate suits its asker, one reason per contributing part.

    ``pairs`` are (asker, candidate); ``space`` holds all their phrases, the askers'
    first; ``shared_partners`` names, per pair, the partners both work with, most
    selective first.
    """
    # (pair, kind, asker's part, candidate's part) of every list of phrases to pair up.
    lists: list[tuple[int, ReasonKind, str, str]] = []
    described: list[int] = []
    for at, parts in enumerate(components):
        if parts.they_meet_my_needs > 0:
            lists.append((at, "offer", "needs", "offers"))
        if parts.i_meet_their_needs > 0:
            lists.append((at, "need", "offers", "needs"))
        if parts.fields > 0:
            lists.append((at, "fields", "fields", "fields"))
        if parts.programs > 0:
            lists.append((at, "programs", "programs", "programs"))
        if parts.description > 0:
            described.append(at)
    spans = [(space.spans(asker), space.spans(candidate)) for asker, candidate in pairs]
    chosen = space.best_pairs(
        [spans[at][0][mine] for at, _, mine, _ in lists],
        [spans[at][1][theirs] for at, _, _, theirs in lists],
        [_LIMITS[kind] for _, kind, _, _ in lists],
    )
    shared_terms = space.shared_terms(
        [spans[at][0]["about"][0] for at in described],
        [spans[at][1]["about"][0] for at in described],
        _DESCRIPTION_TERMS,
    )
    found: list[list[Reason]] = [[] for _ in pairs]
    for (at, kind, mine, theirs), positions in zip(lists, chosen, strict=True):
        left, right = getattr(pairs[at][0], mine), getattr(pairs[at][1], theirs)
        if kind in ("offer", "need"):  # (their offer, your need) or (their need, your offer)
            found[at].extend(Reason(kind, (right[j], left[i])) for i, j in positions)
        elif positions:
            found[at].append(Reason(kind, tuple(right[j] for _, j in positions)))
    for at, terms in zip(described, shared_terms, strict=True):
        if terms:
            found[at].append(Reason("description", tuple(terms)))
    for at, ((_, candidate), parts) in enumerate(zip(pairs, components, strict=True)):
        if parts.city > 0:
            found[at].append(Reason("city", (candidate.city,)))
        if parts.shared_partners > 0 and shared_partners[at]:
            found[at].append(Reason("partners", tuple(shared_partners[at][:_SHARED_PER_LIST])))
    return [tuple(reasons) for reasons in found]
