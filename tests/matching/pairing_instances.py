"""Pairing instances with known answers: brute force over every b-matching, the rules."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt
import pytest

from matching.pairing import (
    PairingResult,
    PairingRules,
    PairingSolver,
)

ASEAN = {"KH": "ASEAN", "TH": "ASEAN", "VN": "ASEAN"}
CN_ASEAN = frozenset({frozenset({"CN", "ASEAN"})})
TOL = 1e-7

Edge = tuple[int, int]


@dataclasses.dataclass(frozen=True)
class Instance:
    ids: list[int]
    countries: list[str]
    scores: npt.NDArray[np.float64]
    rules: PairingRules

    def row(self, pid: int) -> int:
        return self.ids.index(pid)

    def score(self, a: int, b: int) -> float:
        return float(self.scores[self.row(a), self.row(b)])

    def cap(self, pid: int) -> int:
        return self.rules.max_partners_by_id.get(pid, self.rules.max_partners)

    def allowed(self, a: int, b: int) -> bool:
        """The country rules and forbidden pairs, written out independently of the solver."""
        rules = self.rules
        ca, cb = self.countries[self.row(a)], self.countries[self.row(b)]
        if a == b or (rules.cross_border_only and ca == cb):
            return False
        if rules.allowed_group_pairs:
            groups = frozenset({rules.country_groups.get(ca, ca), rules.country_groups.get(cb, cb)})
            if groups not in rules.allowed_group_pairs:
                return False
        return (min(a, b), max(a, b)) not in rules.forbidden

    def eligible(self, a: int, b: int) -> bool:
        score = self.score(a, b)
        return self.allowed(a, b) and score > 0 and score >= self.rules.min_score

    def usable(self) -> list[Edge]:
        return [
            (a, b)
            for a, b in itertools.combinations(sorted(self.ids), 2)
            if self.eligible(a, b) and self.cap(a) > 0 and self.cap(b) > 0
        ]

    def solve(self, solver: PairingSolver | None = None) -> PairingResult:
        solver = solver or PairingSolver(candidates=None, mip_gap=0.0)
        return solver.solve(self.ids, self.countries, self.scores, self.rules)


def symmetric(rng: np.random.Generator, n: int, decimals: int = 2) -> npt.NDArray[np.float64]:
    # Rounding makes ties, which the tie-breaking must survive.
    upper = np.triu(np.round(rng.random((n, n)), decimals), k=1)
    upper[rng.random((n, n)) < 0.1] = 0.0
    scores = np.triu(upper, k=1)
    return scores + scores.T


def random_instance(seed: int, n: int, *, capacities: bool, fairness: str = "none") -> Instance:
    rng = np.random.default_rng(seed)
    ids = [int(x) for x in rng.choice(100, size=n, replace=False)]
    countries = [str(c) for c in rng.choice(["CN", "KH", "TH"], size=n)]
    scores = symmetric(rng, n)
    groups = bool(rng.random() < 0.4)
    max_partners = int(rng.integers(1, 3)) if capacities else 1
    by_id = {ids[0]: int(rng.integers(0, 4))} if capacities else {}
    pairs = list(itertools.combinations(ids, 2))
    forbidden = {pairs[k] for k in rng.choice(len(pairs), size=2, replace=False)}
    rules = PairingRules(
        max_partners=max_partners,
        max_partners_by_id=by_id,
        min_partners=int(rng.integers(0, 2)),
        cross_border_only=bool(rng.random() < 0.7),
        country_groups=ASEAN if groups else {},
        allowed_group_pairs=CN_ASEAN | {frozenset({"ASEAN"})} if groups else frozenset(),
        forbidden=frozenset(forbidden),
        min_score=float(rng.choice([0.0, 0.15])),
        fairness="maximin" if fairness == "maximin" else "none",
    )
    instance = Instance(ids, countries, scores, rules)
    usable = instance.usable()
    if usable and rng.random() < 0.5:
        locked = frozenset({usable[int(rng.integers(len(usable)))]})
        instance = dataclasses.replace(instance, rules=dataclasses.replace(rules, locked=locked))
    return instance


def b_matchings(instance: Instance) -> Iterator[list[Edge]]:
    """Every set of usable pairs within the capacities that holds the locked pairs."""
    edges = instance.usable()
    locked = instance.rules.locked
    load = dict.fromkeys(instance.ids, 0)
    chosen: list[Edge] = []

    def extend(k: int) -> Iterator[list[Edge]]:
        if k == len(edges):
            yield list(chosen)
            return
        a, b = edges[k]
        if load[a] < instance.cap(a) and load[b] < instance.cap(b):
            load[a] += 1
            load[b] += 1
            chosen.append((a, b))
            yield from extend(k + 1)
            chosen.pop()
            load[a] -= 1
            load[b] -= 1
        if (a, b) not in locked:
            yield from extend(k + 1)

    yield from extend(0)


def objective(
    instance: Instance, edges: Sequence[Edge], pairable: set[int] | None = None
) -> tuple[int, float, float]:
    """(covered min_partners slots, maximin floor or 0, total), compared in that order."""
    rules = instance.rules
    if pairable is None:
        pairable = {p for edge in instance.usable() for p in edge}
    degree = dict.fromkeys(instance.ids, 0)
    best = dict.fromkeys(instance.ids, 0.0)
    for a, b in edges:
        for pid in (a, b):
            degree[pid] += 1
            best[pid] = max(best[pid], instance.score(a, b))
    covered = sum(min(degree[p], rules.min_partners, instance.cap(p)) for p in instance.ids)
    floor = min((best[p] for p in pairable), default=0.0) if rules.fairness == "maximin" else 0.0
    return covered, floor, sum(instance.score(a, b) for a, b in edges)


def best_objective(instance: Instance) -> tuple[int, float, float]:
    pairable = {p for edge in instance.usable() for p in edge}
    keys = [objective(instance, edges, pairable) for edges in b_matchings(instance)]
    covered = max(key[0] for key in keys)
    floor = max(key[1] for key in keys if key[0] == covered)
    total = max(key[2] for key in keys if key[0] == covered and key[1] >= floor - TOL)
    return covered, floor, total


def assert_obeys_rules(instance: Instance, result: PairingResult) -> None:
    seen: set[Edge] = set()
    degree = dict.fromkeys(instance.ids, 0)
    for pair in result.pairs:
        assert pair.a < pair.b
        assert (pair.a, pair.b) not in seen, "the same two are never paired twice"
        seen.add((pair.a, pair.b))
        assert instance.eligible(pair.a, pair.b), pair
        assert pair.score == pytest.approx(instance.score(pair.a, pair.b))
        degree[pair.a] += 1
        degree[pair.b] += 1
    assert all(degree[p] <= instance.cap(p) for p in instance.ids)
    assert instance.rules.locked <= seen
    assert result.total == pytest.approx(sum(p.score for p in result.pairs))
    assert result.upper_bound >= result.total - TOL
    assert 0 <= result.gap <= 1


# -- optimality -----------------------------------------------------------------------------
