"""Measure match quality: hide each known partnership and see where the partner ranks.

Dataset format (JSON)::

    {
      "name": "articles",
      "description": "what the set is and where it comes from",
      "profiles": [
        {"key": "npic", "name": "...", "country": "KH", "kind": "college",
         "fields": [...], "needs": [...], "offers": [...], "programs": [...],
         "description": "...", "languages": ["km", "en"]},
        ...
      ],
      "pairs": [["npic", "gzittc"], ...]
    }

Every profile has a unique string ``key``; the other profile members are optional and
mean what they mean in the service. ``pairs`` are known true partnerships, unordered.
Profiles get integer ids in file order, starting at 1.

Protocol: for every known pair (a, b), and for each side (a asks with b as the target,
then b asks with a as the target), the link is hidden, the asker's *other* known partners
are excluded (as the service excludes declared partners), and the 1-based rank of the
target in the top ``k`` is recorded (none if it is not there). Metrics over these
queries: recall@1, recall@5, recall@k, MRR@k (1/rank, 0 when the target is not in the top
``k``) and nDCG@k (one relevant item, so 1/log2(rank + 1)), each with a 95% percentile
bootstrap interval over queries; recall@k and MRR@k per kind of asker; and coverage, the
number of distinct institutions in anyone's top ``k`` when every profile asks.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, Self

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import TfidfVectorizer

from matching import CandidateFilter, Profile, ReciprocalRanker, Taxonomy, analyze

__all__ = [
    "Dataset",
    "DatasetError",
    "Estimate",
    "KindScores",
    "PopularityRanker",
    "QueryOutcome",
    "RandomRanker",
    "Ranker",
    "RankerScores",
    "ReciprocalBaseline",
    "Report",
    "WholeProfileRanker",
    "default_rankers",
    "evaluate",
    "format_report",
    "load_dataset",
    "parse_dataset",
]

_LIST_MEMBERS = ("fields", "needs", "offers", "programs", "languages")
_TEXT_MEMBERS = ("name", "country", "kind", "description")
_PROFILE_MEMBERS = frozenset(("key", *_LIST_MEMBERS, *_TEXT_MEMBERS))
_DATASET_MEMBERS = frozenset(("name", "description", "profiles", "pairs"))


# -- datasets --------------------------------------------------------------------------


class DatasetError(ValueError):
    """A dataset file or value that cannot be evaluated; the message says why."""


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

    def partners(self) -> dict[int, frozenset[int]]:
        """Return every profile's known partners, by id."""
        found: dict[int, set[int]] = {profile_id: set() for profile_id in self.keys}
        for a, b in self.pairs:
            found[a].add(b)
            found[b].add(a)
        return {profile_id: frozenset(ids) for profile_id, ids in found.items()}


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
    pairs: list[tuple[int, int]] = []
    seen: dict[frozenset[int], int] = {}
    for index, raw in enumerate(data["pairs"]):
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
    return Dataset(
        name=name,
        description=description,
        profiles=tuple(profiles),
        ids=ids,
        keys={profile_id: key for key, profile_id in ids.items()},
        kinds={profile.id: profile.kind for profile in profiles if profile.id is not None},
        pairs=tuple(pairs),
    )


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
        kind=_text(raw, "kind", where),
        description=_text(raw, "description", where),
        fields=lists["fields"],
        needs=lists["needs"],
        offers=lists["offers"],
        programs=lists["programs"],
        languages=lists["languages"],
    )


# -- rankers ---------------------------------------------------------------------------


class Ranker(Protocol):
    """Something fitted on a dataset's profiles that suggests partners for a profile."""

    def rank(self, query: Profile, k: int, exclude: frozenset[int]) -> list[int]:
        """Return up to ``k`` candidate ids, best first, never the query or ``exclude``."""
        ...


class ReciprocalBaseline:
    """The service's ranking (:class:`ReciprocalRanker`) with the country rule off.

    Give it the service's taxonomy to measure what the service does; ``exposure`` and
    ``diversity`` are passed to every ranking.
    """

    def __init__(
        self, *, taxonomy: Taxonomy | None = None, exposure: float = 0.0, diversity: float = 0.0
    ) -> None:
        self.taxonomy = taxonomy
        self.exposure = exposure
        self.diversity = diversity

    def fit(self, dataset: Dataset) -> Self:
        """Index the dataset's profiles."""
        self.ranker_ = ReciprocalRanker(taxonomy=self.taxonomy).fit(dataset.profiles)
        return self

    def rank(self, query: Profile, k: int, exclude: frozenset[int]) -> list[int]:
        """Return the ids of the ``k`` best reciprocal matches."""
        where = CandidateFilter(cross_border=False, exclude=exclude)
        matches = self.ranker_.rank(
            query,
            k=k,
            where=where,
            exposure=self.exposure,
            diversity=self.diversity,
            explain=False,
        )
        return [match.id for match in matches]


