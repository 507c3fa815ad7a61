"""The pairing solver reaches the optimum: brute force, networkx, bounds."""

from __future__ import annotations

import dataclasses

import networkx as nx
import numpy as np
import pytest

from matching.pairing import (
    PairingRules,
    PairingSolver,
    bounds,
    problem,
)
from tests.matching.pairing_instances import (
    ASEAN,
    CN_ASEAN,
    TOL,
    Instance,
    assert_obeys_rules,
    b_matchings,
    best_objective,
    objective,
    random_instance,
    symmetric,
)


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
