"""Reasons in words, drawn from the same TF-IDF terms that produced the score.

For each score part that is above zero, the phrases behind it are compared in the same
vector space (:mod:`matching.phrases`, every pair of a request at once, each pair once
while the vocabulary stands: :mod:`matching.phrase_reasons`): the best-matching pairs (a
need of one side and an offer of the other, or two fields) are quoted verbatim, so a
reason stays in the script its author wrote it in. A part that contributed nothing
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
from typing import TYPE_CHECKING

from matching.phrase_reasons import PhraseReasons, phrase_kinds
from matching.types import Components, Profile, Reason

if TYPE_CHECKING:
    from matching.corpus import Corpus

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

# How many partners both work with a reason names at most.
_SHARED_PARTNERS = 3


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
    phrases: PhraseReasons,
    shared_partners: Sequence[Sequence[str]],
    corpus: Corpus | None = None,
) -> list[tuple[Reason, ...]]:
    """Say why each candidate suits its asker, one reason per contributing part.

    ``pairs`` are (asker, candidate); ``phrases`` draws the reasons that quote phrases
    (``corpus``: where it reads indexed rows); ``shared_partners`` names, per pair, the
    partners both work with, most selective first.
    """
    quoted = phrases.drawn(pairs, [phrase_kinds(parts) for parts in components], corpus)
    found = []
    for (_, candidate), parts, drawn, partners in zip(
        pairs, components, quoted, shared_partners, strict=True
    ):
        more: list[Reason] = []
        if parts.city > 0:
            more.append(Reason("city", (candidate.city,)))
        if parts.shared_partners > 0 and partners:
            more.append(Reason("partners", tuple(partners[:_SHARED_PARTNERS])))
        found.append((*drawn, *more) if more else drawn)
    return found
