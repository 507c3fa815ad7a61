"""The indexed profiles: an immutable snapshot with a large base segment and a small delta.

Scoring one asker against every stored profile is five sparse dot products per stored
row. The base segment keeps its five part matrices transposed and stacked end to end
(``5V x rows``), so the product with the asker's five vectors laid out on a block
diagonal (``5 x 5V``) reads only the posting lists of the asker's own terms and yields all
five similarities at once; it is computed from those lists directly, with no matrix built
per query. Profiles written since the base was built live in a small delta segment,
scored the same way; it is folded into the base when it grows, so a write costs work
proportional to the delta, not to the corpus.

A snapshot is never changed: updates return a new one, so readers need no lock.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from scipy import sparse

from matching.columns import laid_over
from matching.taxonomy import Taxonomy
from matching.types import Profile

__all__ = ["PARTS", "SIMILARITIES", "Corpus", "Segment", "Terms", "place_key"]

PARTS = ("needs", "offers", "fields", "programs", "description")
# Which stored part meets which part of the asker, in the order of the stacked blocks.
SIMILARITIES = (
    ("they_meet_my_needs", "offers", "needs"),
    ("i_meet_their_needs", "needs", "offers"),
    ("fields", "fields", "fields"),
    ("programs", "programs", "programs"),
    ("description", "description", "description"),
)
_APPEAL_SAMPLE = 64
# From this many posting entries an asker's similarities are scipy's compiled products
# (measured here, median of 60 askers: 1.76 against 1.73 ms at 20k profiles, ~180k
# entries; 9.9 against 3.3 ms at 100k, ~0.9M; below, scipy's per-call overhead dominates).
PRODUCT_FROM_POSTINGS = 200_000
# From this many the products run on threads, one group of similarities per core: scipy's
# kernels release the GIL, so one query uses every idle core (at 1M, 80 against 54 ms on
# 2). Not below: at 100k (about 1M entries) threads cut an idle machine's in-process
# ranking by a tenth, but served they gained nothing (two workers, eight clients: 163
# req/s with threads from 0.5M entries, 167 without; one client's p99 25.5 and 22.9 ms).
THREADS_FROM_POSTINGS = 2_000_000
_MIN_DELTA_TO_MERGE = 1000
# How many derived values a snapshot keeps (Corpus.kept): a few sets of parts held.
_KEPT = 16

T = TypeVar("T")

FloatArray = npt.NDArray[np.float32]
# One vector as its columns and values (a CSR row without the matrix around it).
Terms = tuple[npt.NDArray[np.int32], FloatArray]


@dataclass(frozen=True, slots=True)
class Segment:
    """Some rows of the part matrices, with the stacked transposed copy."""

    parts: Mapping[str, sparse.csr_matrix]
    stacked_t: sparse.csr_matrix

    @classmethod
    def build(cls, parts: Mapping[str, sparse.csr_matrix]) -> Segment:
        """Index rows given as one CSR matrix per part."""
        stored = [parts[stored_part] for _, stored_part, _ in SIMILARITIES]
        stacked = sparse.hstack(stored, format="csr", dtype=np.float32)
        return cls(parts=dict(parts), stacked_t=sparse.csr_matrix(stacked.T, dtype=np.float32))

    @property
    def rows(self) -> int:
        """How many rows the segment holds."""
        return int(self.parts[PARTS[0]].shape[0])

    def similarities(
        self,
        asked: Sequence[Terms],
        *,
        product_from: int = PRODUCT_FROM_POSTINGS,
        threads_from: int = THREADS_FROM_POSTINGS,
    ) -> FloatArray:
        """Return the similarities (parts x rows) to an asker's vectors, one per similarity.

        The product of the asker laid out on a block diagonal with ``stacked_t``. Below
        ``product_from`` posting entries, without building either: the posting lists of
        the asker's terms are read and added up in float32, term by term in column order,
        as the products add them, so both ways give the same bits. From there on (common
        terms of a large corpus), as one compiled matrix-vector product per similarity,
        where the posting lists take several numpy passes and temporaries; from
        ``threads_from``, the products on threads.
        """
        if self.rows == 0:
            return np.zeros((len(SIMILARITIES), 0), dtype=np.float32)
        width = int(self.parts[PARTS[0]].shape[1])
        postings = self.stacked_t
        heads = np.concatenate(
            [terms.astype(np.int64) + block * width for block, (terms, _) in enumerate(asked)]
        )
        weights = np.concatenate([values for _, values in asked]).astype(np.float32)
        starts = postings.indptr[heads].astype(np.int64)
        lengths = postings.indptr[heads + 1] - starts
        if int(lengths.sum()) >= product_from:
            counts = np.array([len(terms) for terms, _ in asked])
            return _product(postings, heads, weights, counts, lengths, threads_from=threads_from)
        out = np.zeros(len(SIMILARITIES) * self.rows, dtype=np.float32)
        blocks = np.repeat(np.arange(len(asked)) * self.rows, [len(terms) for terms, _ in asked])
        ends = np.cumsum(lengths)
        at = np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(
            starts - ends + lengths, lengths
        )
        np.add.at(
            out,
            np.repeat(blocks, lengths) + postings.indices[at],
            np.repeat(weights, lengths) * postings.data[at],
        )
        return out.reshape(len(SIMILARITIES), self.rows)


def _threads() -> ThreadPoolExecutor:
    # One pool per process: a worker forked from a process that had made one must not use
    # the parent's, whose threads did not survive the fork.
    return _pool_of(os.getpid())


@functools.cache
def _pool_of(pid: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="products")


def _product(
    postings: sparse.csr_matrix,
    heads: npt.NDArray[np.int64],
    weights: FloatArray,
    counts: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    *,
    threads_from: int,
) -> FloatArray:
    """Each similarity as one compiled matrix-vector product over its own posting lists:
    the lists copied out (scipy's row selection, one pass), then read as the columns of a
    CSC matrix times the asker's weights (one pass, summing term by term in column order,
    as the lists do). A large one in groups of similarities on threads, each group about
    as many posting entries (scipy's kernels release the GIL; each row is summed alone, so
    the bits are the same either way)."""
    bounds = np.concatenate([[0], np.cumsum(counts)])
    out = np.empty((len(counts), postings.shape[1]), dtype=np.float32)

    def fill(similarities: Sequence[int]) -> None:
        for block in similarities:
            first, last = bounds[block], bounds[block + 1]
            # The transpose of the CSR rows is a CSC view: no copy.
            out[block] = postings[heads[first:last]].T @ weights[first:last]

    cores = min(os.cpu_count() or 1, len(counts))
    if int(lengths.sum()) < threads_from or cores < 2:
        fill(range(len(counts)))
        return out
    blocks = len(counts)
    load = np.bincount(np.repeat(np.arange(blocks), counts), weights=lengths, minlength=blocks)
    groups: list[list[int]] = [[] for _ in range(cores)]
    for block in np.argsort(-load, kind="stable").tolist():  # the heaviest first, to the lightest
        min(groups, key=lambda group: int(load[group].sum())).append(block)
    list(_threads().map(fill, [group for group in groups if group]))
    return out


def _append(segment: Segment, added: Mapping[str, sparse.csr_matrix]) -> Segment:
    return Segment.build(
        {part: sparse.vstack([segment.parts[part], added[part]], format="csr") for part in PARTS}
    )


@dataclass(frozen=True, slots=True)
class Corpus:
    """One snapshot of the indexed profiles. Rows are base rows, then delta rows."""

    base: Segment
    delta: Segment
    ids: npt.NDArray[np.int64]
    alive: npt.NDArray[np.bool_]
    countries: npt.NDArray[np.str_]
    kinds: npt.NDArray[np.str_]
    # Which rows wrote anything in each part: a part counts only where both sides did.
    present: Mapping[str, npt.NDArray[np.bool_]]
    # Each row's city as a small integer (-1: none), so locality is one comparison.
    cities: npt.NDArray[np.int32]
    city_codes: Mapping[str, int]
    row_of: Mapping[int, int]
    profiles: Mapping[int, Profile]
    declared_by: Mapping[int, frozenset[int]]
    # Base rows standing in for "a typical asker" when measuring how broadly a candidate
    # appeals; fixed when the base is built.
    sample: npt.NDArray[np.intp]
    # The gazetteer that names one city in several scripts (the taxonomy's places).
    places: Taxonomy | None = None
    # Arrays derived from this snapshot alone, kept for the next asker (kept()).
    _kept: dict[Hashable, object] = dataclasses.field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def build(
        cls,
        profiles: Sequence[Profile],
        parts: Mapping[str, sparse.csr_matrix],
        places: Taxonomy | None = None,
    ) -> Corpus:
        """Index ``profiles`` (all with ids) whose part rows are ``parts``."""
        base = Segment.build(parts)
        empty = Segment.build({part: parts[part][:0] for part in PARTS})
        ids = np.array([p.id for p in profiles], dtype=np.int64)
        codes: dict[str, int] = {}
        cities = [place_key(p.city, places) for p in profiles]
        return cls(
            base=base,
            delta=empty,
            ids=ids,
            alive=np.ones(len(profiles), dtype=bool),
            countries=np.array([p.country for p in profiles], dtype=np.str_),
            kinds=np.array([p.kind for p in profiles], dtype=np.str_),
            present=_present(parts),
            cities=np.array(
                [codes.setdefault(c, len(codes)) if c else -1 for c in cities], np.int32
            ),
            city_codes=codes,
            row_of={int(pid): row for row, pid in enumerate(ids)},
            profiles={int(pid): p for pid, p in zip(ids, profiles, strict=True)},
            declared_by=_declared_by(profiles),
            sample=np.sort(np.random.default_rng(0).permutation(len(profiles))[:_APPEAL_SAMPLE]),
            places=places,
        )

    def upserted(
        self, profiles: Sequence[Profile], parts: Mapping[str, sparse.csr_matrix]
    ) -> Corpus:
        """Return a snapshot with these profiles added or replacing their old rows."""
        alive = self.alive.copy()
        for profile in profiles:
            old_row = self.row_of.get(int(profile.id or 0))
            if old_row is not None:
                alive[old_row] = False
        delta = _append(self.delta, parts)
        base = self.base
        if delta.rows >= max(_MIN_DELTA_TO_MERGE, base.rows // 4):
            base = _append(base, delta.parts)
            delta = Segment.build({part: delta.parts[part][:0] for part in PARTS})
        offset = len(self.ids)
        ids = np.array([p.id for p in profiles], dtype=np.int64)
        # Laid over, not copied: a write costs its own rows, not the whole index's.
        row_of = laid_over(self.row_of, {int(pid): offset + i for i, pid in enumerate(ids)})
        previous = [self.profiles[int(pid)] for pid in ids if int(pid) in self.profiles]
        codes = dict(self.city_codes)
        cities = [place_key(p.city, self.places) for p in profiles]
        city_rows = [codes.setdefault(c, len(codes)) if c else -1 for c in cities]
        current = laid_over(
            self.profiles, {int(pid): p for pid, p in zip(ids, profiles, strict=True)}
        )
        return dataclasses.replace(
            self,
            base=base,
            delta=delta,
            ids=np.concatenate([self.ids, ids]),
            alive=np.concatenate([alive, np.ones(len(ids), dtype=bool)]),
            countries=np.concatenate(
                [self.countries, np.array([p.country for p in profiles], dtype=np.str_)]
            ),
            kinds=np.concatenate([self.kinds, np.array([p.kind for p in profiles], dtype=np.str_)]),
            present={
                part: np.concatenate([self.present[part], added])
                for part, added in _present(parts).items()
            },
            cities=np.concatenate([self.cities, np.array(city_rows, dtype=np.int32)]),
            city_codes=codes,
            row_of=row_of,
            profiles=current,
            declared_by=_redeclared(self.declared_by, removed=previous, added=profiles),
        )

    def without(self, ids: Iterable[int]) -> Corpus:
        """Return a snapshot in which these ids are no longer suggested."""
        gone = [pid for pid in dict.fromkeys(ids) if pid in self.row_of]
        if not gone:
            return self
        alive = self.alive.copy()
        alive[[self.row_of[pid] for pid in gone]] = False
        removed = [self.profiles[pid] for pid in gone]
        return dataclasses.replace(
            self,
            alive=alive,
            row_of=laid_over(self.row_of, dict.fromkeys(gone)),
            profiles=laid_over(self.profiles, dict.fromkeys(gone)),
            declared_by=_redeclared(self.declared_by, removed=removed, added=()),
        )

    def kept(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, kept with this snapshot under ``key`` for later calls (at most
        ``_KEPT`` values: what several askers share, such as the denominators of a score
        for one set of parts held; a new snapshot starts empty)."""
        kept = self._kept
        if key not in kept:
            if len(kept) >= _KEPT:
                kept.clear()
            kept[key] = make()
        return kept[key]  # type: ignore[return-value]

    def similarities(self, asked: Mapping[str, Terms]) -> dict[str, FloatArray]:
        """Return each similarity of every row (base then delta) to an asker's part vectors."""
        laid_out = [asked[asked_part] for _, _, asked_part in SIMILARITIES]
        both = np.concatenate(
            [self.base.similarities(laid_out), self.delta.similarities(laid_out)], axis=1
        )
        return {name: both[i] for i, (name, _, _) in enumerate(SIMILARITIES)}

    def rows(self, part: str, rows: npt.NDArray[np.intp]) -> sparse.csr_matrix:
        """Return the given rows of one part matrix, in the order given."""
        in_base = rows < self.base.rows
        pieces = sparse.vstack(
            [
                self.base.parts[part][rows[in_base]],
                self.delta.parts[part][rows[~in_base] - self.base.rows],
            ],
            format="csr",
        )
        order = np.argsort(np.concatenate([np.flatnonzero(in_base), np.flatnonzero(~in_base)]))
        return sparse.csr_matrix(pieces[order])


