"""A claim on an unclaimed profile, and where it stands.

``unverified``: asked, the email not yet confirmed; ``pending``: the email confirmed,
waiting for an admin (or an organiser of a workshop the institution takes part in);
then ``approved`` or ``rejected``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

from service.values.times import utc_now


class ClaimStatus(StrEnum):
    """Where a claim stands."""

    unverified = "unverified"
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class ProfileClaim(SQLModel, table=True):
    """Someone's claim to speak for an institution whose profile has no key yet."""

    __tablename__ = "profile_claim"

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    email: str = Field(max_length=320)
    claimant: str = Field(max_length=200)
    note: str = Field(default="", max_length=2000)
    status: str = Field(default=ClaimStatus.unverified, sa_type=String(12), index=True)
    # The claimant's interface language when asking: its approval email is written in it.
    language: str = Field(
        default="en", sa_column=Column(String(8), nullable=False, server_default="en")
    )
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    decided_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
