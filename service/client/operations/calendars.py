"""An institution's calendar feed: its state, a new address, turning it off."""

from __future__ import annotations

from service.calendars.schemas import CalendarFeedIssued, CalendarFeedState
from service.client.calls import Call, nothing, parsed
from service.client.methods import operation
from service.client.operations.common import INSTITUTIONS, keyed


class Calendars:
    """Manage the calendar feed of an institution's meetings (its own key or an admin)."""

    @operation
    def read_institution_calendar(self, institution_id: int) -> Call[CalendarFeedState]:
        """Say whether the institution has a calendar feed (its key or an admin); the
        address itself is shown only when made."""
        return Call("GET", f"{INSTITUTIONS}/{institution_id}/calendar", parsed(CalendarFeedState))

    @operation
    def rotate_institution_calendar(
        self, institution_id: int, idempotency_key: str | None = None
    ) -> Call[CalendarFeedIssued]:
        """Make a new calendar feed address, replacing any (its key or an admin); it is
        shown this once, and the old one stops working."""
        return Call(
            "POST",
            f"{INSTITUTIONS}/{institution_id}/calendar/rotate",
            parsed(CalendarFeedIssued),
            headers=keyed(idempotency_key),
        )

    @operation
    def revoke_institution_calendar(self, institution_id: int) -> Call[None]:
        """Turn the calendar feed off (its key or an admin): its address stops working."""
        return Call("DELETE", f"{INSTITUTIONS}/{institution_id}/calendar", nothing)
