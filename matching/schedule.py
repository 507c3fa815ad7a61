"""Meeting schedules: put pairs into time slots and tables, nobody in two places at once.

Each pair is a meeting; a slot holds at most ``tables`` meetings and each participant at
most one. This is edge colouring with a capacity per colour: at least
``max(largest number of meetings of one participant, ceil(meetings / tables))`` slots are
needed (the lower bound reported).

First a greedy placement: the busiest participants' meetings first, each into the
earliest slot where both sides are free and available and a table is left. When that
uses more slots than the bound, an integer program (scipy's HiGHS) looks for a timetable
with fewer slots, from the bound up, within ``time_limit`` seconds. Then, with that many
slots, a second program minimises idle time: the empty slots between a participant's first
and last meeting, summed over participants. The best timetable found is returned, with the
bound, so the organiser sees how close it is.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

if TYPE_CHECKING:
    from scipy.optimize import LinearConstraint

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

    Deterministic for the same input, except when an integer program runs out of time.
    """
    greedy = _greedy(pairs, tables=tables, max_slots=max_slots, unavailable=unavailable)
    if greedy.unplaced or time_limit <= 0:
        return greedy
    blocked = unavailable or {}
    meetings = [(m.a, m.b) for m in greedy.meetings]
    deadline = time.monotonic() + time_limit
    best = greedy
    for slots in range(greedy.lower_bound, greedy.slots_used):
        found = _solve(meetings, slots, tables, blocked, deadline, bound=greedy.lower_bound)
        if found is not None:
            best = found
            break
    if best.idle_slots > 0:
        # Same number of slots, fewest gaps in each participant's day.
        compact = _solve(
            meetings,
            best.slots_used,
            tables,
            blocked,
            deadline,
            bound=greedy.lower_bound,
            compact=True,
        )
        if compact is not None and compact.idle_slots < best.idle_slots:
            best = compact
    return best


def _solve(
    meetings: Sequence[tuple[int, int]],
    slots: int,
    tables: int,
    unavailable: Mapping[int, frozenset[int]],
    deadline: float,
    *,
    bound: int,
    compact: bool = False,
) -> Schedule | None:
    """Find a timetable in ``slots`` slots, or None (infeasible, or out of time).

    Variable ``x[e, t]`` puts meeting ``e`` in slot ``t``. Without ``compact`` the objective
    prefers early slots. With it, each participant ``p`` also gets ``on[p, t]``, "slot ``t`` is
    within ``p``'s day", and ``start[p, t]``: ``on[p, t] >= busy[p, t]`` (the sum of ``x`` over
    ``p``'s meetings), ``on[p, t] - on[p, t - 1] <= start[p, t]`` and at most one start, so
    ``on`` is one interval covering every meeting. The objective is the sum of ``on``, which
    is the idle time plus a constant; early slots only break ties. (Bounding the first and
    last slot directly is a weaker program: HiGHS could not close its gap in seconds.)
    """
    # Imported when solving: a serving process that never schedules does not pay its import.
    from scipy.optimize import Bounds, LinearConstraint, milp

    seconds = deadline - time.monotonic()
    if seconds <= 0:
        return None
    people = sorted({pid for pair in meetings for pid in pair})
    person = {pid: i for i, pid in enumerate(people)}
    count = len(meetings) * slots  # variable (meeting e, slot t) is e * slots + t
    # With ``compact``, on[i, t] and start[i, t] of participant i follow the x block.
    span = 2 * len(people) * slots if compact else 0
    width = count + span
    variable = np.arange(count).reshape(len(meetings), slots)
    upper = np.ones(count)
    for e, (a, b) in enumerate(meetings):
        for t in range(slots):
            if t in unavailable.get(a, ()) or t in unavailable.get(b, ()):
                upper[variable[e, t]] = 0
    once = sparse.csr_matrix(
        (np.ones(count), (np.repeat(np.arange(len(meetings)), slots), variable.ravel())),
        shape=(len(meetings), width),
    )
    rows, cols = [], []
    for e, (a, b) in enumerate(meetings):
        for pid in (a, b):
            for t in range(slots):
                rows.append(person[pid] * slots + t)
                cols.append(variable[e, t])
    one_place = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(people) * slots, width)
    )
    per_slot = sparse.csr_matrix(
        (np.ones(count), (np.tile(np.arange(slots), len(meetings)), variable.ravel())),
        shape=(slots, width),
    )
    constraints = [
        LinearConstraint(once, 1, 1),
        LinearConstraint(one_place, 0, 1),
        LinearConstraint(per_slot, 0, tables),
    ]
    early = np.tile(np.arange(slots, dtype=float), len(meetings))
    c = early
    if compact:
        constraints.extend(_day_rows(one_place, len(people), slots, count))
        # One idle slot outweighs every tie-breaking preference for early slots together.
        weight = 1.0 / (float(early.sum()) + 1.0)
        on_cost = np.tile(np.concatenate([np.ones(slots), np.zeros(slots)]), len(people))
        c = np.concatenate([weight * early, on_cost])
    lower = np.zeros(width)
    high = np.concatenate([upper, np.ones(span)])
    integrality = np.concatenate([np.ones(count), np.zeros(span)])
    result = milp(
        c=c,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(lower, high),
        options={"time_limit": max(seconds, 0.1), "disp": False},
    )
    if result.x is None or result.status not in (0, 1):
        return None
    chosen = np.round(result.x[:count]).reshape(len(meetings), slots).argmax(axis=1)
    table = [0] * slots
    placed = []
    for e in sorted(range(len(meetings)), key=lambda e: (int(chosen[e]), meetings[e])):
        t = int(chosen[e])
        table[t] += 1
        placed.append(Meeting(a=meetings[e][0], b=meetings[e][1], slot=t, table=table[t]))
    return _summary(placed, bound, ())


def _day_rows(
    busy: sparse.csr_matrix, people: int, slots: int, count: int
) -> list[LinearConstraint]:
    """The rows that make ``on[i, :]`` one interval of slots covering ``i``'s meetings.

    ``busy`` has a row per (participant, slot) summing the ``x`` of its meetings.
    ``on[i, t]`` is variable ``count + 2 * slots * i + t`` and ``start[i, t]`` the next
    ``slots`` after it.
    """
    from scipy.optimize import LinearConstraint

    width = busy.shape[1]
    base = count + 2 * slots * np.arange(people)
    on = (base[:, None] + np.arange(slots)[None, :]).ravel()
    start = on + slots
    cells = people * slots
    identity = np.arange(cells)
    pick_on = sparse.csr_matrix((np.ones(cells), (identity, on)), shape=(cells, width))
    pick_start = sparse.csr_matrix((np.ones(cells), (identity, start)), shape=(cells, width))
    # on[i, t - 1] for t > 0; nothing before the first slot.
    later = identity[identity % slots > 0]
    pick_before = sparse.csr_matrix(
        (np.ones(len(later)), (later, on[later - 1])), shape=(cells, width)
    )
    one_start = sparse.csr_matrix(
        (np.ones(cells), (np.repeat(np.arange(people), slots), start)), shape=(people, width)
    )
    return [
        LinearConstraint(busy - pick_on, -np.inf, 0),
        LinearConstraint(pick_on - pick_before - pick_start, -np.inf, 0),
        LinearConstraint(one_start, 0, 1),
    ]


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
