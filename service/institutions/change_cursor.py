"""Where an index stands in the change log, and which logged changes it has not applied.

A position is the highest change id applied plus the ids applied within a margin below it
(``CHANGE_OVERLAP``): ids from a sequence can commit out of order, so a change with a
lower id may still appear after a higher one was read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Engine
from sqlmodel import col, select

from service.db import session_scope
from service.institutions.change_probe import ChangeLogProbe
from service.institutions.models import IndexChange
from service.institutions.profiles import CHANGE_OVERLAP

__all__ = ["ChangeCursor"]


class ChangeCursor:
    """The changes applied so far; :meth:`fresh` lists the rest, :meth:`mark` records them."""

    def __init__(self, last: int = 0, seen: Iterable[int] = ()) -> None:
        self.last = last
        self._seen = set(seen)

    def fresh(self, engine: Engine, probe: ChangeLogProbe) -> list[tuple[int, int]]:
        """(change id, institution id) of each logged change not applied yet, looking back
        the margin. A count of the window comes first: one indexed query, and the common
        answer is "nothing new". The next commonest, "only changes after ``last``", reads
        those alone; the whole window (up to ``CHANGE_OVERLAP`` rows) is read only when a
        change committed out of order, or the log was pruned, below ``last``."""
        start = self.last - CHANGE_OVERLAP
        logged, newest, beyond = probe.window(start, self.last)
        known = sum(1 for cid in self._seen if cid > start)
        if logged == known and (newest or 0) <= self.last:
            return []
        whole = logged - beyond != known
        with session_scope(engine) as session:
            after = col(IndexChange.id) > (start if whole else self.last)
            rows = session.exec(select(IndexChange.id, IndexChange.institution_id).where(after))
            listed = [(cid, pid) for cid, pid in rows if cid is not None]
        if whole:  # forget pruned ids, so the counts agree again once all listed is applied
            self._seen.intersection_update({cid for cid, _ in listed})
        return [(cid, pid) for cid, pid in listed if cid not in self._seen]

    def mark(self, applied: Sequence[tuple[int, int]]) -> None:
        """Record changes (as :meth:`fresh` listed them) as applied."""
        self._seen.update(cid for cid, _ in applied)
        self.last = max([self.last, *(cid for cid, _ in applied)])
        horizon = self.last - CHANGE_OVERLAP
        self._seen = {cid for cid in self._seen if cid > horizon}
