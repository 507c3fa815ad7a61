"""Saved-search writes, one function per action: save a search, delete it.

Each one validates, writes and commits. Alerts themselves are written by the checks
that follow other domains' writes (``service.alerts.triggers``).
"""

from __future__ import annotations

from sqlmodel import Session

from service.alerts import saved_searches
from service.alerts.models import SavedSearch
from service.alerts.schemas import SavedSearchCreate
from service.auth.keys import Caller
from service.db import committed


def save_search(*, session: Session, caller: Caller, data: SavedSearchCreate) -> SavedSearch:
    """Save a search seen from an institution; what enters its results is alerted."""
    with committed(session):
        return saved_searches.create(session=session, caller=caller, data=data)


def delete_search(*, session: Session, caller: Caller, saved_search_id: int) -> None:
    """Delete one of the caller's saved searches, and its alerts."""
    with committed(session):
        row = saved_searches.get(session=session, caller=caller, saved_search_id=saved_search_id)
        saved_searches.delete(session=session, row=row)
