"""The stored claims and answers of requests sent with an ``Idempotency-Key``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, DateTime, LargeBinary, Text, false
from sqlmodel import Field, SQLModel


class IdempotencyRecord(SQLModel, table=True):
    """One caller's use of one idempotency key: claimed, then answered.

    The key itself is not stored: ``key_hash`` is a SHA-256 of the caller's scope and the
    key, unique, so that two instances claiming the same key cannot both succeed. The
    answer's body is stored encrypted under a key derived from the idempotency key
    (``service.http.idempotency_store``), since it can hold a newly issued API key.
    """

    __tablename__ = "idempotency_key"

    id: int | None = Field(default=None, primary_key=True)
    key_hash: str = Field(max_length=64, unique=True, index=True)
    fingerprint: str = Field(max_length=64, description="SHA-256 of method, target and body.")
    method: str = Field(max_length=10)
    target: str = Field(sa_column=Column(Text, nullable=False))
    claimed_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    expires_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True)
    )
    # Set in the same transaction as the request's own writes (see service.http.idempotency_store).
    effects_committed: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    status_code: int | None = None
    headers: list[Any] | None = Field(default=None, sa_type=JSON)
    nonce: str | None = Field(default=None, max_length=32)
    body: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
