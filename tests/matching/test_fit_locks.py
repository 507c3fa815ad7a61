"""Wanted pairs (a workshop's accepted meeting requests) are locked only where the rules
and the capacities leave room; the rules win, then the earlier wanted pair."""

from __future__ import annotations

import numpy as np

from matching.pairing import LockRefusal, LockRefused, PairingRules, fit_locks

IDS = [1, 2, 3, 4]
COUNTRIES = ["KH", "CN", "CN", "KH"]
# 1-2 and 1-3 score well, 3-4 a little; 1-4 and 2-3 share a country.
SCORES = np.array(
    [
        [0.0, 0.6, 0.5, 0.4],
        [0.6, 0.0, 0.3, 0.2],
        [0.5, 0.3, 0.0, 0.02],
        [0.4, 0.2, 0.02, 0.0],
    ]
)


def test_a_pair_within_every_rule_is_kept() -> None:
    kept, refused = fit_locks(IDS, COUNTRIES, SCORES, PairingRules(), [(2, 1)])
    assert (kept, refused) == ([(1, 2)], [])


def test_the_earlier_wanted_pair_wins_the_capacity() -> None:
    kept, refused = fit_locks(IDS, COUNTRIES, SCORES, PairingRules(), [(1, 3), (1, 2)])
    assert kept == [(1, 3)]
    assert refused == [LockRefused(1, 2, LockRefusal.CAPACITY, participant=1)]
    assert refused[0].message == "participant 1 has no partner left under its capacity"


def test_the_organisers_lock_wins_over_a_wanted_pair() -> None:
    rules = PairingRules(locked=frozenset({(1, 2)}))
    kept, refused = fit_locks(IDS, COUNTRIES, SCORES, rules, [(1, 3), (2, 1)])
    assert kept == [(1, 2)]
    assert [(r.a, r.b, r.reason) for r in refused] == [(1, 3, LockRefusal.CAPACITY)]


def test_rules_and_scores_refuse_with_a_code_and_the_values_that_say_it() -> None:
    rules = PairingRules(forbidden=frozenset({(2, 1)}), max_partners=3, min_score=0.05)
    kept, refused = fit_locks(IDS, COUNTRIES, SCORES, rules, [(1, 2), (1, 4), (3, 4), (1, 9)])
    assert kept == []
    assert refused == [
        LockRefused(1, 2, LockRefusal.FORBIDDEN),
        LockRefused(1, 4, LockRefusal.SAME_COUNTRY, country="KH"),
        LockRefused(3, 4, LockRefusal.LOW_SCORE),
        LockRefused(1, 9, LockRefusal.NOT_PARTICIPANTS),
    ]
    assert [r.message for r in refused] == [
        "the pair is forbidden (a forbidden pair, declared partners or a decline)",
        "both are from KH and the run pairs across borders only",
        "its score is zero or below min_score",
        "not two participants",
    ]


def test_a_pair_outside_the_allowed_group_pairs_names_its_groups() -> None:
    rules = PairingRules(
        cross_border_only=False,
        country_groups={"KH": "ASEAN"},
        allowed_group_pairs=frozenset({frozenset({"ASEAN", "CN"})}),
    )
    kept, refused = fit_locks(IDS, COUNTRIES, SCORES, rules, [(2, 3), (1, 2)])
    assert kept == [(1, 2)]
    assert refused == [LockRefused(2, 3, LockRefusal.GROUPS, groups=("CN", "CN"))]
    assert refused[0].message == "CN × CN is not an allowed pair of country groups"
