"""What the calendar feed routes give."""

from __future__ import annotations

from pydantic import BaseModel, Field

from service.values.times import UtcDatetime


class CalendarFeedState(BaseModel):
    """Whether an institution has a calendar feed; its address is shown only when made."""

    active: bool
    created_at: UtcDatetime | None = None


class CalendarFeedIssued(BaseModel):
    """A new calendar feed address: keep it, it is not shown again."""

    url: str = Field(
        description="Subscribe to it in a calendar app; anyone with it can read the calendar."
    )
    created_at: UtcDatetime
