"""Hide known partnerships and see where each ranker puts the partner.

Protocol: for every pair (a, b) to find, and for each side that asks (a asks with b as
the target, then b with a), the asker's other partners are excluded (as the service
excludes declared partners), and the 1-based rank of the target in the top ``k`` is
recorded (none if it is not there). The asker declares the partnerships known while the
pair is hidden (see :class:`~matching.evaluation.datasets.Dataset` for the two splits),
so rankers that read the partner graph can.

Metrics over these queries: recall@1, recall@5, recall@k, MRR@k (1/rank, 0 when the
target is not in the top ``k``) and nDCG@k (one relevant item, so 1/log2(rank + 1)),
each with a 95% percentile bootstrap interval over askers (all of an asker's queries are
drawn together, as they are not independent; seeded); recall@k and MRR@k per kind of
asker; and coverage, the number of distinct institutions in anyone's top ``k`` when every
asking profile asks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from matching.evaluation.baselines import Ranker, default_rankers
from matching.evaluation.datasets import Dataset, DatasetError
from matching.taxonomy import Taxonomy

__all__ = ["Estimate", "KindScores", "QueryOutcome", "RankerScores", "Report", "evaluate"]


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
    split: str
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
    known = dataset.known()
    queries = [(q, t) for a, b in dataset.pairs for q, t in ((a, b), (b, a)) if dataset.asks(q)]
    if not queries:
        raise DatasetError(f"dataset {dataset.name!r}: no asker is in a pair to find")
    ranks: dict[str, list[int | None]] = {name: [] for name in rankers}
    for name, ranker in rankers.items():
        for asker, target in queries:
            query = dataclasses.replace(by_id[asker], existing_partners=known[asker] - {target})
            top = ranker.rank(query, k, (partners[asker] | known[asker]) - {target})
            ranks[name].append(top.index(target) + 1 if target in top else None)
    # Resample askers, not queries: one asker's queries share its profile. The same draws
    # serve every ranker and metric, so intervals compare.
    askers = sorted({asker for asker, _ in queries})
    cluster = np.searchsorted(askers, [asker for asker, _ in queries])
    draws = np.random.default_rng(seed).integers(0, len(askers), size=(resamples, len(askers)))
    kinds = [dataset.kinds[asker] for asker, _ in queries]
    scores = tuple(
        RankerScores(
            name=name,
            metrics={
                metric: _estimate(values, cluster, draws)
                for metric, values in _per_query(ranks[name], k).items()
            },
            by_kind=_by_kind(ranks[name], kinds, k),
            **_exposure(ranker, dataset, partners, known, k),
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
        split=dataset.split,
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


def _estimate(
    values: npt.NDArray[np.float64], cluster: npt.NDArray[np.intp], draws: npt.NDArray[np.int64]
) -> Estimate:
    sums = np.bincount(cluster, weights=values, minlength=draws.shape[1])
    counts = np.bincount(cluster, minlength=draws.shape[1]).astype(np.float64)
    means = sums[draws].sum(axis=1) / counts[draws].sum(axis=1)
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
    ranker: Ranker,
    dataset: Dataset,
    partners: Mapping[int, frozenset[int]],
    known: Mapping[int, frozenset[int]],
    k: int,
) -> dict[str, Any]:
    """How widely suggestions spread when every asker asks: coverage and concentration."""
    shown: dict[int, int] = {}
    for profile in dataset.profiles:
        assert profile.id is not None
        if not dataset.asks(profile.id):
            continue
        query = dataclasses.replace(profile, existing_partners=known[profile.id])
        for candidate in ranker.rank(query, k, partners[profile.id] | known[profile.id]):
            shown[candidate] = shown.get(candidate, 0) + 1
    counts = sorted(shown.values(), reverse=True)
    top_tenth = max(1, len(dataset.profiles) // 10)
    total = sum(counts)
    return {
        "coverage": len(shown),
        "concentration": sum(counts[:top_tenth]) / total if total else 0.0,
    }
