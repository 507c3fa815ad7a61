"""Saved searches and the alerts they produce, as stored.

``owner`` names who may read and delete a search and its alerts: ``institution:<id>``
for an institution's keys, ``key:<id>`` for an organiser or admin key, ``admin`` for the
admin token (see ``service.auth.owners``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Column, DateTime, Float, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from service.values.times import utc_now


class SavedSearch(SQLModel, table=True):
    """Filters and a lowest score, seen from one institution."""

    __tablename__ = "saved_search"

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(max_length=40, index=True)
    institution_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    name: str = Field(default="", max_length=200)
    targets: list[str] = Field(default_factory=list, sa_type=JSON)
    countries: list[str] = Field(default_factory=list, sa_type=JSON)
    kinds: list[str] = Field(default_factory=list, sa_type=JSON)
    field: str | None = Field(default=None, max_length=300)
    cross_border: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))
    min_score: float = Field(default=0.0, sa_column=Column(Float, nullable=False))
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class Alert(SQLModel, table=True):
    """A profile or opportunity that entered a saved search's results."""

    id: int | None = Field(default=None, primary_key=True)
    saved_search_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("saved_search.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    owner: str = Field(max_length=40, index=True)
    target: str = Field(max_length=20)
    target_id: int
    score: float = Field(sa_column=Column(Float, nullable=False))
    reasons: list[str] = Field(default_factory=list, sa_type=JSON)
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
