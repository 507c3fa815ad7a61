"""API keys as stored: only a hash of the secret, with role, scopes and owner."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from service.values.times import utc_now


class ApiKey(SQLModel, table=True):
    """An API key. Only a hash of the secret is stored; the secret is shown once."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    label: str = Field(max_length=200)
    prefix: str = Field(
        max_length=16, description="First characters of the key, to tell keys apart."
    )
    secret_hash: str = Field(max_length=64, unique=True, index=True)
    role: str = Field(max_length=20)
    institution_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    scopes: list[str] = Field(default_factory=list, sa_type=JSON)
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    revoked_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class SignInLink(SQLModel, table=True):
    """A one-time sign-in link sent by email: only a hash of its token is stored."""

    __tablename__ = "sign_in_link"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    institution_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    used_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
