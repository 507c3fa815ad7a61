"""What the meeting request routes take and give."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from service.http.pagination import Page, PageParams
from service.meetings.models import MeetingStatus
from service.values.times import UtcDatetime
from service.values.validation import MAX_ID, Id, IsoDate, NonBlank, Text

Message = Annotated[NonBlank, StringConstraints(max_length=2000)]
Reason = Annotated[Text, StringConstraints(max_length=500)]

_EXAMPLE: dict[str, Any] = {
    "to_institution_id": 42,
    "message": "We would like to discuss EV maintenance teacher training at the workshop.",
    "proposed_date": "2027-05-12",
}


class MeetingRequestCreate(BaseModel):
    """A new meeting request. ``from_institution_id`` is for admins; a key sends its own."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})

    to_institution_id: Id = Field(description="The institution asked to meet.")
    message: Message = Field(description="A short note for the other institution.")
    from_institution_id: Id | None = Field(
        default=None, description="Admins only: the institution that asks."
    )
    workshop_id: Id | None = Field(default=None, description="A workshop to meet at.")
    proposed_date: IsoDate | None = Field(default=None, description="A day to meet.")


class MeetingDecline(BaseModel):
    """Why a request is declined (optional; the requester sees it)."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason = ""


class Box(StrEnum):
    """Which requests to list: those the institution received, or those it sent."""

    received = "received"
    sent = "sent"


class MeetingFilters(PageParams):
    """Which requests to list, and which page."""

    box: Box = Field(default=Box.received, description="received or sent.")
    status: MeetingStatus | None = Field(default=None, description="Only requests in this state.")
    institution_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Admins only: whose requests."
    )


class Party(BaseModel):
    """One side of a request: its public reference, and its contact once accepted."""

    id: int
    name: str
    country: str
    kind: str
    contact_email: str | None = Field(
        description="Shown to both sides only once the request is accepted; null before."
    )
    website: str | None = Field(
        default=None,
        description="A website marked private is shown only once the request is accepted.",
    )


class MeetingRequestPublic(BaseModel):
    """A meeting request as its two sides see it."""

    id: int
    status: MeetingStatus
    from_institution: Party
    to_institution: Party
    message: str
    workshop_id: int | None
    proposed_date: date | None
    reason: str = Field(description="Why it was declined ('' when no reason was given).")
    contacts_revealed: bool = Field(description="Whether both contact emails are shown.")
    created_at: UtcDatetime
    decided_at: UtcDatetime | None


class MeetingRequestPage(Page[MeetingRequestPublic]):
    """One page of meeting requests, newest first."""
