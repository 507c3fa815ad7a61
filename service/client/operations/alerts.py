"""Saved searches and the alerts raised when something enters their results."""

from __future__ import annotations

from service.alerts.schemas import AlertPage, SavedSearchCreate, SavedSearchPage, SavedSearchPublic
from service.client.calls import API_PREFIX, Call, body, clean, nothing, parsed
from service.client.methods import operation, paged
from service.client.operations.common import SAVED_SEARCHES, Data, keyed, page_params


class Alerts:
    """Save searches and read the alerts they raise."""

    @operation
    def create_saved_search(
        self, search: SavedSearchCreate | Data, idempotency_key: str | None = None
    ) -> Call[SavedSearchPublic]:
        """Save a search seen from an institution; what enters its results is alerted."""
        return Call(
            "POST",
            SAVED_SEARCHES,
            parsed(SavedSearchPublic),
            json=body(search),
            headers=keyed(idempotency_key),
        )

    @operation
    def list_saved_searches(
        self, *, limit: int = 20, offset: int | None = None, cursor: str | None = None
    ) -> Call[SavedSearchPage]:
        """Return one page of the caller's saved searches in id order (an admin: everyone's)."""
        return Call(
            "GET",
            SAVED_SEARCHES,
            parsed(SavedSearchPage),
            params=page_params(limit, offset, cursor),
        )

    iter_saved_searches = paged(list_saved_searches)

    @operation
    def read_saved_search(self, saved_search_id: int) -> Call[SavedSearchPublic]:
        """Read one of the caller's saved searches."""
        return Call("GET", f"{SAVED_SEARCHES}/{saved_search_id}", parsed(SavedSearchPublic))

    @operation
    def delete_saved_search(self, saved_search_id: int) -> Call[None]:
        """Delete one of the caller's saved searches, and its alerts."""
        return Call("DELETE", f"{SAVED_SEARCHES}/{saved_search_id}", nothing)

    @operation
    def list_alerts(
        self,
        *,
        saved_search_id: int | None = None,
        limit: int = 20,
        offset: int | None = None,
        cursor: str | None = None,
    ) -> Call[AlertPage]:
        """Return one page of the caller's alerts, newest first (an admin: everyone's)."""
        params = clean({"saved_search_id": saved_search_id})
        return Call(
            "GET",
            f"{API_PREFIX}/alerts",
            parsed(AlertPage),
            params={**params, **page_params(limit, offset, cursor)},
        )

    iter_alerts = paged(list_alerts)
