"""Top-10 latency of the real ranker in-process, and where a query's time goes.

The latency is ``ReciprocalRanker.rank(profile, k=10)`` with the default filter, for
stored profiles picked at random: exactly what a match request asks of the index.

The breakdown replays some of the same queries with timers wrapped around the ranker's
own stages, found by name (private names, used only here; a stage the ranker no longer
has is reported as missing, never guessed):

* ``transform``: cutting the query into its five documents, analysing the text, finding
  taxonomy concepts and vectorising (``ReciprocalRanker._transform_one``);
* ``similarities``: the five cosines against every stored row
  (``matching.ranker._similarities``: densifying the query columns, then the products);
* ``explain``: writing the reasons of the matches (``matching.explain.explain`` as the
  ranker imports it, ``said_matches`` that draws the reasons, comparing phrases for pairs
  not explained before, the reason language);
* ``rest``: what is left of the query: fusing the parts into the score, filtering, the
  top-k selection and building the results.

Separately, ``products`` times the five sparse matrix-vector products alone on
``corpus_.parts`` with the query columns already dense: the scoring step by itself,
whatever the ranker does around it.
"""

from __future__ import annotations

import inspect
import random
import statistics
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import matching.ranker as ranker_module
from bench.anatomy import PRODUCTS, part_matrices
from bench.gcwatch import GcPauses, watch_gc
from bench.measure import Latency
from matching import Match, Profile, ReciprocalRanker

__all__ = ["Breakdown", "QueryRun", "breakdown", "can_skip_reasons", "pick_queries", "run_queries"]

_WARMUP = 5


@dataclass(frozen=True, slots=True)
class QueryRun:
    """Every timed query: the asked profiles, their results and durations in seconds."""

    queries: Sequence[Profile]
    results: Sequence[Sequence[Match]]
    seconds: Sequence[float]
    gc: GcPauses

    @property
    def latency(self) -> Latency:
        return Latency.of(self.seconds)


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Median milliseconds per query of each stage (``None`` when it cannot be timed)."""

    queries: int
    total_ms: float
    transform_ms: float | None
    similarities_ms: float | None
    products_ms: float | None
    explain_ms: float | None
    rest_ms: float | None
    notes: list[str] = field(default_factory=list)


def pick_queries(profiles: Sequence[Profile], count: int, seed: int) -> list[Profile]:
    """Pick ``count`` stored profiles at random (with replacement only if there are fewer)."""
    rng = random.Random(seed)
    if count <= len(profiles):
        return rng.sample(list(profiles), count)
    return rng.choices(list(profiles), k=count)


def run_queries(
    ranker: ReciprocalRanker, queries: Sequence[Profile], k: int = 10, **options: Any
) -> QueryRun:
    """Time ``ranker.rank(query, k=k, **options)`` for each query, after a short warm-up."""
    for query in queries[:_WARMUP]:
        ranker.rank(query, k=k, **options)
    results: list[list[Match]] = []
    seconds: list[float] = []
    with watch_gc() as pauses:
        for query in queries:
            started = time.perf_counter()
            matches = ranker.rank(query, k=k, **options)
            seconds.append(time.perf_counter() - started)
            results.append(matches)
    return QueryRun(queries=queries, results=results, seconds=seconds, gc=pauses)


def can_skip_reasons(ranker: ReciprocalRanker) -> bool:
    """Whether ``rank`` takes ``explain=False`` (top-k without the reasons in words)."""
    return "explain" in inspect.signature(ranker.rank).parameters


def _median_ms(values: Sequence[float]) -> float | None:
    return statistics.median(values) * 1000 if values else None


class _Stopwatch:
    """Accumulates the time spent inside wrapped callables, per stage."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[stage] = self.spent.get(stage, 0.0) + time.perf_counter() - started

        return timed


# Per stage, where the ranker may keep it: "ranker" (the instance), "module"
# (matching.ranker) or "corpus" (the index snapshot's class). The first one found is timed,
# except for "explain", whose pieces run one after the other and are all timed.
_HOOKS: dict[str, tuple[tuple[str, str], ...]] = {
    "transform": (("ranker", "_transform_one"),),
    "similarities": (("module", "_similarities"), ("corpus", "similarities")),
    "explain": (
        ("module", "_explain"),
        ("module", "explain"),
        ("module", "said_matches"),
        ("module", "reason_language"),
    ),
}
_MISSING = object()


@contextmanager
def _instrumented(
    ranker: ReciprocalRanker, watch: _Stopwatch
) -> Iterator[tuple[set[str], list[str]]]:
    """Wrap the ranker's stages with timers; yield the stages timed and notes on the rest."""
    owners: dict[str, object] = {
        "ranker": ranker,
        "module": ranker_module,
        "corpus": type(ranker.corpus_),
    }
    notes: list[str] = []
    timed: set[str] = set()
    restore: list[tuple[object, str, object]] = []
    for stage, places in _HOOKS.items():
        for where, name in places:
            owner = owners[where]
            original = getattr(owner, name, None)
            if not callable(original):
                continue
            restore.append((owner, name, vars(owner).get(name, _MISSING)))
            setattr(owner, name, watch.wrap(stage, original))
            timed.add(stage)
            if stage != "explain":
                break
        if stage not in timed:
            notes.append(f"none of {[name for _, name in places]} found: {stage} not timed")
    try:
        yield timed, notes
    finally:
        for owner, name, saved in reversed(restore):
            if saved is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, saved)


def _products_seconds(
    ranker: ReciprocalRanker, parts: Mapping[str, Any], query: Profile
) -> float | None:
    transform: Callable[[Profile], Any] | None = getattr(ranker, "_transform_one", None)
    if transform is None:
        return None
    vectors = transform(query)
    columns = {asked: vectors[asked].toarray().ravel() for _, asked in PRODUCTS}
    started = time.perf_counter()
    for stored, asked in PRODUCTS:
        parts[stored] @ columns[asked]
    return time.perf_counter() - started


def breakdown(ranker: ReciprocalRanker, queries: Sequence[Profile], k: int = 10) -> Breakdown:
    """Replay ``queries`` with each stage of the ranker timed separately."""
    watch = _Stopwatch()
    totals: list[float] = []
    stages: dict[str, list[float]] = {"transform": [], "similarities": [], "explain": []}
    rest: list[float] = []
    with _instrumented(ranker, watch) as (timed, notes):
        for query in queries:
            watch.spent.clear()
            started = time.perf_counter()
            ranker.rank(query, k=k)
            total = time.perf_counter() - started
            totals.append(total)
            for stage in timed:
                stages[stage].append(watch.spent.get(stage, 0.0))
            rest.append(total - sum(watch.spent.values()))
    parts = part_matrices(ranker)
    products = [
        seconds
        for seconds in (_products_seconds(ranker, parts, q) for q in queries)
        if seconds is not None
    ]
    complete = timed == set(stages)
    return Breakdown(
        queries=len(queries),
        total_ms=statistics.median(totals) * 1000,
        transform_ms=_median_ms(stages["transform"]),
        similarities_ms=_median_ms(stages["similarities"]),
        products_ms=_median_ms(products),
        explain_ms=_median_ms(stages["explain"]),
        rest_ms=_median_ms(rest) if complete else None,
        notes=notes,
    )
