"""Read the fitted ranker's part matrices, whichever layout its index uses.

The benchmark needs the five stored part matrices (needs, offers, fields, programs,
description; one CSR row per indexed row, base rows first) for the bandwidth floor and
the exact check. The index has held them as ``corpus_.parts`` and, since the scoring was
reworked, as a large ``base`` segment plus a small ``delta`` segment, each with its own
``parts``. Both are read here, so the rest of the benchmark need not know.
"""

from __future__ import annotations

from typing import Any

from scipy import sparse

from matching import ReciprocalRanker

__all__ = ["PARTS", "PRODUCTS", "layout", "part_matrices"]

PARTS = ("needs", "offers", "fields", "programs", "description")
# (stored part, asker's part) of each similarity: a = offers_c . needs_q,
# b = needs_c . offers_q, then the three overlaps.
PRODUCTS = (
    ("offers", "needs"),
    ("needs", "offers"),
    ("fields", "fields"),
    ("programs", "programs"),
    ("description", "description"),
)


def layout(ranker: ReciprocalRanker) -> str:
    """Name the index layout: ``parts`` (one matrix per part) or ``segments`` (base + delta)."""
    corpus: Any = ranker.corpus_
    if hasattr(corpus, "parts"):
        return "parts"
    if hasattr(corpus, "base") and hasattr(corpus, "delta"):
        return "segments"
    raise TypeError(f"unknown index layout: {type(corpus).__name__} has neither parts nor base")


def part_matrices(ranker: ReciprocalRanker) -> dict[str, Any]:
    """Return each part's matrix over every indexed row, in row order."""
    corpus: Any = ranker.corpus_
    if layout(ranker) == "parts":
        return {part: corpus.parts[part] for part in PARTS}
    matrices = {}
    for part in PARTS:
        base, delta = corpus.base.parts[part], corpus.delta.parts[part]
        matrices[part] = base if delta.shape[0] == 0 else sparse.vstack([base, delta], format="csr")
    return matrices
