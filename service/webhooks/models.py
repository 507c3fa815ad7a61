"""Webhooks, and the transactional outbox that delivers events to them.

An event is written in the same transaction as the change that causes it, with one
delivery row per webhook that should receive it; the delivery worker
(``service.webhooks.delivery``) sends pending rows and records every attempt. Nothing lives only
in memory, so pending deliveries survive a restart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String
from sqlmodel import Field, SQLModel

from service.values.times import utc_now


class Webhook(SQLModel, table=True):
    """A URL that receives some event types, signed with its secret."""

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(max_length=40, index=True)
    owner_role: str = Field(max_length=20)
    # Set for an institution's webhook, so deleting the institution removes it.
    institution_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    # Set for a webhook made with an organiser or admin key: revoking the key stops it.
    key_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("api_key.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    url: str = Field(max_length=2000)
    events: list[str] = Field(default_factory=list, sa_type=JSON)
    description: str = Field(default="", max_length=200)
    # Needed in clear to sign each delivery (unlike API keys, which are only hashed).
    secret: str = Field(max_length=100)
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    # The circuit breaker (service.webhooks.breaker): failed attempts in a row, and until
    # when the webhook rests after too many; its deliveries wait meanwhile.
    consecutive_failures: int = 0
    parked_until: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class WebhookEvent(SQLModel, table=True):
    """Something that happened, with the JSON that receivers get."""

    __tablename__ = "webhook_event"

    id: int | None = Field(default=None, primary_key=True)
    type: str = Field(max_length=40)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class WebhookDelivery(SQLModel, table=True):
    """One event for one webhook: pending until delivered or given up (dead)."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    webhook_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("webhook.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    event_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("webhook_event.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    status: str = Field(default="pending", sa_type=String(10))
    attempts: int = 0
    # When the next attempt is due; while a worker holds the delivery, when its claim lapses.
    next_attempt_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    claim: str | None = Field(default=None, max_length=32)
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    finished_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class WebhookAttempt(SQLModel, table=True):
    """One try at a delivery: when, the answer's status code or the error, how long."""

    __tablename__ = "webhook_attempt"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("webhook_delivery.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    attempted_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    status_code: int | None = None
    error: str | None = Field(default=None, max_length=500)
    duration_ms: int = 0
