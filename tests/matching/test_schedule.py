"""Meeting schedules: no double-booking, availability respected, few slots."""

from __future__ import annotations

import itertools
import random

import pytest

from matching.schedule import Schedule, schedule_meetings


def _check(tables: int, result_pairs: int, schedule: Schedule) -> None:
    assert len(schedule.meetings) == result_pairs
    for slot, group in itertools.groupby(schedule.meetings, key=lambda m: m.slot):
        meetings = list(group)
        people = [pid for m in meetings for pid in (m.a, m.b)]
        assert len(people) == len(set(people)), f"double-booked in slot {slot}"
        assert len(meetings) <= tables
        assert sorted(m.table for m in meetings) == list(range(1, len(meetings) + 1))


@pytest.mark.parametrize("seed", range(5))
def test_random_pairings_are_never_double_booked(seed: int) -> None:
    rng = random.Random(seed)
    people = list(range(1, 41))
    drawn = (rng.sample(people, 2) for _ in range(60))
    pairs = sorted({(min(a, b), max(a, b)) for a, b in drawn})
    # The idle-time program rarely proves optimality here; a second is enough to check.
    schedule = schedule_meetings(pairs, tables=8, max_slots=50, time_limit=1.0)
    _check(8, len(pairs), schedule)
    assert schedule.unplaced == ()
    # Greedy busiest-first stays close to the lower bound.
    assert schedule.slots_used <= schedule.lower_bound + 2


def test_one_partner_each_fits_in_as_few_slots_as_tables_allow() -> None:
    pairs = [(i, i + 100) for i in range(10)]
    schedule = schedule_meetings(pairs, tables=4, max_slots=10)
    assert schedule.slots_used == schedule.lower_bound == 3
    assert schedule.idle_slots == 0


def test_unavailable_slots_are_respected() -> None:
    pairs = [(1, 2), (1, 3)]
    schedule = schedule_meetings(pairs, tables=5, max_slots=5, unavailable={1: frozenset({0, 1})})
    assert {m.slot for m in schedule.meetings} == {2, 3}
    stuck = schedule_meetings([(1, 2)], tables=1, max_slots=2, unavailable={2: frozenset({0, 1})})
    assert stuck.unplaced == ((1, 2),)


@pytest.mark.parametrize(("tables", "slots"), [(0, 3), (3, 0)])
def test_bad_sizes_are_refused(tables: int, slots: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        schedule_meetings([(1, 2)], tables=tables, max_slots=slots)


def test_the_integer_program_reaches_the_bound_where_greedy_does_not() -> None:
    rng = random.Random(0)
    degree = dict.fromkeys(range(200), 0)
    pairs: set[tuple[int, int]] = set()
    for _ in range(400):
        a, b = rng.sample(range(200), 2)
        if degree[a] < 2 and degree[b] < 2 and (min(a, b), max(a, b)) not in pairs:
            pairs.add((min(a, b), max(a, b)))
            degree[a] += 1
            degree[b] += 1
    greedy = schedule_meetings(sorted(pairs), tables=40, max_slots=20, time_limit=0)
    exact = schedule_meetings(sorted(pairs), tables=40, max_slots=20)
    assert greedy.slots_used > greedy.lower_bound
    assert exact.slots_used == exact.lower_bound
    _check(40, len(pairs), exact)


def _fewest_slots_then_least_idle(
    pairs: list[tuple[int, int]], tables: int, unavailable: dict[int, frozenset[int]]
) -> tuple[int, int]:
    """Brute force: the fewest slots any timetable needs, then its least idle time."""
    for slots in range(1, len(pairs) + 1):
        best = None
        for assignment in itertools.product(range(slots), repeat=len(pairs)):
            busy: dict[int, list[int]] = {}
            load = [0] * slots
            ok = True
            for (a, b), t in zip(pairs, assignment, strict=True):
                load[t] += 1
                for pid in (a, b):
                    if t in busy.get(pid, []) or t in unavailable.get(pid, frozenset()):
                        ok = False
                    busy.setdefault(pid, []).append(t)
            if not ok or max(load) > tables:
                continue
            idle = sum(max(ts) - min(ts) + 1 - len(ts) for ts in busy.values())
            best = idle if best is None else min(best, idle)
        if best is not None:
            return slots, best
    raise AssertionError("no timetable at all")


@pytest.mark.parametrize("seed", range(6))
def test_fewest_slots_then_least_idle_time_match_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    people = list(range(1, 7))
    pairs = sorted({tuple(sorted(rng.sample(people, 2))) for _ in range(7)})
    unavailable = {rng.choice(people): frozenset({rng.randrange(3)})}
    typed = [(a, b) for a, b in pairs]
    slots, idle = _fewest_slots_then_least_idle(typed, 2, unavailable)
    schedule = schedule_meetings(typed, tables=2, max_slots=10, unavailable=unavailable)
    _check(2, len(typed), schedule)
    assert (schedule.slots_used, schedule.idle_slots) == (slots, idle)


def test_idle_time_is_removed_when_greedy_leaves_gaps() -> None:
    # Greedy puts the busiest first: 1 meets 2 and 3 in slots 0 and 1, and 4 meets 5 in
    # slot 0, so 4's meeting with 1 lands in slot 2 while 4 waits in slot 1.
    pairs = [(1, 2), (1, 3), (4, 5), (1, 4)]
    schedule = schedule_meetings(pairs, tables=2, max_slots=5)
    assert schedule.slots_used == 3
    assert schedule.idle_slots == 0
