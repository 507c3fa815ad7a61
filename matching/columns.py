"""Profiles as columns of numbers, and read-only mappings over them.

A persisted index holds its profiles as plain arrays (``matching.fitted``), so a worker
maps them in milliseconds instead of parsing one object per profile on start:

* ``profiles.ids``: the ids in row order; ``profiles.sorted_ids`` and ``profiles.order``
  find an id's row by binary search, with no dictionary built on load;
* each text field (``name``, ``fields``...) as one UTF-8 ``blob`` and the ``offsets``
  of its strings in it; a list field adds ``rows``, where each row's strings start;
* each set of ids (``existing_partners``, ``worked_with``) as CSR ``indptr`` and ``indices``.

:class:`ProfileColumns` builds a :class:`~matching.types.Profile` only when one is read
(the latest few thousand are kept, so a profile read twice is the same object).
:class:`IdSets` maps ids to sets of ids the same way (who declared an institution a
partner). :class:`Layered` lays a small dictionary of later writes over either.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from matching.types import Profile

__all__ = [
    "IdSets",
    "Layered",
    "ProfileColumns",
    "id_set_arrays",
    "id_sets_arrays",
    "laid_over",
    "profile_arrays",
]

AnyArray = npt.NDArray[np.generic]
TEXT = ("name", "country", "city", "kind", "description")
TEXT_LISTS = ("fields", "needs", "offers", "programs", "languages")
ID_SETS = ("existing_partners", "worked_with")
# Built profiles kept per mapping: the candidates, partners and askers of recent requests.
_KEPT_PROFILES = 4096

_UNCHANGED = object()
K = TypeVar("K")
V = TypeVar("V")


def profile_arrays(profiles: Sequence[Profile], prefix: str = "profiles") -> dict[str, AnyArray]:
    """Return ``profiles`` (all with ids) as named arrays, in the order given."""
    ids = np.array([int(p.id or 0) for p in profiles], dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    arrays: dict[str, AnyArray] = {
        f"{prefix}.ids": ids,
        f"{prefix}.sorted_ids": ids[order],
        f"{prefix}.order": order.astype(np.int64),
    }
    for name in TEXT:
        arrays.update(_strings(f"{prefix}.{name}", [getattr(p, name) for p in profiles]))
    for name in TEXT_LISTS:
        lists = [getattr(p, name) for p in profiles]
        arrays.update(_strings(f"{prefix}.{name}", [s for items in lists for s in items]))
        arrays[f"{prefix}.{name}.rows"] = _pointers(len(items) for items in lists)
    for name in ID_SETS:
        arrays.update(id_set_arrays(f"{prefix}.{name}", [getattr(p, name) for p in profiles]))
    return arrays


def id_set_arrays(prefix: str, sets: Sequence[Iterable[int]]) -> dict[str, AnyArray]:
    """Sets of ids, one per row, as CSR ``indptr`` and sorted ``indices``."""
    rows = [sorted(int(i) for i in ids) for ids in sets]
    return {
        f"{prefix}.indptr": _pointers(len(row) for row in rows),
        f"{prefix}.indices": np.array([i for row in rows for i in row], dtype=np.int64),
    }


def _strings(prefix: str, strings: Sequence[str]) -> dict[str, AnyArray]:
    encoded = [s.encode("utf-8") for s in strings]
    return {
        f"{prefix}.blob": np.frombuffer(b"".join(encoded), dtype=np.uint8),
        f"{prefix}.offsets": _pointers(len(b) for b in encoded),
    }


def _pointers(lengths: Iterable[int]) -> npt.NDArray[np.int64]:
    counts = np.fromiter(lengths, dtype=np.int64)
    return np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(counts, dtype=np.int64)])


class _Rows:
    """Find an id's row by binary search over mapped arrays."""

    def __init__(self, arrays: Mapping[str, AnyArray], prefix: str) -> None:
        self.ids = np.asarray(arrays[f"{prefix}.ids"], dtype=np.int64)
        self.sorted_ids = np.asarray(arrays[f"{prefix}.sorted_ids"], dtype=np.int64)
        order = np.asarray(arrays[f"{prefix}.order"], dtype=np.int64)
        if not len(self.sorted_ids) == len(order) == len(self.ids):
            raise ValueError(f"{prefix}: ids, sorted ids and order differ in length")
        self._sorted, self._order, self._ids = _view(self.sorted_ids), _view(order), _view(self.ids)

    def row(self, key: object) -> int:
        """The row of ``key``, or -1."""
        if not isinstance(key, int | np.integer):
            return -1
        at = bisect.bisect_left(self._sorted, key)
        if at == len(self._sorted) or self._sorted[at] != key:
            return -1
        order: int = self._order[at]
        return order

    def id(self, row: int) -> int:
        """The id in ``row``."""
        found: int = self._ids[row]
        return found


