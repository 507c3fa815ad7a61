"""The meeting request table and its states.

A request is *open* while ``requested``; it ends ``accepted``, ``declined`` or
``withdrawn``. ``open_pair`` holds the unordered pair (``"<low>:<high>"``) while the
request is open and is cleared when it ends: its unique constraint lets the database
refuse a second open request between the same two institutions, even when both are
sent at once (NULLs never collide, so ended requests do not count).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

from service.values.times import utc_now


class MeetingStatus(StrEnum):
    """Where a meeting request stands."""

    requested = "requested"
    accepted = "accepted"
    declined = "declined"
    withdrawn = "withdrawn"


def pair_key(a: int, b: int) -> str:
    """The unordered pair of two institutions, as ``open_pair`` stores it."""
    low, high = sorted((a, b))
    return f"{low}:{high}"


class MeetingRequest(SQLModel, table=True):
    """A meeting request as stored."""

    __tablename__ = "meeting_request"

    id: int | None = Field(default=None, primary_key=True)
    from_institution_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    to_institution_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    message: str = Field(max_length=2000)
    workshop_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("workshop.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    proposed_date: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    status: str = Field(default=MeetingStatus.requested, sa_type=String(12), index=True)
    reason: str = Field(default="", max_length=500)
    open_pair: str | None = Field(default=None, unique=True, index=True, max_length=24)
    created_at: datetime = Field(
        default_factory=utc_now,
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True),
    )
    decided_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
