"""Whom not to suggest to an institution for a while: the other side of a meeting request
between them that was declined or withdrawn within the last days.

Every match request needs its asker's resting partners, and reading them was the one
query left on a match request served from memory (a tenth of its CPU at 1,000 profiles).
They change only when a request is declined or withdrawn, and that write logs both sides
in the change log, so they are kept per institution until the change log names it, like
the public views (``service.institutions.kept``): in this instance at once, in others
after their next poll. A kept entry holds every decision since the moment it was read;
later reads only drop those that have aged out of the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, or_
from sqlmodel import Session, col, select

from service.institutions.kept import KeptUntilChanged
from service.meetings.models import MeetingRequest, MeetingStatus
from service.values.times import as_utc, utc_now

__all__ = ["DEFAULT_KEPT", "RESTING_STATUSES", "RestingPartners", "decided_partners"]

# The statuses after which two institutions rest from each other.
RESTING_STATUSES = (MeetingStatus.declined, MeetingStatus.withdrawn)
# Institutions whose resting partners are kept per process (a few hundred bytes each), the
# longest kept dropped first.
DEFAULT_KEPT = 20_000

# Built once, with the institution and the time as parameters: three columns, no ORM
# objects (building the statement per request cost more than running it).
_DECIDED = select(
    col(MeetingRequest.from_institution_id),
    col(MeetingRequest.to_institution_id),
    col(MeetingRequest.decided_at),
).where(
    or_(
        col(MeetingRequest.from_institution_id) == bindparam("institution_id"),
        col(MeetingRequest.to_institution_id) == bindparam("institution_id"),
    ),
    col(MeetingRequest.status).in_(RESTING_STATUSES),
    col(MeetingRequest.decided_at) >= bindparam("since"),
)


def decided_partners(
    *, session: Session, institution_id: int, since: datetime
) -> tuple[tuple[int, datetime], ...]:
    """Return (other side, decided at) of each request with this institution declined or
    withdrawn since ``since`` (aware, UTC)."""
    rows = session.connection().execute(
        _DECIDED, {"institution_id": institution_id, "since": since}
    )
    return tuple(
        (asked if asker == institution_id else asker, decided)
        for asker, asked, decided_at in rows
        if decided_at is not None and (decided := as_utc(decided_at)) >= since
    )


@dataclass(frozen=True, slots=True)
class _Kept:
    since: datetime  # every decision from this moment on is in ``decided``
    decided: tuple[tuple[int, datetime], ...]


class RestingPartners(KeptUntilChanged[_Kept]):
    """Each institution's resting partners, read from the database at most once between
    two changes of that institution (see the module)."""

    def __init__(self, kept: int = DEFAULT_KEPT) -> None:
        super().__init__(kept)

    def read(self, *, session: Session, institution_id: int, days: int) -> frozenset[int]:
        """Return the institutions not to suggest to this one: a request between them was
        declined or withdrawn within the last ``days`` days (either way round)."""
        if days <= 0:
            return frozenset()
        since = utc_now() - timedelta(days=days)
        stamp, found = self.kept([institution_id])
        kept = found.get(institution_id)
        if kept is None or kept.since > since:
            decided = decided_partners(session=session, institution_id=institution_id, since=since)
            kept = _Kept(since, decided)
            self.keep(stamp, {institution_id: kept})
        return frozenset(other for other, decided in kept.decided if decided >= since)
