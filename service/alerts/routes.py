"""Saved searches and their alerts; each owner sees and deletes only its own."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response, status

from service.alerts import operations, saved_searches
from service.alerts.schemas import (
    AlertFilters,
    AlertPage,
    SavedSearchCreate,
    SavedSearchPage,
    SavedSearchPublic,
)
from service.deps import KeyDep, SessionDep
from service.http.idempotency import IdempotentPostRoute
from service.http.pagination import PageQuery
from service.http.query_models import QueryModel
from service.http.schemas import PROBLEM_RESPONSES
from service.values.validation import MAX_ID

RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    404: {**PROBLEM_RESPONSES[404], "description": "No saved search has this id."},
    409: {**PROBLEM_RESPONSES[409], "description": "The owner has the most searches allowed."},
}
router = APIRouter(
    tags=["saved searches and alerts"],
    responses=RESPONSES,
    route_class=IdempotentPostRoute,
)
SavedSearchId = Annotated[int, Path(ge=1, le=MAX_ID, description="The saved search's id.")]


@router.post(
    "/saved-searches", status_code=status.HTTP_201_CREATED, operation_id="create_saved_search"
)
def create_saved_search(
    caller: KeyDep, data: SavedSearchCreate, session: SessionDep
) -> SavedSearchPublic:
    """Save a search seen from an institution: profiles and opportunities that enter its
    results from now on are alerted (GET /alerts, and the `match.alert` webhook event)."""
    row = operations.save_search(session=session, caller=caller, data=data)
    return saved_searches.to_out(row)


@router.get("/saved-searches", operation_id="list_saved_searches")
def list_saved_searches(
    caller: KeyDep,
    session: SessionDep,
    page: PageQuery,
) -> SavedSearchPage:
    """List the caller's saved searches in id order (an admin: everyone's)."""
    window = saved_searches.listing(session=session, caller=caller, params=page)
    return SavedSearchPage.of(window, [saved_searches.to_out(row) for row in window.rows], page)


@router.get("/saved-searches/{saved_search_id:int}", operation_id="read_saved_search")
def read_saved_search(
    caller: KeyDep, saved_search_id: SavedSearchId, session: SessionDep
) -> SavedSearchPublic:
    """Read one of the caller's saved searches."""
    row = saved_searches.get(session=session, caller=caller, saved_search_id=saved_search_id)
    return saved_searches.to_out(row)


@router.delete(
    "/saved-searches/{saved_search_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="delete_saved_search",
)
def delete_saved_search(
    caller: KeyDep, saved_search_id: SavedSearchId, session: SessionDep
) -> Response:
    """Delete one of the caller's saved searches, and its alerts."""
    operations.delete_search(session=session, caller=caller, saved_search_id=saved_search_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/alerts", operation_id="list_alerts")
def list_alerts(
    caller: KeyDep,
    session: SessionDep,
    filters: Annotated[AlertFilters, Depends(QueryModel(AlertFilters))],
) -> AlertPage:
    """List the alerts of the caller's saved searches, newest first (an admin: everyone's)."""
    window, items = saved_searches.alerts(session=session, caller=caller, filters=filters)
    return AlertPage.of(window, items, filters)
