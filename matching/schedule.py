"""Meeting schedules: put pairs into time slots and tables, nobody in two places at once.

Each pair is a meeting; a slot holds at most ``tables`` meetings and each participant at
most one. This is edge colouring with a capacity per colour: at least
``max(largest number of meetings of one participant, ceil(meetings / tables))`` slots are
needed (the lower bound reported).

First a greedy placement: the busiest participants' meetings first, each into the
earliest slot where both sides are free and available and a table is left. When that
uses more slots than the bound, an integer program (scipy's HiGHS) looks for a timetable
with fewer slots, from the bound up, within ``time_limit`` seconds; among timetables with
that many slots it prefers early slots, which keeps each participant's meetings together.
The best timetable found is returned, with the bound, so the organiser sees how close it is.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

__all__ = ["Meeting", "Schedule", "schedule_meetings"]


@dataclass(frozen=True, slots=True)
class Meeting:
    """One meeting: the two participants, its slot (0-based) and table (1-based)."""

    a: int
    b: int
    slot: int
    table: int


@dataclass(frozen=True, slots=True)
class Schedule:
    """The placed meetings, how many slots they use, and the best conceivable count.

    ``idle_slots`` counts, over participants, the empty slots between their first and last
    meeting. ``unplaced`` lists pairs that could not be placed within ``max_slots``
    (for example when one side is unavailable in every slot).
    """

    meetings: tuple[Meeting, ...]
    slots_used: int
    lower_bound: int
    idle_slots: int
    unplaced: tuple[tuple[int, int], ...]


def schedule_meetings(
    pairs: Sequence[tuple[int, int]],
    *,
    tables: int,
    max_slots: int,
    unavailable: Mapping[int, frozenset[int]] | None = None,
    time_limit: float = 5.0,
) -> Schedule:
    """Place each pair in a slot and at a table, at most one meeting per participant per slot.

    Deterministic for the same input, except when the integer program runs out of time.
    """
    greedy = _greedy(pairs, tables=tables, max_slots=max_slots, unavailable=unavailable)
    if greedy.unplaced or greedy.slots_used <= greedy.lower_bound or time_limit <= 0:
        return greedy
    deadline = time.monotonic() + time_limit
    for slots in range(greedy.lower_bound, greedy.slots_used):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        found = _solve(greedy, slots, tables, unavailable or {}, remaining)
        if found is not None:
            return found
    return greedy


def _solve(
    greedy: Schedule,
    slots: int,
    tables: int,
    unavailable: Mapping[int, frozenset[int]],
    seconds: float,
) -> Schedule | None:
    """Find a timetable in ``slots`` slots, or None (infeasible, or out of time)."""
    meetings = [(m.a, m.b) for m in greedy.meetings]
    people = sorted({pid for pair in meetings for pid in pair})
    person = {pid: i for i, pid in enumerate(people)}
    count = len(meetings) * slots  # variable (meeting e, slot t) is e * slots + t
    variable = np.arange(count).reshape(len(meetings), slots)
    upper = np.ones(count)
    for e, (a, b) in enumerate(meetings):
        for t in range(slots):
            if t in unavailable.get(a, ()) or t in unavailable.get(b, ()):
                upper[variable[e, t]] = 0
    once = sparse.csr_matrix(
        (np.ones(count), (np.repeat(np.arange(len(meetings)), slots), variable.ravel())),
        shape=(len(meetings), count),
    )
    rows, cols = [], []
    for e, (a, b) in enumerate(meetings):
        for pid in (a, b):
            for t in range(slots):
                rows.append(person[pid] * slots + t)
                cols.append(variable[e, t])
    one_place = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(people) * slots, count)
    )
    per_slot = sparse.csr_matrix(
        (np.ones(count), (np.tile(np.arange(slots), len(meetings)), variable.ravel())),
        shape=(slots, count),
    )
    result = milp(
        c=np.tile(np.arange(slots, dtype=float), len(meetings)),
        constraints=[
            LinearConstraint(once, 1, 1),
            LinearConstraint(one_place, 0, 1),
            LinearConstraint(per_slot, 0, tables),
        ],
        integrality=np.ones(count),
        bounds=Bounds(np.zeros(count), upper),
        options={"time_limit": max(seconds, 0.1), "disp": False},
    )
    if result.x is None or result.status not in (0, 1):
        return None
    chosen = np.round(result.x).reshape(len(meetings), slots).argmax(axis=1)
    table = [0] * slots
    placed = []
    for e in sorted(range(len(meetings)), key=lambda e: (int(chosen[e]), meetings[e])):
        t = int(chosen[e])
        table[t] += 1
        placed.append(Meeting(a=meetings[e][0], b=meetings[e][1], slot=t, table=table[t]))
    return _summary(placed, greedy.lower_bound, ())


def _summary(
    placed: Sequence[Meeting], bound: int, unplaced: Sequence[tuple[int, int]]
) -> Schedule:
    busy: dict[int, list[int]] = {}
    for meeting in placed:
        for pid in (meeting.a, meeting.b):
            busy.setdefault(pid, []).append(meeting.slot)
    idle = sum(max(slots) - min(slots) + 1 - len(slots) for slots in busy.values())
    return Schedule(
        meetings=tuple(sorted(placed, key=lambda m: (m.slot, m.table))),
        slots_used=max((m.slot for m in placed), default=-1) + 1,
        lower_bound=bound,
        idle_slots=idle,
        unplaced=tuple(unplaced),
    )


def _greedy(
    pairs: Sequence[tuple[int, int]],
    *,
    tables: int,
    max_slots: int,
    unavailable: Mapping[int, frozenset[int]] | None,
) -> Schedule:
    if tables < 1:
        raise ValueError(f"tables must be at least 1, got {tables}")
    if max_slots < 1:
        raise ValueError(f"max_slots must be at least 1, got {max_slots}")
    blocked = unavailable or {}
    meetings_of: dict[int, int] = {}
    for a, b in pairs:
        if a == b:
            raise ValueError(f"pair ({a}, {b}) meets itself")
        for pid in (a, b):
            meetings_of[pid] = meetings_of.get(pid, 0) + 1
    order = sorted(
        (tuple(sorted(pair)) for pair in pairs),
        key=lambda pair: (-max(meetings_of[pair[0]], meetings_of[pair[1]]), pair),
    )
    busy: dict[int, set[int]] = {}
    tables_used: list[int] = []
    placed: list[Meeting] = []
    unplaced: list[tuple[int, int]] = []
    for a, b in order:
        for slot in range(max_slots):
            if slot == len(tables_used):
                tables_used.append(0)
            taken = busy.get(a, set()) | busy.get(b, set())
            free = (
                slot not in taken
                and slot not in blocked.get(a, ())
                and slot not in blocked.get(b, ())
            )
            if free and tables_used[slot] < tables:
                tables_used[slot] += 1
                placed.append(Meeting(a=a, b=b, slot=slot, table=tables_used[slot]))
                busy.setdefault(a, set()).add(slot)
                busy.setdefault(b, set()).add(slot)
                break
        else:
            unplaced.append((a, b))
    bound = max(max(meetings_of.values(), default=0), -(-len(pairs) // tables))
    return _summary(placed, bound, unplaced)