def _whole_text(profile: Profile) -> str:
    # One phrase per line: a line break ends a phrase, so no bigram spans two items.
    parts = (*profile.fields, *profile.needs, *profile.offers, *profile.programs)
    return "\n".join((*parts, profile.description))


class WholeProfileRanker:
    """Plain TF-IDF cosine between whole profiles: the look-alike-loving baseline."""

    def fit(self, dataset: Dataset) -> Self:
        """Learn the vocabulary and vectorise every profile."""
        texts = [_whole_text(profile) for profile in dataset.profiles]
        self.ids_ = np.array([profile.id for profile in dataset.profiles], dtype=np.int64)
        self.vectorizer_: TfidfVectorizer | None = None
        if any(analyze(text) for text in texts):
            self.vectorizer_ = TfidfVectorizer(analyzer=analyze)
            self.matrix_ = self.vectorizer_.fit_transform(texts)
        return self

    def rank(self, query: Profile, k: int, exclude: frozenset[int]) -> list[int]:
        """Return the ids of the ``k`` most similar profiles with a cosine above zero."""
        if self.vectorizer_ is None:
            return []
        asked = self.vectorizer_.transform([_whole_text(query)])
        scores = np.asarray((self.matrix_ @ asked.T).toarray()).ravel()
        keep = (scores > 0) & ~np.isin(self.ids_, _unwanted(query, exclude))
        return _best(self.ids_[keep], scores[keep], k)


class PopularityRanker:
    """Candidates with the most known partnerships first (ties by ascending id).

    A link between the query and a candidate that is not excluded is the one being held
    out, so it does not count towards that candidate's popularity.
    """

    def fit(self, dataset: Dataset) -> Self:
        """Count every profile's known partnerships."""
        self.partners_ = dataset.partners()
        self.ids_ = np.array(sorted(self.partners_), dtype=np.int64)
        self.degree_ = np.array([len(self.partners_[i]) for i in self.ids_], dtype=np.float64)
        return self

    def rank(self, query: Profile, k: int, exclude: frozenset[int]) -> list[int]:
        """Return the ids of the ``k`` most-partnered candidates."""
        hidden = self.partners_.get(query.id or 0, frozenset()) - exclude
        degree = self.degree_ - np.isin(self.ids_, list(hidden))
        keep = ~np.isin(self.ids_, _unwanted(query, exclude))
        return _best(self.ids_[keep], degree[keep], k)


class RandomRanker:
    """A seeded random order of every candidate, the same for the same seed and query."""

    def __init__(self, *, seed: int = 0) -> None:
        self.seed = seed

    def fit(self, dataset: Dataset) -> Self:
        """Remember the candidate ids."""
        self.ids_ = np.array([profile.id for profile in dataset.profiles], dtype=np.int64)
        return self

    def rank(self, query: Profile, k: int, exclude: frozenset[int]) -> list[int]:
        """Return ``k`` candidate ids in a random order seeded by the seed and the query."""
        order = np.random.default_rng((self.seed, query.id or 0)).permutation(self.ids_)
        keep = ~np.isin(order, _unwanted(query, exclude))
        return [int(i) for i in order[keep][:k]]


def _unwanted(query: Profile, exclude: frozenset[int]) -> list[int]:
    return [*exclude] if query.id is None else [query.id, *exclude]


def _best(ids: npt.NDArray[np.int64], scores: npt.NDArray[Any], k: int) -> list[int]:
    order = np.lexsort((ids, -scores))
    return [int(i) for i in ids[order][:k]]