def place_key(city: str, places: Taxonomy | None = None) -> str:
    """A city as compared for locality (``""`` when none).

    The place the gazetteer ``places`` finds in it (the same key in every script), else
    the city folded with spaces collapsed.
    """
    named = places.place(city) if places is not None and city else None
    if named is not None:
        return named.term
    return " ".join(unicodedata.normalize("NFKC", city).casefold().split())


def _present(parts: Mapping[str, sparse.csr_matrix]) -> dict[str, npt.NDArray[np.bool_]]:
    return {part: np.diff(matrix.indptr) > 0 for part, matrix in parts.items()}


def _declared_by(profiles: Iterable[Profile]) -> dict[int, frozenset[int]]:
    declaring: dict[int, set[int]] = {}
    for profile in profiles:
        for partner in profile.existing_partners:
            declaring.setdefault(partner, set()).add(int(profile.id or 0))
    return {partner: frozenset(ids) for partner, ids in declaring.items()}


def _redeclared(
    declared_by: Mapping[int, frozenset[int]],
    *,
    removed: Iterable[Profile],
    added: Iterable[Profile],
) -> Mapping[int, frozenset[int]]:
    """Update the reverse partner index: who declared each institution as a partner."""
    changes: dict[int, set[int]] = {}

    def entry(partner: int) -> set[int]:
        if partner not in changes:
            changes[partner] = set(declared_by.get(partner, ()))
        return changes[partner]

    for profile in removed:
        for partner in profile.existing_partners:
            entry(partner).discard(int(profile.id or 0))
    for profile in added:
        for partner in profile.existing_partners:
            entry(partner).add(int(profile.id or 0))
    return laid_over(
        declared_by,
        {partner: frozenset(declaring) or None for partner, declaring in changes.items()},
    )
