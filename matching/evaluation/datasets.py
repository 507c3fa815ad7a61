"""Evaluation datasets: profiles, the partnerships to find, and what was known beforehand.

Dataset format (JSON)::

    {
      "name": "articles",
      "description": "what the set is and where it comes from",
      "split": "leave-one-out",
      "profiles": [
        {"key": "npic", "name": "...", "country": "KH", "city": "Phnom Penh",
         "kind": "college", "fields": [...], "needs": [...], "offers": [...],
         "programs": [...], "description": "...", "languages": ["km", "en"]},
        ...
      ],
      "pairs": [["npic", "gzittc"], ...],
      "declared": [["npic", "a", "b"], ...],
      "askers": ["npic", ...]
    }

Every profile has a unique string ``key``; the other profile members are optional and
mean what they mean in the service. ``pairs`` are the true partnerships to find,
unordered. ``declared`` (optional) lists groups whose members were all known partners of
one another beforehand (a consortium, or a pair): they are declared partnerships, never
asked about. ``askers`` (optional, default all) limits which side of a pair asks.

``split`` says what is known while a pair is hidden:

* ``leave-one-out`` (default): one pair at a time; every other pair counts as a declared
  partnership, so partners of partners can be used;
* ``time``: every pair at once (they happened later); only ``declared`` is known. Hiding
  single pairs of a consortium whose other pairs stay known would leak the answer.

Profiles get integer ids in file order, starting at 1.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from matching.types import Profile

__all__ = ["Dataset", "DatasetError", "Split", "load_dataset", "parse_dataset"]

Split = Literal["leave-one-out", "time"]

_LIST_MEMBERS = ("fields", "needs", "offers", "programs", "languages")
_TEXT_MEMBERS = ("name", "country", "city", "kind", "description")
_PROFILE_MEMBERS = frozenset(("key", *_LIST_MEMBERS, *_TEXT_MEMBERS))
_DATASET_MEMBERS = frozenset(
    ("name", "description", "split", "profiles", "pairs", "declared", "askers")
)
_SPLITS: tuple[Split, ...] = ("leave-one-out", "time")


class DatasetError(ValueError):
    """A dataset file or value that cannot be evaluated; the message says why."""


def _adjacency(edges: Any) -> dict[int, frozenset[int]]:
    found: dict[int, set[int]] = {}
    for a, b in edges:
        found.setdefault(a, set()).add(b)
        found.setdefault(b, set()).add(a)
    return {node: frozenset(others) for node, others in found.items()}


@dataclass(frozen=True, slots=True)
class Dataset:
    """Profiles (ids 1..n in file order, no declared partners) and known partnerships."""

    name: str
    description: str
    profiles: tuple[Profile, ...]
    ids: Mapping[str, int]
    keys: Mapping[int, str]
    kinds: Mapping[int, str]
    pairs: tuple[tuple[int, int], ...]
    split: Split = "leave-one-out"
    declared: tuple[tuple[int, int], ...] = ()
    askers: frozenset[int] | None = None

    def partners(self) -> dict[int, frozenset[int]]:
        """Return every profile's partners to find (``pairs``), by id."""
        found = _adjacency(self.pairs)
        return {profile_id: found.get(profile_id, frozenset()) for profile_id in self.keys}

    def known(self) -> dict[int, frozenset[int]]:
        """Return every profile's partnerships known while evaluating, pairs still hidden.

        Under ``leave-one-out`` this holds every pair (the one asked about is taken out
        per query, see :meth:`known_for`); under ``time`` only the declared ones.
        """
        edges = (*self.declared, *(self.pairs if self.split == "leave-one-out" else ()))
        found = _adjacency(edges)
        return {profile_id: found.get(profile_id, frozenset()) for profile_id in self.keys}

    def asks(self, profile_id: int) -> bool:
        """Whether this profile asks for its partners."""
        return self.askers is None or profile_id in self.askers


