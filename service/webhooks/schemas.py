"""What the webhook routes take and give."""

from __future__ import annotations

import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from service.http.pagination import Page, PageParams
from service.values.times import UtcDatetime
from service.values.validation import WEBSITE_PATTERN, Documented, Text
from service.webhooks.breaker import BreakerState
from service.webhooks.outbox import EventType


def _http_url(value: str) -> str:
    refusal = ValueError("must be an http:// or https:// address with a host and valid port")
    if not re.fullmatch(WEBSITE_PATTERN, value):
        raise refusal
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (reading it checks it: a port past 65535 raises)
    except ValueError as error:  # e.g. an unclosed IPv6 bracket
        raise refusal from error
    if not parts.hostname:
        raise refusal
    return value


DeliveryStatus = Literal["pending", "delivered", "dead", "cancelled"]


def _distinct(values: list[EventType]) -> list[EventType]:
    return list(dict.fromkeys(values))


WebhookUrl = Annotated[
    Text,
    StringConstraints(max_length=2000),
    AfterValidator(_http_url),
    Documented(pattern=WEBSITE_PATTERN),
]
EventList = Annotated[
    list[EventType], Field(min_length=1, max_length=len(EventType)), AfterValidator(_distinct)
]


class WebhookCreate(BaseModel):
    """A URL to receive some events."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://portal.example.org/hooks/tvet-match",
                    "events": ["opportunity.published", "match.alert"],
                    "description": "ministry portal",
                }
            ]
        },
    )

    url: WebhookUrl
    events: EventList
    description: Annotated[Text, StringConstraints(max_length=200)] = ""


class WebhookPublic(BaseModel):
    """A webhook, without its secret, with the state of its circuit breaker."""

    id: int
    url: str
    events: list[EventType]
    description: str
    created_at: UtcDatetime
    state: BreakerState = Field(
        description="active; parked (after too many failed attempts in a row, its deliveries "
        "wait until parked_until); probing (the rest is over: the next attempt decides)."
    )
    consecutive_failures: int = Field(description="Failed attempts in a row.")
    parked_until: UtcDatetime | None = Field(description="When a parked webhook is probed.")


class WebhookCreated(WebhookPublic):
    """A new webhook, with the secret that signs its deliveries, shown this once."""

    secret: str = Field(
        description="Verify each delivery's webhook-signature with it (Standard Webhooks)."
    )


class AttemptPublic(BaseModel):
    """One try at a delivery."""

    attempted_at: UtcDatetime
    status_code: int | None = Field(description="The receiver's status code, if it answered.")
    error: str | None
    duration_ms: int


class DeliveryPublic(BaseModel):
    """One event sent (or being sent) to a webhook, with every attempt."""

    id: int
    event_id: str = Field(description="The webhook-id header and the body's id.")
    event_type: EventType
    status: DeliveryStatus
    attempts: int
    next_attempt_at: UtcDatetime | None = Field(description="When a pending one is tried next.")
    last_status_code: int | None
    last_error: str | None
    created_at: UtcDatetime
    finished_at: UtcDatetime | None
    attempt_log: list[AttemptPublic]


class DeliveryPage(Page[DeliveryPublic]):
    """One page of a webhook's deliveries, newest first."""


class DeliveryFilters(PageParams):
    """Which deliveries to list."""

    status: DeliveryStatus | None = None
