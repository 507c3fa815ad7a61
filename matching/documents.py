"""How a profile becomes part vectors: five documents over one fitted vocabulary.

A profile is cut into needs, offers, fields, programs and description (read with the
name). Each phrase is analysed once (``matching.text``) and the taxonomy adds one term
per concept it mentions. Needs, offers and description are L2-normalised TF-IDF rows, so
their products are cosines; fields and programs are short lists of items, scored by how
informative the shared items are (``matching.vectors``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

from matching.corpus import PARTS, SIMILARITIES, Corpus
from matching.taxonomy import Taxonomy
from matching.text import analyze
from matching.types import Profile
from matching.vectors import TermWeights, vectorize

__all__ = [
    "PartTerms",
    "asker_matrices",
    "asker_terms",
    "holds_only_text",
    "lay_out",
    "part_matrices",
    "part_terms",
    "phrase_terms",
]

PartTerms = dict[str, list[str]]
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


def lay_out(asked: Mapping[str, sparse.csr_matrix]) -> sparse.csr_matrix:
    """Lay an asker's parts on a block diagonal, each on the block of the part it meets."""
    blocks = [asked[asked_part] for _, _, asked_part in SIMILARITIES]
    return sparse.block_diag(blocks, format="csr", dtype=np.float32)


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
