"""TF-IDF vectors over a fixed vocabulary, without per-call overhead.

The vocabulary and IDF are learned once with scikit-learn's ``TfidfVectorizer`` (smooth
IDF, sublinear term frequency). Turning term lists into vectors afterwards is done here
directly: scikit-learn's ``transform`` validates its input on every call, which costs
more than the arithmetic when a request vectorises a handful of short phrases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

__all__ = ["TermWeights", "fit_term_weights", "vectorize"]

# An item's informativeness is its IDF relative to the rarest possible, to this power on
# each side (so a shared item counts the product, its relative IDF to twice the power).
_POWER = 1.5


def _identity(terms: list[str]) -> list[str]:
    return terms


@dataclass(frozen=True, slots=True)
class TermWeights:
    """A fitted vocabulary: each term's column and its weight (IDF times any boost)."""

    columns: dict[str, int]
    weights: npt.NDArray[np.float32]
    terms: npt.NDArray[np.str_]
    # The IDF of a term only one document uses: the most informative a term can be.
    ceiling: float = 1.0


def fit_term_weights(
    documents: Sequence[list[str]], *, boosted_prefix: str, boost: float
) -> TermWeights | None:
    """Learn vocabulary and IDF from documents; ``None`` when they hold no term at all.

    Terms starting with ``boosted_prefix`` weigh ``boost`` times their IDF.
    """
    if not any(documents):
        return None
    # Imported here: a process that only maps a fitted generation never needs it (most
    # of a second of a start).
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
    vectorizer.fit(documents)
    terms = vectorizer.get_feature_names_out()
    boosted = np.char.startswith(terms.astype(str), boosted_prefix)
    weights = vectorizer.idf_.astype(np.float32) * np.where(boosted, boost, 1.0)
    columns = {str(term): int(column) for term, column in vectorizer.vocabulary_.items()}
    return TermWeights(
        columns=columns,
        weights=weights.astype(np.float32),
        terms=terms,
        ceiling=float(vectorizer.idf_.max()),
    )


def vectorize(
    weights: TermWeights, documents: Sequence[Sequence[str]], *, informative: bool = False
) -> sparse.csr_matrix:
    """Return one float32 row per document; unknown terms are ignored.

    Rows are L2-normalised TF-IDF (their products are cosines), or, when ``informative``,
    each distinct term weighs ``min(weight / ceiling, 1) ** 1.5`` and the row is divided
    by the square root of its number of terms: the product of two rows is then like a
    cosine of the item sets in which each shared item counts its relative IDF cubed, in
    [0, 1]; a label everyone uses counts next to nothing. A cosine says two short lists
    are the same whatever they hold; this says how much sharing them tells.
    """
    columns = weights.columns
    indptr = [0]
    indices: list[int] = []
    counts: list[int] = []
    for document in documents:
        row: dict[int, int] = {}
        for term in document:
            column = columns.get(term)
            if column is not None:
                row[column] = row.get(column, 0) + 1
        indices.extend(row)
        counts.extend(row.values())
        indptr.append(len(indices))
    index_array = np.asarray(indices, dtype=np.int32)
    pointer = np.asarray(indptr, dtype=np.int32)
    rows = np.repeat(np.arange(len(documents)), np.diff(pointer))
    if informative:
        data = np.minimum(weights.weights[index_array] / weights.ceiling, 1.0) ** _POWER
        norms = np.sqrt(np.diff(pointer).astype(np.float64))
    else:
        data = (1.0 + np.log(np.asarray(counts, dtype=np.float32))) * weights.weights[index_array]
        norms = np.sqrt(
            np.bincount(rows, weights=data.astype(np.float64) ** 2, minlength=len(documents))
        )
    data = (data / norms[rows]).astype(np.float32) if len(data) else data.astype(np.float32)
    matrix = sparse.csr_matrix(
        (data, index_array, pointer), shape=(len(documents), len(weights.weights))
    )
    matrix.sort_indices()
    return matrix