def load_dataset(path: str | os.PathLike[str]) -> Dataset:
    """Read a dataset JSON file; raise :class:`DatasetError` naming the file and the fault."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DatasetError(f"{path}: cannot read a JSON dataset: {error}") from error
    try:
        return parse_dataset(data, default_name=path.stem)
    except DatasetError as error:
        raise DatasetError(f"{path}: {error}") from error


def parse_dataset(data: object, *, default_name: str = "dataset") -> Dataset:
    """Build a dataset from its decoded JSON; raise :class:`DatasetError` saying what is wrong."""
    if not isinstance(data, dict):
        raise DatasetError("a dataset is a JSON object with 'profiles' and 'pairs'")
    unknown = sorted(set(data) - _DATASET_MEMBERS)
    if unknown:
        raise DatasetError(f"unknown dataset members {unknown}")
    for member in ("profiles", "pairs"):
        if not isinstance(data.get(member), list):
            raise DatasetError(f"'{member}' must be a list")
    name = _text(data, "name", "dataset") or default_name
    description = _text(data, "description", "dataset")
    split = data.get("split", "leave-one-out")
    if split not in _SPLITS:
        raise DatasetError(f"'split' must be one of {list(_SPLITS)}, got {split!r}")
    profiles: list[Profile] = []
    ids: dict[str, int] = {}
    for index, raw in enumerate(data["profiles"]):
        where = f"profiles[{index}]"
        key, profile = _profile(raw, where, profile_id=index + 1)
        if key in ids:
            raise DatasetError(
                f"{where}: duplicate key {key!r} (first at profiles[{ids[key] - 1}])"
            )
        ids[key] = index + 1
        profiles.append(profile)
    pairs = _pairs(data["pairs"], ids)
    declared = _declared(data.get("declared", []), ids)
    overlap = set(map(frozenset, pairs)) & set(map(frozenset, declared))
    if overlap:
        a, b = sorted(next(iter(overlap)))
        keys = [profiles[a - 1], profiles[b - 1]]
        raise DatasetError(f"pair {[p.name or p.id for p in keys]!r} is both to find and declared")
    askers = data.get("askers")
    if askers is not None and not (
        isinstance(askers, list) and all(isinstance(k, str) and k in ids for k in askers)
    ):
        raise DatasetError("'askers' must be a list of profile keys")
    return Dataset(
        name=name,
        description=description,
        profiles=tuple(profiles),
        ids=ids,
        keys={profile_id: key for key, profile_id in ids.items()},
        kinds={profile.id: profile.kind for profile in profiles if profile.id is not None},
        pairs=tuple(pairs),
        split=split,
        declared=tuple(declared),
        askers=None if askers is None else frozenset(ids[k] for k in askers),
    )


def _pairs(raw_pairs: list[Any], ids: Mapping[str, int]) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    seen: dict[frozenset[int], int] = {}
    for index, raw in enumerate(raw_pairs):
        where = f"pairs[{index}]"
        if not (isinstance(raw, list) and len(raw) == 2 and all(isinstance(k, str) for k in raw)):
            raise DatasetError(f"{where}: a pair is a list of two profile keys, got {raw!r}")
        for key in raw:
            if key not in ids:
                raise DatasetError(f"{where}: unknown profile key {key!r}")
        a, b = ids[raw[0]], ids[raw[1]]
        if a == b:
            raise DatasetError(f"{where}: {raw[0]!r} is paired with itself")
        if frozenset((a, b)) in seen:
            first = seen[frozenset((a, b))]
            raise DatasetError(f"{where}: pair {raw!r} is listed twice (first at pairs[{first}])")
        seen[frozenset((a, b))] = index
        pairs.append((a, b))
    return pairs


def _declared(groups: object, ids: Mapping[str, int]) -> list[tuple[int, int]]:
    """Every two members of each declared group, each unordered pair once."""
    if not isinstance(groups, list):
        raise DatasetError("'declared' must be a list of groups of profile keys")
    edges: dict[frozenset[int], tuple[int, int]] = {}
    for index, group in enumerate(groups):
        if not (isinstance(group, list) and len(group) >= 2):
            raise DatasetError(f"declared[{index}]: a group lists two or more profile keys")
        for key in group:
            if not isinstance(key, str) or key not in ids:
                raise DatasetError(f"declared[{index}]: unknown profile key {key!r}")
        members = list(dict.fromkeys(ids[key] for key in group))
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                edges.setdefault(frozenset((a, b)), (a, b))
    return list(edges.values())


def _text(raw: Mapping[str, Any], member: str, where: str) -> str:
    value = raw.get(member, "")
    if not isinstance(value, str):
        raise DatasetError(f"{where}: '{member}' must be a string, got {value!r}")
    return value


def _profile(raw: object, where: str, *, profile_id: int) -> tuple[str, Profile]:
    if not isinstance(raw, dict):
        raise DatasetError(f"{where}: a profile is a JSON object, got {raw!r}")
    unknown = sorted(set(raw) - _PROFILE_MEMBERS)
    if unknown:
        raise DatasetError(f"{where}: unknown profile members {unknown}")
    key = raw.get("key")
    if not isinstance(key, str) or not key:
        raise DatasetError(f"{where}: 'key' must be a non-empty string")
    where = f"{where} ({key!r})"
    lists: dict[str, tuple[str, ...]] = {}
    for member in _LIST_MEMBERS:
        value = raw.get(member) or []
        if not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
            raise DatasetError(f"{where}: '{member}' must be a list of strings")
        lists[member] = tuple(value)
    return key, Profile(
        id=profile_id,
        name=_text(raw, "name", where),
        country=_text(raw, "country", where),
        city=_text(raw, "city", where),
        kind=_text(raw, "kind", where),
        description=_text(raw, "description", where),
        fields=lists["fields"],
        needs=lists["needs"],
        offers=lists["offers"],
        programs=lists["programs"],
        languages=lists["languages"],
    )