class _ById(Mapping[int, V]):
    """Values by id over mapped arrays: ``_rows`` finds the row, ``_value`` reads it."""

    _rows: _Rows

    def _value(self, row: int) -> V:
        raise NotImplementedError

    def __getitem__(self, key: int) -> V:
        row = self._rows.row(key)
        if row < 0:
            raise KeyError(key)
        return self._value(row)

    def __contains__(self, key: object) -> bool:
        return self._rows.row(key) >= 0

    def __iter__(self) -> Iterator[int]:
        return iter(self._rows.ids.tolist())

    def __len__(self) -> int:
        return len(self._rows.ids)


class ProfileColumns(_ById[Profile]):
    """Profiles by id over the arrays :func:`profile_arrays` wrote, built when read."""

    def __init__(self, arrays: Mapping[str, AnyArray], prefix: str = "profiles") -> None:
        self._rows = _Rows(arrays, prefix)
        n = len(self._rows.ids)
        self._text = {
            name: _StringColumn(arrays, f"{prefix}.{name}") for name in (*TEXT, *TEXT_LISTS)
        }
        self._lists = {
            name: _view(_pointer_array(arrays, f"{prefix}.{name}.rows", n)) for name in TEXT_LISTS
        }
        self._sets = {name: _IdSetColumn(arrays, f"{prefix}.{name}", n) for name in ID_SETS}
        for name in TEXT:
            if len(self._text[name].offsets) != n + 1:
                raise ValueError(f"{prefix}.{name}: not one string per row")
        for name in TEXT_LISTS:
            if int(self._lists[name][-1]) != len(self._text[name].offsets) - 1:
                raise ValueError(f"{prefix}.{name}: rows point past the strings")
        # Cached per mapping (a method of this instance), so a dropped mapping frees it.
        self._profile = functools.lru_cache(maxsize=_KEPT_PROFILES)(self._build)

    @property
    def ids(self) -> npt.NDArray[np.int64]:
        """The ids in row order."""
        return self._rows.ids

    def _value(self, row: int) -> Profile:
        return self._profile(row)

    def _build(self, row: int) -> Profile:
        text, lists, sets = self._text, self._lists, self._sets

        def items(name: str) -> tuple[str, ...]:
            return text[name].slice(lists[name][row], lists[name][row + 1])

        return Profile(
            id=self._rows.id(row),
            name=text["name"].get(row),
            country=text["country"].get(row),
            city=text["city"].get(row),
            kind=text["kind"].get(row),
            fields=items("fields"),
            needs=items("needs"),
            offers=items("offers"),
            programs=items("programs"),
            description=text["description"].get(row),
            languages=items("languages"),
            existing_partners=sets["existing_partners"].get(row),
            worked_with=sets["worked_with"].get(row),
        )


class IdSets(_ById[frozenset[int]]):
    """Sets of ids by id over ``<prefix>.ids|sorted_ids|order|indptr|indices`` arrays."""

    def __init__(self, arrays: Mapping[str, AnyArray], prefix: str) -> None:
        self._rows = _Rows(arrays, prefix)
        self._sets = _IdSetColumn(arrays, prefix, len(self._rows.ids))

    def _value(self, row: int) -> frozenset[int]:
        return self._sets.get(row)


def id_sets_arrays(prefix: str, sets: Mapping[int, Iterable[int]]) -> dict[str, AnyArray]:
    """A mapping of ids to sets of ids as the arrays :class:`IdSets` reads."""
    keys = np.array(sorted(sets), dtype=np.int64)
    return {
        f"{prefix}.ids": keys,
        f"{prefix}.sorted_ids": keys,
        f"{prefix}.order": np.arange(len(keys), dtype=np.int64),
        **id_set_arrays(prefix, [list(sets[int(key)]) for key in keys]),
    }


