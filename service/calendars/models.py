"""The calendar feed table: one secret feed address per institution, stored hashed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from service.values.times import utc_now


class CalendarFeed(SQLModel, table=True):
    """An institution's calendar feed: only the SHA-256 of its token is kept."""

    __tablename__ = "calendar_feed"

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("institution.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        )
    )
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
