"""A fitted ranker as named arrays, and back: what a persisted index is made of.

``export_state`` turns a fitted :class:`~matching.ReciprocalRanker` into plain numpy
arrays (vocabulary, term weights, the part matrices and their stacked transpose as CSR
triples, ids, countries, kinds, cities, the appeal sample, the indexed profiles as
columns and who declared whom a partner, ``matching.columns``) and a few scalars;
``restore_state`` rebuilds a ranker that ranks exactly as the one exported, on whatever
arrays it is given (memory-mapped files included: nothing here copies or writes to them,
and no profile is built until one is read). ``matching.persist`` puts a state in a
directory.

No pickle anywhere: every array is numbers, bytes or fixed-width unicode, and the
vocabulary is rebuilt from the term array (column ``i`` is ``terms[i]``), so reading a
state can never run code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from matching.columns import IdSets, ProfileColumns, id_sets_arrays, profile_arrays
from matching.corpus import PARTS, Corpus, Segment, _append
from matching.ranker import ReciprocalRanker
from matching.taxonomy import Taxonomy
from matching.vectors import TermWeights

__all__ = ["FORMAT_VERSION", "FittedState", "StateError", "export_state", "restore_state"]

# 2: profiles as columns (format 1 kept them as JSON lines, parsed on every start).
FORMAT_VERSION = 2
Scalar = int | float | str | bool
AnyArray = npt.NDArray[np.generic]
# Plain ndarray attributes of the ranker that fit() sets; a new one is one more name here.
RANKER_ARRAYS: tuple[str, ...] = ("terms_",)
# Counters the ranker keeps since its last fit (they decide when the owner refits).
_COUNTERS = ("changes_since_fit_", "unseen_terms_since_fit_", "terms_since_fit_")
# Parameters that change what is fitted or how it is scored: a state fitted under other
# values is refused rather than ranked with the wrong ones.
_PARAMS = (
    "reciprocal_weight",
    "fields_weight",
    "programs_weight",
    "description_weight",
    "city_weight",
    "one_sided_factor",
    "graph_weight",
    "graph_places",
    "concept_weight",
)


class StateError(ValueError):
    """A saved state that cannot be used: wrong format, parameters or contents."""


@dataclass(frozen=True, slots=True)
class FittedState:
    """A fitted ranker as named arrays (the indexed profiles among them) and scalars."""

    arrays: Mapping[str, AnyArray]
    scalars: Mapping[str, Scalar]

    @property
    def profile_count(self) -> int:
        """How many profiles the state indexes."""
        return len(self.arrays["profiles.ids"])


def export_state(ranker: ReciprocalRanker) -> FittedState:
    """Return the fitted state of ``ranker``; its delta segment is folded into the base."""
    corpus = ranker.corpus_
    base = corpus.base
    if corpus.delta.rows:  # the same rows in the same order, so the sample still holds
        base = _append(base, corpus.delta.parts)
    arrays: dict[str, AnyArray] = {
        "ids": corpus.ids,
        "alive": corpus.alive,
        "countries": corpus.countries,
        "kinds": corpus.kinds,
        "cities": corpus.cities,
        "city_names": np.array(sorted(corpus.city_codes, key=corpus.city_codes.__getitem__)),
        "sample": corpus.sample.astype(np.int64),
    }
    for part in PARTS:
        arrays[f"present.{part}"] = corpus.present[part]
        arrays.update(_csr_arrays(f"base.{part}", base.parts[part]))
    arrays.update(_csr_arrays("stacked_t", base.stacked_t))
    weights = ranker.weights_
    if weights is not None:
        arrays["term_weights"] = weights.weights
    for name in RANKER_ARRAYS:
        arrays[name] = _plain(getattr(ranker, name))
    scalars: dict[str, Scalar] = {
        "format": FORMAT_VERSION,
        "has_vocabulary": weights is not None,
        "ceiling": weights.ceiling if weights is not None else 1.0,
        "columns": int(base.parts[PARTS[0]].shape[1]),
    }
    scalars.update({name: float(getattr(ranker, name)) for name in _PARAMS})
    scalars.update({name: int(getattr(ranker, name)) for name in _COUNTERS})
    arrays.update(profile_arrays([corpus.profiles[int(pid)] for pid in corpus.ids[corpus.alive]]))
    arrays.update(id_sets_arrays("declared_by", corpus.declared_by))
    return FittedState(arrays=arrays, scalars=scalars)


def restore_state(ranker: ReciprocalRanker, state: FittedState) -> ReciprocalRanker:
    """Make the unfitted ``ranker`` rank exactly as the one ``state`` was exported from.

    Raises :class:`StateError` when the state was written in another format, fitted
    under other parameters, or does not hold together.
    """
    scalars, arrays = state.scalars, state.arrays
    if scalars.get("format") != FORMAT_VERSION:
        raise StateError(f"state format {scalars.get('format')!r}, expected {FORMAT_VERSION}")
    for name in _PARAMS:
        if float(scalars.get(name, float("nan"))) != float(getattr(ranker, name)):
            raise StateError(f"state fitted with {name}={scalars.get(name)!r}")
    try:
        corpus = _corpus(arrays, columns=int(scalars["columns"]), places=ranker.taxonomy)
        terms = arrays["terms_"]
        weights = (
            TermWeights(
                columns={str(term): column for column, term in enumerate(terms.tolist())},
                weights=np.asarray(arrays["term_weights"]),
                terms=np.asarray(terms),
                ceiling=float(scalars["ceiling"]),
            )
            if scalars["has_vocabulary"]
            else None
        )
    except (KeyError, ValueError, IndexError) as error:
        raise StateError(f"state does not hold together: {error}") from error
    ranker.weights_ = weights
    for name in RANKER_ARRAYS:
        setattr(ranker, name, arrays[name])
    ranker.corpus_ = corpus
    for name in _COUNTERS:
        setattr(ranker, name, int(scalars[name]))
    return ranker


def _plain(array: AnyArray) -> AnyArray:
    """Strings held as Python objects (scikit-learn's feature names) as fixed-width unicode."""
    return array.astype(np.str_) if array.dtype == object else array


def _csr_arrays(prefix: str, matrix: sparse.csr_matrix) -> dict[str, AnyArray]:
    return {
        f"{prefix}.data": matrix.data,
        f"{prefix}.indices": matrix.indices,
        f"{prefix}.indptr": matrix.indptr,
        f"{prefix}.shape": np.array(matrix.shape, dtype=np.int64),
    }


def _csr(arrays: Mapping[str, AnyArray], prefix: str) -> sparse.csr_matrix:
    rows, columns = (int(n) for n in arrays[f"{prefix}.shape"])
    return sparse.csr_matrix(
        (arrays[f"{prefix}.data"], arrays[f"{prefix}.indices"], arrays[f"{prefix}.indptr"]),
        shape=(rows, columns),
        copy=False,
    )


def _corpus(arrays: Mapping[str, AnyArray], *, columns: int, places: Taxonomy | None) -> Corpus:
    # The gazetteer is the ranker's taxonomy, as when it was fitted (the service refuses a
    # generation fitted under another taxonomy), so cities written later meet the same keys.
    ids = np.asarray(arrays["ids"], dtype=np.int64)
    alive = np.asarray(arrays["alive"], dtype=np.bool_)
    profiles = ProfileColumns(arrays)
    alive_rows = np.flatnonzero(alive)
    if not np.array_equal(profiles.ids, ids[alive_rows]):
        raise StateError("the profiles are not those of the live rows")
    parts = {part: _csr(arrays, f"base.{part}") for part in PARTS}
    base = Segment(parts=parts, stacked_t=_csr(arrays, "stacked_t"))
    if any(m.shape != (len(ids), columns) for m in parts.values()):
        raise StateError("a part matrix does not have one row per id")
    names = [str(name) for name in arrays["city_names"].tolist()]
    return Corpus(
        base=base,
        delta=Segment.build({part: parts[part][:0] for part in PARTS}),
        ids=ids,
        alive=alive,
        countries=np.asarray(arrays["countries"], dtype=np.str_),
        kinds=np.asarray(arrays["kinds"], dtype=np.str_),
        present={part: np.asarray(arrays[f"present.{part}"], dtype=np.bool_) for part in PARTS},
        cities=np.asarray(arrays["cities"], dtype=np.int32),
        city_codes={name: code for code, name in enumerate(names)},
        row_of=dict(zip(ids[alive_rows].tolist(), alive_rows.tolist(), strict=True)),
        profiles=profiles,
        declared_by=IdSets(arrays, "declared_by"),
        sample=np.asarray(arrays["sample"], dtype=np.intp),
        places=places,
    )