# Read through memoryviews, not numpy: one element or a slice of bytes costs a fraction
# of a numpy call, and a profile is a few dozen of them.
class _StringColumn:
    def __init__(self, arrays: Mapping[str, AnyArray], prefix: str) -> None:
        blob = np.asarray(arrays[f"{prefix}.blob"], dtype=np.uint8)
        offsets = np.asarray(arrays[f"{prefix}.offsets"], dtype=np.int64)
        if not len(offsets) or int(offsets[-1]) != len(blob):
            raise ValueError(f"{prefix}: offsets do not end at the end of the text")
        self.blob, self.offsets = _view(blob), _view(offsets)

    def get(self, item: int) -> str:
        return str(self.blob[self.offsets[item] : self.offsets[item + 1]], "utf-8")

    def slice(self, first: int, last: int) -> tuple[str, ...]:
        bounds = self.offsets[first : last + 1]
        return tuple(str(self.blob[a:b], "utf-8") for a, b in itertools.pairwise(bounds))


class _IdSetColumn:
    def __init__(self, arrays: Mapping[str, AnyArray], prefix: str, rows: int) -> None:
        indptr = _pointer_array(arrays, f"{prefix}.indptr", rows)
        indices = np.asarray(arrays[f"{prefix}.indices"], dtype=np.int64)
        if int(indptr[-1]) != len(indices):
            raise ValueError(f"{prefix}: indptr points past the ids")
        self.indptr, self.indices = _view(indptr), _view(indices)

    def get(self, row: int) -> frozenset[int]:
        return frozenset(self.indices[self.indptr[row] : self.indptr[row + 1]])


def _view(array: AnyArray) -> memoryview:
    return np.ascontiguousarray(array).data


def _pointer_array(arrays: Mapping[str, AnyArray], name: str, rows: int) -> npt.NDArray[np.int64]:
    pointers = np.asarray(arrays[name], dtype=np.int64)
    if len(pointers) != rows + 1:
        raise ValueError(f"{name}: not one pointer per row and one more")
    return pointers


class Layered(Mapping[K, V]):
    """A read-only mapping with later changes laid over it: a value replaces, ``None`` removes.

    Writes after a persisted index was mapped stay a small dictionary here, so a write
    copies that dictionary, never the mapped base. Keys keep the base's order; keys the
    base lacks follow in the order they were added.
    """

    __slots__ = ("_base", "_changes", "_len")

    def __init__(self, base: Mapping[K, V], changes: Mapping[K, V | None]) -> None:
        self._base = base
        self._changes = dict(changes)
        in_base = {key: key in base for key in self._changes}
        added = sum(v is not None and not in_base[k] for k, v in self._changes.items())
        removed = sum(v is None and in_base[k] for k, v in self._changes.items())
        self._len = len(base) + added - removed

    def replaced(self, changes: Mapping[K, V | None]) -> Layered[K, V]:
        """Return this mapping with ``changes`` laid over it too."""
        return Layered(self._base, {**self._changes, **changes})

    def __getitem__(self, key: K) -> V:
        if key in self._changes:
            value = self._changes[key]
            if value is None:
                raise KeyError(key)
            return value
        return self._base[key]

    def __contains__(self, key: object) -> bool:
        if key in self._changes:
            return self._changes[key] is not None
        return key in self._base

    def __iter__(self) -> Iterator[K]:
        changes = self._changes
        for key in self._base:
            if changes.get(key, _UNCHANGED) is not None:  # removed keys map to None
                yield key
        for key, value in changes.items():
            if value is not None and key not in self._base:
                yield key

    def __len__(self) -> int:
        return self._len


def laid_over(mapping: Mapping[K, V], changes: Mapping[K, V | None]) -> Mapping[K, V]:
    """Return ``mapping`` with ``changes`` (a value replaces, ``None`` removes) laid over it."""
    if not changes:
        return mapping
    if isinstance(mapping, Layered):
        return mapping.replaced(changes)
    return Layered(mapping, changes)
