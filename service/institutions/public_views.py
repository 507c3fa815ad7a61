"""The public views of suggested institutions, read once and kept until they change.

A list of suggestions shows each partner's public profile. Reading ten of them back from
the database for every match request cost a fifth of the request's CPU (a query, then a
validated model per row), while the same popular partners are suggested again and again.
The index keeps them: it forgets an institution's view whenever the change log names it
(every write that changes what GET shows logs the institution), so a view is as fresh
as the ranking it comes with, in this instance at once and in others after their next
poll of the change log.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

from sqlmodel import Session

from service.institutions import public_rows
from service.institutions.models import InstitutionPublic

__all__ = ["DEFAULT_KEPT", "PublicViews"]

# Views kept per process (~3 KB each), the longest kept dropped first. The partners a
# ranking returns are concentrated on well-connected institutions, so a few thousand
# answer most requests even at a million profiles.
DEFAULT_KEPT = 5_000


class PublicViews:
    """Public views of institutions by id, each read from the database at most once
    between two changes of that institution."""

    def __init__(self, kept: int = DEFAULT_KEPT) -> None:
        self._kept = kept
        self._views: dict[int, InstitutionPublic] = {}
        # Counts forgets: a view read while one happened may predate that change, so it is
        # returned but not kept.
        self._changes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._views)

    def read(self, *, session: Session, ids: Sequence[int]) -> dict[int, InstitutionPublic]:
        """Return the public views of these institutions by id; unknown ids are left out."""
        with self._lock:
            changes = self._changes
            found = {pid: view for pid in ids if (view := self._views.get(pid)) is not None}
        missing = [pid for pid in ids if pid not in found]
        if not missing:
            return found
        fresh = public_rows.public_profiles(session=session, ids=missing)
        with self._lock:
            if changes == self._changes:
                self._keep(fresh)
        return found | fresh

    def forget(self, ids: Iterable[int]) -> None:
        """Drop the views of these institutions (they changed or were deleted)."""
        with self._lock:
            self._changes += 1
            for pid in ids:
                self._views.pop(pid, None)

    def clear(self) -> None:
        """Drop every view (the index was rebuilt)."""
        with self._lock:
            self._changes += 1
            self._views.clear()

    def _keep(self, fresh: dict[int, InstitutionPublic]) -> None:
        self._views.update(fresh)
        # dicts keep insertion order: the first keys are the longest kept.
        while len(self._views) > self._kept:
            del self._views[next(iter(self._views))]
