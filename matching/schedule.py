"""Meeting schedules: put pairs into time slots and tables, nobody in two places at once.

Each pair is a meeting; a slot holds at most ``tables`` meetings and each participant at
most one. This is edge colouring with a capacity per colour: at least
``max(largest number of meetings of one participant, ceil(meetings / tables))`` slots are
needed (the lower bound reported). Meetings are placed greedily, the busiest
participants' meetings first, each into the earliest slot where both sides are free and
available and a table is left; the busiest-first order keeps the slot count near the
bound, and earliest-first keeps each participant's meetings close together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
) -> Schedule:
    """Place each pair in a slot and at a table, at most one meeting per participant per slot.

    Deterministic: ties are broken by participant ids.
    """
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
    used = max((m.slot for m in placed), default=-1) + 1
    idle = sum(max(slots) - min(slots) + 1 - len(slots) for slots in busy.values())
    bound = max(max(meetings_of.values(), default=0), -(-len(pairs) // tables))
    return Schedule(
        meetings=tuple(sorted(placed, key=lambda m: (m.slot, m.table))),
        slots_used=used,
        lower_bound=bound,
        idle_slots=idle,
        unplaced=tuple(unplaced),
    )
