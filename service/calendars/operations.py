"""Calendar feeds: make (or replace) an institution's secret feed address, turn it off,
say whether it has one, and find the institution a feed token names.

The token is random (256 bits) and only its SHA-256 is stored, like API keys: the address
is shown once, when made; replacing it makes the old address stop working at once.
Calendar apps cannot send a key, so the address itself is the secret.
"""

from __future__ import annotations

import secrets

from sqlmodel import Session, col, select

from service.auth.keys import Caller, hash_secret
from service.calendars.models import CalendarFeed
from service.calendars.schemas import CalendarFeedIssued, CalendarFeedState
from service.db import committed, hold_lock
from service.errors import Forbidden
from service.institutions import crud
from service.institutions.models import Institution
from service.values.times import utc_now

TOKEN_PREFIX = "tvcal_"
FEED_PATH = "/calendar"


def feed_url(public_url: str, token: str) -> str:
    """The address calendar apps subscribe to."""
    return f"{public_url.rstrip('/')}{FEED_PATH}/{token}.ics"


def _own(caller: Caller, institution: Institution) -> int:
    assert institution.id is not None
    if not caller.may_edit(institution.id):
        raise Forbidden(f"this key may not manage the calendar of institution {institution.id}")
    return institution.id


def _current(session: Session, institution_id: int) -> CalendarFeed | None:
    return session.exec(
        select(CalendarFeed).where(col(CalendarFeed.institution_id) == institution_id)
    ).first()


def state(*, session: Session, caller: Caller, institution: Institution) -> CalendarFeedState:
    """Whether the institution has a calendar feed, and since when."""
    row = _current(session, _own(caller, institution))
    return CalendarFeedState(active=row is not None, created_at=row.created_at if row else None)


def rotate(
    *, session: Session, caller: Caller, institution: Institution, public_url: str
) -> CalendarFeedIssued:
    """Make a new feed address for the institution, replacing any; return it (once)."""
    with committed(session):
        institution_id = _own(caller, institution)
        # Two replacements at once would both insert the first row: one waits for the other.
        hold_lock(session, "calendar_feed", f"calendar-feed:{institution_id}")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = _current(session, institution_id) or CalendarFeed(
            institution_id=institution_id, token_hash=""
        )
        row.token_hash = hash_secret(token)
        row.created_at = utc_now()
        session.add(row)
        session.flush()
        made = row.created_at
    return CalendarFeedIssued(url=feed_url(public_url, token), created_at=made)


def revoke(*, session: Session, caller: Caller, institution: Institution) -> None:
    """Turn the institution's feed off: its address stops working (nothing if it had none)."""
    with committed(session):
        row = _current(session, _own(caller, institution))
        if row is not None:
            session.delete(row)


def institution_for(*, session: Session, token: str) -> Institution | None:
    """The institution whose feed ``token`` is, or None for an unknown or replaced one."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = session.exec(
        select(CalendarFeed).where(col(CalendarFeed.token_hash) == hash_secret(token))
    ).first()
    if row is None:
        return None
    return crud.get_institution(session=session, institution_id=row.institution_id)
