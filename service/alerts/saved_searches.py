"""Saved searches and their alerts: create, list, read, delete; each owner sees its own."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from service.alerts.models import Alert, SavedSearch
from service.alerts.schemas import AlertFilters, AlertPublic, SavedSearchCreate, SavedSearchPublic
from service.auth.keys import Caller, Role
from service.auth.owners import acting_institution, get_owned, owner_of
from service.db import hold_lock
from service.errors import Conflict
from service.http.pagination import PageParams, Window, paginate

MAX_PER_OWNER = 100


def create(*, session: Session, caller: Caller, data: SavedSearchCreate) -> SavedSearch:
    """Store a saved search owned by the caller; the caller commits."""
    owner = owner_of(caller)
    seen_from = acting_institution(
        session, caller, data.institution_id, doing="save searches", organisers_too=True
    )
    hold_lock(session, "saved_search", f"saved-searches:{owner}")  # count and write as one
    held = session.exec(
        select(func.count()).select_from(SavedSearch).where(col(SavedSearch.owner) == owner)
    ).one()
    if held >= MAX_PER_OWNER:
        raise Conflict(f"this owner already has {MAX_PER_OWNER} saved searches, the most allowed")
    assert seen_from.id is not None
    row = SavedSearch(
        owner=owner,
        institution_id=seen_from.id,
        name=data.name,
        targets=list(data.targets),
        countries=list(data.country),
        kinds=[str(kind) for kind in data.kind],
        field=data.field,
        cross_border=data.cross_border,
        min_score=data.min_score,
    )
    session.add(row)
    session.flush()
    return row


def get(*, session: Session, caller: Caller, saved_search_id: int) -> SavedSearch:
    """Return a saved search the caller may see, or raise (404, or 403 for another's)."""
    return get_owned(session, caller, SavedSearch, saved_search_id, "saved search")


def listing(*, session: Session, caller: Caller, params: PageParams) -> Window[SavedSearch]:
    """Return a page of the caller's saved searches (an admin: everyone's), in id order."""
    conditions = [] if caller.role is Role.admin else [col(SavedSearch.owner) == owner_of(caller)]
    return paginate(
        session=session,
        statement=select(SavedSearch).where(*conditions),
        key=col(SavedSearch.id),
        key_of=lambda row: row.id,
        params=params,
    )


def delete(*, session: Session, row: SavedSearch) -> None:
    """Delete a saved search (its alerts go with it: foreign key cascade); caller commits."""
    session.delete(row)
    session.flush()


def to_out(row: SavedSearch) -> SavedSearchPublic:
    """Return the API view of a saved search."""
    assert row.id is not None
    return SavedSearchPublic(
        id=row.id,
        name=row.name,
        institution_id=row.institution_id,
        targets=row.targets,
        country=row.countries,
        kind=row.kinds,
        field=row.field,
        cross_border=row.cross_border,
        min_score=row.min_score,
        created_at=row.created_at,
    )


def alerts(
    *, session: Session, caller: Caller, filters: AlertFilters
) -> tuple[Window[Alert], list[AlertPublic]]:
    """Return a page of the caller's alerts (an admin: everyone's), newest first, and
    their API views."""
    conditions = [] if caller.role is Role.admin else [col(Alert.owner) == owner_of(caller)]
    if filters.saved_search_id is not None:
        conditions.append(col(Alert.saved_search_id) == filters.saved_search_id)
    window = paginate(
        session=session,
        statement=select(Alert).where(*conditions),
        key=col(Alert.id),
        key_of=lambda row: row.id,
        params=filters,
        newest_first=True,
    )
    searches = {alert.saved_search_id for alert in window.rows}
    seen_from = dict(
        session.exec(
            select(SavedSearch.id, SavedSearch.institution_id).where(
                col(SavedSearch.id).in_(searches)
            )
        ).all()
    )
    return window, [alert_out(alert, seen_from[alert.saved_search_id]) for alert in window.rows]


def alert_out(row: Alert, institution_id: int) -> AlertPublic:
    """Return the API view of an alert."""
    assert row.id is not None
    return AlertPublic(
        id=row.id,
        saved_search_id=row.saved_search_id,
        institution_id=institution_id,
        target=row.target,
        target_id=row.target_id,
        score=row.score,
        reasons=row.reasons,
        created_at=row.created_at,
    )