def default_rankers(
    dataset: Dataset, *, seed: int = 0, taxonomy: Taxonomy | None = None
) -> dict[str, Ranker]:
    """Return the compared rankers, fitted on ``dataset``, by display name.

    The service's ranking appears twice: as served by default, and with ``exposure=1``
    (see ``docs/ranking.md``) to show what spreading exposure costs and gains.
    """
    return {
        "reciprocal": ReciprocalBaseline(taxonomy=taxonomy).fit(dataset),
        "reciprocal, exposure=1": ReciprocalBaseline(taxonomy=taxonomy, exposure=1.0).fit(dataset),
        "whole-profile TF-IDF": WholeProfileRanker().fit(dataset),
        "popularity": PopularityRanker().fit(dataset),
        "random": RandomRanker(seed=seed).fit(dataset),
    }


# -- evaluation ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Estimate:
    """A metric's mean over queries with its 95% percentile bootstrap interval."""

    value: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class KindScores:
    """recall@k and MRR@k over the queries asked by one kind of institution."""

    kind: str
    queries: int
    recall: float
    mrr: float


@dataclass(frozen=True, slots=True)
class RankerScores:
    """Everything measured for one ranker."""

    name: str
    metrics: Mapping[str, Estimate]
    by_kind: tuple[KindScores, ...]
    coverage: int
    # Share of all top-k places taken by the most-shown tenth of institutions.
    concentration: float


@dataclass(frozen=True, slots=True)
class QueryOutcome:
    """One query: who asked, which hidden partner was sought, and its rank per ranker."""

    query: str
    target: str
    kind: str
    ranks: Mapping[str, int | None]


@dataclass(frozen=True, slots=True)
class Report:
    """The result of :func:`evaluate`."""

    dataset: str
    profiles: int
    pairs: int
    k: int
    seed: int
    resamples: int
    rankers: tuple[RankerScores, ...]
    outcomes: tuple[QueryOutcome, ...]


