from __future__ import annotations

import ast
import dataclasses
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path

import networkx as nx
import numpy as np
import numpy.typing as npt
import pytest

from matching import pairing
from matching.pairing import (
    Alternate,
    Pair,
    PairingResult,
    PairingRules,
    PairingSolver,
    Unpaired,
    bounds,
    problem,
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


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("capacities", [False, True], ids=["one", "capacities"])
def test_total_matches_brute_force(seed: int, capacities: bool) -> None:
    instance = random_instance(seed, n=7 + seed % 2, capacities=capacities)
    result = instance.solve()
    assert_obeys_rules(instance, result)
    covered, _, total = objective(instance, [(p.a, p.b) for p in result.pairs])
    best_covered, _, best_total = best_objective(instance)
    assert covered == best_covered
    assert total == pytest.approx(best_total, abs=TOL)


def fair_instance(seed: int) -> Instance:
    """Four CN and four ASEAN participants with skewed scores, so a floor is worth fighting for."""
    rng = np.random.default_rng(seed)
    n = 8
    ids = [int(x) for x in rng.choice(100, size=n, replace=False)]
    countries = ["CN"] * 4 + [str(c) for c in rng.choice(["KH", "TH", "VN"], size=4)]
    upper = np.triu(np.round(rng.random((n, n)) ** 3, 3), k=1)
    capacities = seed % 2 == 1
    rules = PairingRules(
        max_partners=2 if capacities else 1,
        max_partners_by_id={ids[0]: 1} if capacities else {},
        country_groups=ASEAN,
        allowed_group_pairs=CN_ASEAN,
        forbidden=frozenset({(ids[1], ids[5])}),
        locked=frozenset({(ids[2], ids[6])}) if seed % 3 == 0 else frozenset(),
        min_score=0.0,  # the random scores go down to 0.001; the solver is tested here
        fairness="maximin",
    )
    return Instance(ids, countries, upper + upper.T, rules)


@pytest.mark.parametrize("seed", range(10))
def test_maximin_matches_brute_force(seed: int) -> None:
    instance = fair_instance(seed)
    result = instance.solve()
    assert_obeys_rules(instance, result)
    assert result.objective == "maximin"
    _, floor, total = objective(instance, [(p.a, p.b) for p in result.pairs])
    _, best_floor, best_total = best_objective(instance)
    assert result.floor == pytest.approx(floor)
    assert floor == pytest.approx(best_floor, abs=TOL)
    assert total == pytest.approx(best_total, abs=TOL)
    plain = dataclasses.replace(
        instance, rules=dataclasses.replace(instance.rules, fairness="none")
    )
    assert plain.solve().floor <= result.floor


@pytest.mark.parametrize("seed", range(6))
def test_upper_bound_holds_for_the_full_problem_on_a_candidate_graph(seed: int) -> None:
    instance = random_instance(seed, n=8, capacities=True)
    instance = dataclasses.replace(
        instance, rules=dataclasses.replace(instance.rules, min_partners=0)
    )
    result = instance.solve(PairingSolver(candidates=1))
    assert_obeys_rules(instance, result)
    optimum = best_objective(instance)[2]
    assert result.total <= optimum + TOL
    assert result.upper_bound >= optimum - TOL
    expected_gap = (result.upper_bound - result.total) / result.upper_bound if optimum else 0
    assert result.gap == pytest.approx(expected_gap)


@pytest.mark.parametrize("seed", range(4))
def test_lagrangian_bound_holds_for_any_nonnegative_multipliers(seed: int) -> None:
    instance = random_instance(seed, n=8, capacities=True)
    prepared = problem.prepare(instance.ids, instance.countries, instance.scores, instance.rules)
    optimum = max(objective(instance, edges)[2] for edges in b_matchings(instance))
    rng = np.random.default_rng(seed)
    for _ in range(20):
        duals = rng.random(len(instance.ids)) * rng.choice([0.1, 0.5, 1.0])
        assert bounds.full_upper_bound(prepared, duals) >= optimum - TOL


@pytest.mark.parametrize("seed", range(4))
def test_out_of_time_falls_back_to_a_valid_pairing_and_bound(seed: int) -> None:
    instance = random_instance(seed, n=8, capacities=True)
    result = instance.solve(PairingSolver(time_limit=1e-9))
    assert_obeys_rules(instance, result)
    assert result.upper_bound >= best_objective(instance)[2] - TOL


def general_instance(seed: int, n: int) -> Instance:
    rng = np.random.default_rng(seed)
    countries = [str(c) for c in rng.choice(["CN", "KH", "TH", "VN"], size=n)]
    return Instance(list(range(1, n + 1)), countries, symmetric(rng, n, decimals=3), PairingRules())


def networkx_matching(instance: Instance, *, maxcardinality: bool) -> tuple[int, float]:
    graph: nx.Graph[int] = nx.Graph()
    graph.add_weighted_edges_from((a, b, instance.score(a, b)) for a, b in instance.usable())
    matching = nx.max_weight_matching(graph, maxcardinality=maxcardinality)
    return len(matching), sum(instance.score(a, b) for a, b in matching)


@pytest.mark.parametrize(("seed", "n"), [(0, 40), (1, 50), (2, 60), (3, 60)])
def test_total_matches_networkx_on_general_graphs(seed: int, n: int) -> None:
    instance = general_instance(seed, n)
    result = instance.solve()
    assert_obeys_rules(instance, result)
    assert result.total == pytest.approx(networkx_matching(instance, maxcardinality=False)[1])
    # Solved whole: the solver's own dual bound certifies the optimum.
    assert result.gap < 1e-6


@pytest.mark.parametrize(("seed", "n"), [(0, 60), (1, 60), (2, 60)])
def test_default_tolerance_stays_within_its_certified_gap(seed: int, n: int) -> None:
    instance = general_instance(seed, n)
    optimum = networkx_matching(instance, maxcardinality=False)[1]
    result = instance.solve(PairingSolver(candidates=None))
    # HiGHS measures its gap against the incumbent, the result against the bound: allow 1%.
    assert result.gap <= 1.01e-4
    assert result.total >= (1 - 1.01e-4) * optimum


@pytest.mark.parametrize(("seed", "tolerance"), [(12, 0.01), (13, 0.01), (14, 1e-3)])
def test_a_looser_tolerance_holds_against_the_optimum_on_a_candidate_graph(
    seed: int, tolerance: float
) -> None:
    instance = general_instance(seed, 100)
    optimum = networkx_matching(instance, maxcardinality=False)[1]
    result = instance.solve(PairingSolver(candidates=4, mip_gap=tolerance))
    assert_obeys_rules(instance, result)
    assert result.gap <= tolerance
    assert result.total <= optimum + TOL <= result.upper_bound + 2 * TOL
    assert result.total >= (1 - tolerance) * optimum


@pytest.mark.parametrize(("seed", "n"), [(4, 40), (5, 60)])
def test_min_partners_matches_networkx_max_cardinality(seed: int, n: int) -> None:
    instance = general_instance(seed, n)
    instance = dataclasses.replace(instance, rules=PairingRules(min_partners=1))
    size, total = networkx_matching(instance, maxcardinality=True)
    result = instance.solve()
    assert len(result.pairs) == size
    assert result.total == pytest.approx(total)


@pytest.mark.parametrize("seed", [6, 7])
def test_candidate_graph_stays_within_its_certified_bound(seed: int) -> None:
    instance = general_instance(seed, 60)
    optimum = networkx_matching(instance, maxcardinality=False)[1]
    result = instance.solve(PairingSolver(candidates=3))
    assert_obeys_rules(instance, result)
    assert result.candidate_pairs < len(instance.usable())
    assert result.total <= optimum + TOL <= result.upper_bound + 2 * TOL


@pytest.mark.parametrize("seed", [8, 9])
def test_pricing_recovers_the_optimum_from_a_tiny_bipartite_candidate_graph(seed: int) -> None:
    # Bipartite LPs are integral, so once pricing closes the LP gap the pairing is optimal.
    instance = general_instance(seed, 60)
    rules = PairingRules(max_partners=2, country_groups=ASEAN, allowed_group_pairs=CN_ASEAN)
    instance = dataclasses.replace(instance, rules=rules)
    exact = instance.solve()
    priced = instance.solve(PairingSolver(candidates=2))
    assert priced.candidate_pairs < exact.candidate_pairs
    assert priced.total == pytest.approx(exact.total, rel=2e-4)
    assert priced.gap < 2e-4


def test_rules_hold_on_a_larger_instance_with_everything_switched_on() -> None:
    rng = np.random.default_rng(11)
    n = 90
    ids = [int(x) for x in rng.choice(10_000, size=n, replace=False)]
    countries = [str(c) for c in rng.choice(["CN", "KH", "TH", "VN", "LA"], size=n)]
    pairs = list(itertools.combinations(ids, 2))
    forbidden = {pairs[k] for k in rng.choice(len(pairs), size=200, replace=False)}
    base = Instance(ids, countries, symmetric(rng, n), PairingRules())
    rules = PairingRules(
        max_partners=2,
        max_partners_by_id={ids[0]: 3, ids[1]: 0},
        min_partners=1,
        country_groups=ASEAN,
        allowed_group_pairs=CN_ASEAN,
        forbidden=frozenset(forbidden),
        min_score=0.2,
    )
    instance = dataclasses.replace(base, rules=rules)
    locked = frozenset(instance.usable()[:2])
    instance = dataclasses.replace(instance, rules=dataclasses.replace(rules, locked=locked))
    result = instance.solve(PairingSolver(candidates=4))
    assert_obeys_rules(instance, result)
    assert all(ids[1] not in (p.a, p.b) for p in result.pairs)


# -- fairness -------------------------------------------------------------------------------


def test_maximin_lifts_the_worst_off_participant() -> None:
    # Total-max pairs 1-2 (1.0) and 3-4 (0.1): 3 and 4 are left with 0.1.
    # Maximin pairs 1-4 and 3-2 instead: everyone's partner scores at least 0.45.
    ids = [1, 2, 3, 4, 5, 6]
    countries = ["CN", "KH", "CN", "KH", "CN", "TH"]
    named = {
        (1, 2): 1.0,
        (3, 4): 0.1,
        (1, 4): 0.5,
        (2, 3): 0.45,
        (5, 6): 0.9,
        (1, 6): 0.5,
        (5, 2): 0.6,
        (5, 4): 0.46,
    }
    scores = np.zeros((6, 6))
    for (a, b), score in named.items():
        scores[a - 1, b - 1] = scores[b - 1, a - 1] = score
    total = Instance(ids, countries, scores, PairingRules())
    fair = Instance(ids, countries, scores, PairingRules(fairness="maximin"))

    by_total, by_floor = total.solve(), fair.solve()

    assert {(p.a, p.b) for p in by_total.pairs} == {(1, 2), (3, 4), (5, 6)}
    assert by_total.floor == pytest.approx(0.1)
    assert by_floor.floor == pytest.approx(0.45)
    assert {(p.a, p.b) for p in by_floor.pairs} == {(1, 4), (2, 3), (5, 6)}
    with_floor = [
        objective(total, edges)[2]
        for edges in b_matchings(total)
        if objective(fair, edges)[1] >= by_floor.floor - TOL
    ]
    assert by_floor.total == pytest.approx(max(with_floor))
    assert by_floor.total < by_total.total


def test_min_partners_trades_score_for_coverage() -> None:
    # A path 1-2-3-4: the heavy middle pair alone beats the two light outer pairs.
    ids, countries = [1, 2, 3, 4], ["CN", "KH", "CN", "KH"]
    scores = np.zeros((4, 4))
    for (a, b), score in {(1, 2): 0.1, (2, 3): 1.0, (3, 4): 0.1}.items():
        scores[a - 1, b - 1] = scores[b - 1, a - 1] = score

    alone = PairingSolver().solve(ids, countries, scores, PairingRules())
    covered = PairingSolver().solve(ids, countries, scores, PairingRules(min_partners=1))

    assert [(p.a, p.b) for p in alone.pairs] == [(2, 3)]
    assert alone.unpaired == (Unpaired(1, "capacity"), Unpaired(4, "capacity"))
    assert [(p.a, p.b) for p in covered.pairs] == [(1, 2), (3, 4)]
    assert covered.unpaired == ()


# -- reporting ------------------------------------------------------------------------------


@pytest.mark.parametrize(("low", "min_score"), [(0.1, 0.2), (0.0, 0.0)])
def test_unpaired_reasons(low: float, min_score: float) -> None:
    ids = [1, 2, 3, 4, 5, 6]
    countries = ["CN", "CN", "KH", "SG", "TH", "VN"]
    scores = np.full((6, 6), low)
    scores[3, :] = scores[:, 3] = 0.7  # 4 scores well with everyone, but every pair is vetoed
    scores[0, 2] = scores[2, 0] = 0.9
    scores[1, 2] = scores[2, 1] = 0.5
    rules = PairingRules(
        max_partners_by_id={6: 0},  # sits out: never reported
        forbidden=frozenset({(4, 1), (4, 2), (4, 3), (4, 5), (4, 6)}),
        min_score=min_score,
    )
    result = PairingSolver().solve(ids, countries, scores, rules)

    assert [(p.a, p.b) for p in result.pairs] == [(1, 3)]
    assert result.unpaired == (
        Unpaired(2, "capacity"),  # 3 would do, but 3 is taken by 1
        Unpaired(4, "no eligible partner"),
        Unpaired(5, "below threshold"),
    )


def test_participants_short_of_min_partners_are_reported() -> None:
    ids, countries = [1, 2, 3], ["CN", "KH", "TH"]
    scores = np.full((3, 3), 0.5)
    rules = PairingRules(max_partners=2, min_partners=2, forbidden=frozenset({(2, 3)}))
    result = PairingSolver().solve(ids, countries, scores, rules)
    assert [(p.a, p.b) for p in result.pairs] == [(1, 2), (1, 3)]
    assert result.unpaired == (
        Unpaired(2, "no eligible partner"),
        Unpaired(3, "no eligible partner"),
    )


def test_alternates_are_the_best_eligible_partners_not_assigned() -> None:
    instance = random_instance(3, n=12, capacities=True)
    rng = np.random.default_rng(3)
    instance = dataclasses.replace(instance, scores=symmetric(rng, 12, decimals=1))
    result = instance.solve()
    assigned = {pid: set[int]() for pid in instance.ids}
    for pair in result.pairs:
        assigned[pair.a].add(pair.b)
        assigned[pair.b].add(pair.a)
    usable = instance.usable()
    for pid in instance.ids:
        mine = [alt for alt in result.alternates if alt.id == pid]
        options = [b if a == pid else a for a, b in usable if pid in (a, b)]
        expected = sorted(
            (p for p in options if p not in assigned[pid]),
            key=lambda p: (-instance.score(pid, p), p),
        )[:3]
        assert [alt.partner for alt in mine] == expected
        assert all(alt.score == pytest.approx(instance.score(pid, alt.partner)) for alt in mine)
    assert result.alternates == tuple(sorted(result.alternates, key=lambda a: a.id))


def test_same_input_gives_the_same_result() -> None:
    instance = random_instance(5, n=40, capacities=True)
    first = instance.solve(PairingSolver(candidates=5))
    second = instance.solve(PairingSolver(candidates=5))
    assert first == second  # solver_seconds is left out of the comparison


def test_empty_and_single_participant() -> None:
    empty = PairingSolver().solve([], [], np.zeros((0, 0)))
    assert (empty.pairs, empty.unpaired, empty.total, empty.gap) == ((), (), 0.0, 0.0)
    alone = PairingSolver().solve([7], ["CN"], np.zeros((1, 1)))
    assert alone.unpaired == (Unpaired(7, "no eligible partner"),)


def test_result_types() -> None:
    result = PairingSolver().solve([2, 1], ["KH", "CN"], np.array([[0, 0.4], [0.4, 0]]))
    assert result.pairs == (Pair(1, 2, 0.4),)
    assert result.alternates == ()
    assert result.upper_bound == pytest.approx(0.4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.total = 1.0  # type: ignore[misc]
    assert Alternate(1, 2, 0.5).partner == 2


# -- errors ---------------------------------------------------------------------------------

THREE = ([1, 2, 3], ["CN", "KH", "TH"])


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (PairingRules(locked=frozenset({(1, 9)})), r"locked pair \(1, 9\): unknown participant 9"),
        (
            PairingRules(locked=frozenset({(2, 1), (1, 3)})),
            r"locked pair \(1, 3\) exceeds capacity: participant 1 would have 2",
        ),
        (
            PairingRules(locked=frozenset({(1, 2)}), min_score=0.6),
            r"locked pair \(1, 2\) breaks a rule: its score 0.5 is zero or below min_score",
        ),
        (
            PairingRules(
                locked=frozenset({(2, 3)}), country_groups=ASEAN, allowed_group_pairs=CN_ASEAN
            ),
            r"locked pair \(2, 3\) breaks a rule: country groups \['ASEAN'\]",
        ),
        (PairingRules(max_partners_by_id={8: 2}), "unknown participant 8"),
    ],
)
def test_locked_pairs_that_break_rules_are_rejected(rules: PairingRules, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PairingSolver().solve(*THREE, np.full((3, 3), 0.5), rules)


def test_a_locked_same_country_pair_is_rejected() -> None:
    rules = PairingRules(locked=frozenset({(1, 2)}))
    with pytest.raises(ValueError, match=r"\(1, 2\) breaks a rule: both are from CN"):
        PairingSolver().solve([1, 2], ["CN", "CN"], np.full((2, 2), 0.5), rules)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        (np.array([[0, 0.5, 0.2], [0.4, 0, 0.3], [0.2, 0.3, 0]]), "must be symmetric"),
        (np.full((3, 2), 0.5), r"shape \(3, 3\)"),
        (np.full((3, 3), 1.5), r"within \[0, 1\]"),
        (np.full((3, 3), np.nan), "finite"),
    ],
)
def test_malformed_scores_are_rejected(scores: npt.NDArray[np.float64], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PairingSolver().solve(*THREE, scores)


def test_malformed_participants_are_rejected() -> None:
    with pytest.raises(ValueError, match="unique"):
        PairingSolver().solve([1, 1], ["CN", "KH"], np.zeros((2, 2)))
    with pytest.raises(ValueError, match="1 countries for 2 ids"):
        PairingSolver().solve([1, 2], ["CN"], np.zeros((2, 2)))
    with pytest.raises(ValueError, match="candidates"):
        PairingSolver(candidates=0).solve([1, 2], ["CN", "KH"], np.zeros((2, 2)))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"max_partners": 0}, "max_partners must be at least 1"),
        ({"max_partners_by_id": {1: -1}}, r"max_partners_by_id\[1\]"),
        ({"min_partners": 2}, "min_partners must be within"),
        ({"min_score": 1.5}, "min_score"),
        ({"fairness": "leximin"}, "fairness"),
        ({"forbidden": frozenset({(3, 3)})}, r"forbidden pair \(3, 3\) pairs a participant"),
        ({"locked": frozenset({(1, 2)}), "forbidden": frozenset({(2, 1)})}, "also forbidden"),
        ({"allowed_group_pairs": frozenset({frozenset({"a", "b", "c"})})}, "one or two groups"),
    ],
)
def test_rules_are_validated(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PairingRules(**fields)  # type: ignore[arg-type]


def test_rules_normalise_pairs_and_copy_mappings() -> None:
    limits = {1: 2}
    rules = PairingRules(max_partners_by_id=limits, forbidden=frozenset({(5, 2)}))
    limits[1] = 0
    assert rules.max_partners_by_id == {1: 2}
    assert rules.forbidden == {(2, 5)}


def test_pairing_uses_numpy_and_scipy_only() -> None:
    imported: set[str] = set()
    for path in Path(pairing.__file__).parent.glob("*.py"):
        imported |= _imports(path)
    stdlib = {"__future__", "collections", "dataclasses", "time", "types", "typing"}
    assert imported - stdlib - {"matching"} == {"numpy", "scipy"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    return imported
