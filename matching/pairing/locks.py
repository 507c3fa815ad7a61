"""Wanted pairs (a workshop's accepted meeting requests, say) locked where the rules leave
room, and for each of the rest a typed refusal: which rule, and the values that say it.

The refusal carries a code and values rather than a sentence, so a caller can say it in
its reader's language; :attr:`LockRefused.message` is the English sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy.typing as npt

from matching.pairing.problem import prepare
from matching.types import PairingRules


class LockRefusal(StrEnum):
    """Why a wanted pair was not locked."""

    NOT_PARTICIPANTS = "not_participants"  # not two distinct participants
    SAME_COUNTRY = "same_country"  # cross_border_only, and both from one country
    FORBIDDEN = "forbidden"  # one of the rules' forbidden pairs
    GROUPS = "groups"  # the country groups are not an allowed group pair
    LOW_SCORE = "low_score"  # the score is zero or below min_score
    CAPACITY = "capacity"  # one side has no partner left under its capacity


@dataclass(frozen=True, slots=True)
class LockRefused:
    """A wanted pair that was not locked, and why.

    ``country`` is set for ``SAME_COUNTRY``, ``groups`` (the two sides', sorted) for ``GROUPS`` and
    ``participant`` (the one with no partner left) for ``CAPACITY``.
    """

    a: int
    b: int
    reason: LockRefusal
    country: str | None = None
    groups: tuple[str, ...] = ()
    participant: int | None = None

    @property
    def message(self) -> str:
        """The refusal in English."""
        match self.reason:
            case LockRefusal.NOT_PARTICIPANTS:
                return "not two participants"
            case LockRefusal.SAME_COUNTRY:
                return f"both are from {self.country} and the run pairs across borders only"
            case LockRefusal.FORBIDDEN:
                return "the pair is forbidden (a forbidden pair, declared partners or a decline)"
            case LockRefusal.GROUPS:
                return f"{' × '.join(self.groups)} is not an allowed pair of country groups"
            case LockRefusal.LOW_SCORE:
                return "its score is zero or below min_score"
            case LockRefusal.CAPACITY:
                return f"participant {self.participant} has no partner left under its capacity"


def _not_allowed(
    rules: PairingRules, pair: tuple[int, int], countries: Sequence[str]
) -> LockRefused:
    """The rule that forbids a pair the problem does not allow."""
    a, b = pair
    if rules.cross_border_only and countries[0] == countries[1]:
        return LockRefused(a, b, LockRefusal.SAME_COUNTRY, country=countries[0])
    if pair in rules.forbidden or (b, a) in rules.forbidden:
        return LockRefused(a, b, LockRefusal.FORBIDDEN)
    groups = tuple(sorted(rules.country_groups.get(c, c) for c in countries))
    return LockRefused(a, b, LockRefusal.GROUPS, groups=groups)


def fit_locks(
    ids: Sequence[int],
    countries: Sequence[str],
    scores: npt.ArrayLike,
    rules: PairingRules,
    wanted: Sequence[tuple[int, int]],
) -> tuple[list[tuple[int, int]], list[LockRefused]]:
    """Split ``wanted`` pairs into those that can be locked on top of ``rules`` and the rest.

    Pairs are taken in the given order: each must pass every rule and fit the capacity left
    by ``rules.locked`` and the wanted pairs kept before it, so ``rules`` always win and an
    earlier wanted pair wins over a later one. Returns the kept pairs (low id first, those
    already locked included) and, in the same order, a refusal for each pair not kept.
    """
    problem = prepare(ids, countries, scores, rules)
    row_of = {int(pid): row for row, pid in enumerate(problem.ids)}
    country_of = dict(zip((int(pid) for pid in ids), countries, strict=True))
    load = problem.is_locked.sum(axis=0) + problem.is_locked.sum(axis=1)
    kept: list[tuple[int, int]] = []
    refused: list[LockRefused] = []
    for a, b in wanted:
        pair = (min(a, b), max(a, b))
        if pair in kept or any((r.a, r.b) == pair for r in refused):
            continue
        if a not in row_of or b not in row_of or a == b:
            refused.append(LockRefused(*pair, LockRefusal.NOT_PARTICIPANTS))
            continue
        i, j = sorted((row_of[a], row_of[b]))
        if problem.is_locked[i, j]:
            kept.append(pair)
        elif not problem.allowed[i, j]:
            refused.append(_not_allowed(rules, pair, [country_of[p] for p in pair]))
        elif not problem.eligible[i, j]:
            refused.append(LockRefused(*pair, LockRefusal.LOW_SCORE))
        elif load[i] >= problem.caps[i] or load[j] >= problem.caps[j]:
            full = int(problem.ids[i] if load[i] >= problem.caps[i] else problem.ids[j])
            refused.append(LockRefused(*pair, LockRefusal.CAPACITY, participant=full))
        else:
            kept.append(pair)
            load[i] += 1
            load[j] += 1
    return kept, refused
