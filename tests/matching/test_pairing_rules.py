"""The pairing obeys its rules, reports who is left out and why, refuses bad input."""

from __future__ import annotations

import ast
import dataclasses
import itertools
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from matching import pairing
from matching.pairing import (
    Alternate,
    Pair,
    PairingRules,
    PairingSolver,
    Unpaired,
)
from matching.pairing.problem import RuleBroken
from tests.matching.pairing_instances import (
    ASEAN,
    CN_ASEAN,
    TOL,
    Instance,
    assert_obeys_rules,
    b_matchings,
    objective,
    random_instance,
    symmetric,
)


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


def test_a_broken_rule_names_its_code_and_values_for_other_languages() -> None:
    rules = PairingRules(locked=frozenset({(1, 2)}))
    with pytest.raises(RuleBroken) as broken:
        PairingSolver().solve([1, 2], ["CN", "CN"], np.full((2, 2), 0.5), rules)
    assert broken.value.code == "locked_same_country"
    assert broken.value.params == {"a": 1, "b": 2, "country": "CN"}


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
    assert imported - set(sys.stdlib_module_names) - {"matching"} == {"numpy", "scipy"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    return imported
