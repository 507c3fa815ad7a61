"""How a profile becomes part vectors: five documents over one fitted vocabulary.

A profile is cut into needs, offers, fields, programs and description (read with the
name). Each phrase is analysed once (``matching.text``) and the taxonomy adds one term
per concept it mentions. Needs, offers and description are L2-normalised TF-IDF rows, so
their products are cosines; fields and programs are short lists of items, scored by how
informative the shared items are (``matching.vectors``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

from matching.corpus import PARTS, Corpus, Terms
from matching.taxonomy import Taxonomy
from matching.text import analyze
from matching.types import Profile
from matching.vectors import TermWeights, vectorize

__all__ = [
    "AskedParts",
    "PartTerms",
    "asker_matrices",
    "asker_terms",
    "holds_only_text",
    "part_matrices",
    "part_terms",
    "phrase_terms",
    "stored_parts",
    "text_of",
]

PartTerms = dict[str, list[str]]
# An asker's five part vectors, by part.
AskedParts = dict[str, Terms]
# Short lists of items: scored by how informative the shared items are, not by a cosine.
_ITEM_PARTS = frozenset(("fields", "programs"))
_TEXT_SECTIONS = frozenset(("field", "program"))
_LABEL_SECTIONS = _TEXT_SECTIONS | {"sector"}


@lru_cache(maxsize=1 << 16)
def _terms_of(phrase: str, taxonomy: Taxonomy | None, labels: bool) -> tuple[str, ...]:
    # Survey answers repeat the same phrases across many profiles; analyse each once.
    concepts = taxonomy.find(phrase) if taxonomy is not None else ()
    # Sectors are read from field labels only: in prose "business" or "energy" is a word,
    # not a label. Places are compared as cities (matching.corpus.place_key), never as text.
    sections = _LABEL_SECTIONS if labels else _TEXT_SECTIONS
    found = (concept.term for concept in concepts if concept.section in sections)
    return (*analyze(phrase), *found)


def phrase_terms(
    phrases: Sequence[str], taxonomy: Taxonomy | None, *, labels: bool = False
) -> list[str]:
    """The terms of every phrase, concept terms included, in order.

    ``labels``: the phrases are field labels, which may also name a broad sector.
    """
    terms: list[str] = []
    for phrase in phrases:
        terms.extend(_terms_of(phrase, taxonomy, labels))
    return terms


def part_terms(profile: Profile, taxonomy: Taxonomy | None) -> PartTerms:
    """The terms of each of a profile's five documents."""
    return {
        "needs": phrase_terms(profile.needs, taxonomy),
        "offers": phrase_terms(profile.offers, taxonomy),
        "fields": phrase_terms(profile.fields, taxonomy, labels=True),
        "programs": phrase_terms(profile.programs, taxonomy),
        # The name is a one-line description ("Kampot Dairy School"); reading both as one
        # document lets a newcomer's name meet an established profile's text.
        "description": phrase_terms([profile.name, profile.description], taxonomy),
    }


def holds_only_text(profile: Profile) -> bool:
    """Whether a profile says nothing but its name and description (and place, kind)."""
    return not (profile.needs or profile.offers or profile.fields or profile.programs)


def asker_terms(profile: Profile, taxonomy: Taxonomy | None, *, concepts: bool) -> PartTerms:
    """The terms of a profile that asks for partners: ``part_terms``, except that an asker
    holding only text drops its concept terms unless ``concepts``.

    For such an asker the description is nearly the whole score, and a concept term, at
    three times an ordinary term's weight, fills its list with one theme (on the CoVE set,
    with exposure 0.5 for such askers, 56 to 74 hidden partners found; docs/ranking.md).
    """
    terms = part_terms(profile, taxonomy)
    if concepts or not holds_only_text(profile):
        return terms
    return {**terms, "description": [t for t in terms["description"] if not t.startswith("~")]}


def part_matrices(
    weights: TermWeights | None, terms: Sequence[PartTerms]
) -> dict[str, sparse.csr_matrix]:
    """One matrix per part, a row per profile (no columns before a vocabulary is fitted)."""
    if weights is None:
        empty = sparse.csr_matrix((len(terms), 0), dtype=np.float32)
        return dict.fromkeys(PARTS, empty)
    return {
        part: vectorize(weights, [doc[part] for doc in terms], informative=part in _ITEM_PARTS)
        for part in PARTS
    }


def stored_parts(corpus: Corpus, profile: Profile) -> AskedParts | None:
    """The part rows the index holds for ``profile``, if it holds the very same text.

    The service asks with a profile read back from the database, a new object; when its
    text is the indexed one's, its rows (transformed with this vocabulary) are read rather
    than the text analysed again. ``None`` when the index holds no such row.
    """
    stored = corpus.profiles.get(profile.id) if profile.id is not None else None
    if stored is None or text_of(stored) != text_of(profile):
        return None
    row = corpus.row_of[int(profile.id or 0)]
    segment = corpus.base if row < corpus.base.rows else corpus.delta
    at = row if row < corpus.base.rows else row - corpus.base.rows
    asked: AskedParts = {}
    for part in PARTS:
        matrix = segment.parts[part]
        start, end = int(matrix.indptr[at]), int(matrix.indptr[at + 1])
        asked[part] = (matrix.indices[start:end], matrix.data[start:end])
    return asked


def text_of(profile: Profile) -> tuple[object, ...]:
    """Everything of a profile its part rows are made of (the taxonomy is the ranker's)."""
    return (
        profile.needs,
        profile.offers,
        profile.fields,
        profile.programs,
        profile.name,
        profile.description,
    )


def asker_matrices(
    corpus: Corpus,
    weights: TermWeights | None,
    taxonomy: Taxonomy | None,
    askers: Sequence[Profile],
    *,
    concepts: bool,
) -> dict[str, sparse.csr_matrix]:
    """The askers' part rows (``asker_terms``): read from the index for the very profiles it
    holds (they were transformed with this vocabulary) when the asker's terms are the
    stored ones, transformed here for the others."""
    rows = [
        corpus.row_of[p.id]
        if p.id is not None
        and corpus.profiles.get(p.id) is p
        and (concepts or not holds_only_text(p))
        else -1
        for p in askers
    ]
    known = np.array([row for row in rows if row >= 0], dtype=np.intp)
    fresh = part_matrices(
        weights,
        [
            asker_terms(p, taxonomy, concepts=concepts)
            for p, row in zip(askers, rows, strict=True)
            if row < 0
        ],
    )
    if not len(known):
        return fresh
    positions = np.argsort(
        np.concatenate([np.flatnonzero(np.array(rows) >= 0), np.flatnonzero(np.array(rows) < 0)])
    )
    return {
        part: sparse.csr_matrix(
            sparse.vstack([corpus.rows(part, known), fresh[part]], format="csr")[positions]
        )
        for part in PARTS
    }