def evaluate(
    dataset: Dataset,
    *,
    k: int = 10,
    seed: int = 0,
    resamples: int = 1000,
    rankers: Mapping[str, Ranker] | None = None,
    taxonomy: Taxonomy | None = None,
) -> Report:
    """Hide each known link in turn and measure where each ranker puts the partner.

    ``rankers`` defaults to :func:`default_rankers` (with ``taxonomy``); ``seed`` seeds the
    bootstrap and the random ranker.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, got {resamples}")
    if not dataset.pairs:
        raise DatasetError(f"dataset {dataset.name!r} has no known pairs to evaluate")
    if rankers is None:
        rankers = default_rankers(dataset, seed=seed, taxonomy=taxonomy)
    by_id = {profile.id: profile for profile in dataset.profiles}
    partners = dataset.partners()
    queries = [(q, t) for a, b in dataset.pairs for q, t in ((a, b), (b, a))]
    ranks: dict[str, list[int | None]] = {name: [] for name in rankers}
    for name, ranker in rankers.items():
        for asker, target in queries:
            top = ranker.rank(by_id[asker], k, partners[asker] - {target})
            ranks[name].append(top.index(target) + 1 if target in top else None)
    # The same resampled query sets for every ranker and metric, so intervals compare.
    draws = np.random.default_rng(seed).integers(0, len(queries), size=(resamples, len(queries)))
    kinds = [dataset.kinds[asker] for asker, _ in queries]
    scores = tuple(
        RankerScores(
            name=name,
            metrics={
                metric: _estimate(values, draws)
                for metric, values in _per_query(ranks[name], k).items()
            },
            by_kind=_by_kind(ranks[name], kinds, k),
            **_exposure(ranker, dataset, partners, k),
        )
        for name, ranker in rankers.items()
    )
    outcomes = tuple(
        QueryOutcome(
            query=dataset.keys[asker],
            target=dataset.keys[target],
            kind=dataset.kinds[asker],
            ranks={name: ranks[name][i] for name in rankers},
        )
        for i, (asker, target) in enumerate(queries)
    )
    return Report(
        dataset=dataset.name,
        profiles=len(dataset.profiles),
        pairs=len(dataset.pairs),
        k=k,
        seed=seed,
        resamples=resamples,
        rankers=scores,
        outcomes=outcomes,
    )


def _cutoffs(k: int) -> list[int]:
    return sorted({c for c in (1, 5, k) if c <= k})


def _per_query(ranks: Sequence[int | None], k: int) -> dict[str, npt.NDArray[np.float64]]:
    found = np.array([r if r is not None else 0 for r in ranks], dtype=np.float64)
    hit = found > 0
    values = {f"recall@{c}": (hit & (found <= c)).astype(np.float64) for c in _cutoffs(k)}
    with np.errstate(divide="ignore"):
        values[f"MRR@{k}"] = np.where(hit, 1.0 / found, 0.0)
        values[f"nDCG@{k}"] = np.where(hit, 1.0 / np.log2(found + 1), 0.0)
    return values


def _estimate(values: npt.NDArray[np.float64], draws: npt.NDArray[np.int64]) -> Estimate:
    means = values[draws].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return Estimate(value=float(values.mean()), low=float(low), high=float(high))


def _by_kind(ranks: Sequence[int | None], kinds: Sequence[str], k: int) -> tuple[KindScores, ...]:
    values = _per_query(ranks, k)
    recall, mrr = values[f"recall@{k}"], values[f"MRR@{k}"]
    rows = []
    for kind in sorted(set(kinds)):
        mask = np.array([q == kind for q in kinds])
        rows.append(
            KindScores(
                kind=kind,
                queries=int(mask.sum()),
                recall=float(recall[mask].mean()),
                mrr=float(mrr[mask].mean()),
            )
        )
    return tuple(rows)


def _exposure(
    ranker: Ranker, dataset: Dataset, partners: Mapping[int, frozenset[int]], k: int
) -> dict[str, Any]:
    """How widely suggestions spread when every profile asks: coverage and concentration."""
    shown: dict[int, int] = {}
    for profile in dataset.profiles:
        assert profile.id is not None
        for candidate in ranker.rank(profile, k, partners[profile.id]):
            shown[candidate] = shown.get(candidate, 0) + 1
    counts = sorted(shown.values(), reverse=True)
    top_tenth = max(1, len(dataset.profiles) // 10)
    total = sum(counts)
    return {
        "coverage": len(shown),
        "concentration": sum(counts[:top_tenth]) / total if total else 0.0,
    }


# -- the report in words ---------------------------------------------------------------


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric_from: int) -> list[str]:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if i >= numeric_from else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    return [line(header), *(line(row) for row in rows)]


def format_report(report: Report) -> str:
    """Return the report as plain-text tables: metrics, per-kind results, coverage."""
    queries = len(report.outcomes)
    lines = [
        f"dataset {report.dataset}: {report.profiles} profiles, {report.pairs} known pairs, "
        f"{queries} queries (each pair asked from both sides)",
        f"k={report.k}; 95% percentile bootstrap intervals over queries "
        f"({report.resamples} resamples, seed {report.seed}); MRR@{report.k} counts 0 "
        f"when the partner is not in the top {report.k}",
        "",
    ]
    metrics = list(report.rankers[0].metrics) if report.rankers else []
    lines += _table(
        ["ranker", *metrics],
        [
            [
                scores.name,
                *(
                    f"{e.value:.2f} [{e.low:.2f}, {e.high:.2f}]"
                    for e in (scores.metrics[m] for m in metrics)
                ),
            ]
            for scores in report.rankers
        ],
        numeric_from=1,
    )
    kinds = sorted({row.kind for scores in report.rankers for row in scores.by_kind})
    cells = {
        (scores.name, row.kind): f"{row.recall:.2f} / {row.mrr:.2f}"
        for scores in report.rankers
        for row in scores.by_kind
    }
    counts = {row.kind: row.queries for scores in report.rankers for row in scores.by_kind}
    lines += ["", f"by kind of asker, recall@{report.k} / MRR@{report.k}", ""]
    lines += _table(
        ["kind", "queries", *(scores.name for scores in report.rankers)],
        [
            [kind, str(counts[kind]), *(cells[(s.name, kind)] for s in report.rankers)]
            for kind in kinds
        ],
        numeric_from=1,
    )
    lines += [
        "",
        f"exposure when all {report.profiles} profiles ask: coverage = distinct "
        f"institutions in anyone's top {report.k}; concentration = share of all top-{report.k} "
        "places taken by the most-shown tenth of institutions (lower spreads more)",
        "",
    ]
    lines += _table(
        ["ranker", "coverage", "share", "concentration"],
        [
            [
                scores.name,
                f"{scores.coverage} of {report.profiles}",
                f"{scores.coverage / max(report.profiles, 1):.0%}",
                f"{scores.concentration:.0%}",
            ]
            for scores in report.rankers
        ],
        numeric_from=1,
    )
    return "\n".join(lines) + "\n"
