"""The transactional outbox: events written with the change that causes them.

``enqueue`` runs inside the writer's transaction (it never commits): the event and one
pending delivery per webhook that should receive it are committed, or rolled back,
together with the change. The delivery worker (``service.webhooks.delivery``) sends them later.
An event that no webhook should receive is not stored.

Who receives what: institution and opportunity events are public, so every webhook
subscribed to them does; ``match.alert`` goes only to webhooks of the saved search's
owner; workshop events (``pairing.completed``, ``outcome.recorded``) go to admins'
webhooks and to those of organiser keys scoped to that workshop; meeting events are
enqueued once per side, each for that institution's webhooks only. A webhook made with a
key that has since been revoked receives nothing more, nor does an institution's once
every key of the institution is revoked.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from service.auth.models import ApiKey
from service.values.times import as_utc
from service.webhooks.models import Webhook, WebhookDelivery, WebhookEvent


class EventType(StrEnum):
    """The events a webhook can subscribe to."""

    institution_created = "institution.created"
    institution_updated = "institution.updated"
    opportunity_published = "opportunity.published"
    match_alert = "match.alert"
    pairing_completed = "pairing.completed"
    outcome_recorded = "outcome.recorded"
    meeting_requested = "meeting.requested"
    meeting_accepted = "meeting.accepted"
    meeting_declined = "meeting.declined"


WORKSHOP_EVENTS = frozenset({EventType.pairing_completed, EventType.outcome_recorded})


@dataclass(frozen=True, slots=True)
class Event:
    """An event to enqueue: its type, its JSON-ready data, and who may receive it.

    ``owner`` limits it to that owner's webhooks; ``workshop_id`` to admins and the
    workshop's organisers.
    """

    type: EventType
    data: dict[str, Any]
    owner: str | None = None
    workshop_id: int | None = None


def _may_receive(
    hook: Webhook, event: Event, keys: Mapping[int, ApiKey], keyless: set[int]
) -> bool:
    if event.type not in hook.events or hook.institution_id in keyless:
        return False
    key = keys.get(hook.key_id) if hook.key_id is not None else None
    if hook.key_id is not None and (key is None or key.revoked_at is not None):
        return False
    if event.owner is not None:
        return hook.owner == event.owner
    if event.workshop_id is not None:
        if hook.owner_role == "admin":
            return True
        return key is not None and f"workshop:{event.workshop_id}" in key.scopes
    return True


def _id(value: int | None) -> int:
    assert value is not None, "flushed rows have ids"
    return value


def _keyless_institutions(session: Session, institution_ids: set[int | None]) -> set[int]:
    """Those of these institutions whose every key is revoked: their webhooks lost their owner."""
    if not institution_ids:
        return set()
    live = session.exec(
        select(ApiKey.institution_id)
        .where(col(ApiKey.institution_id).in_(institution_ids))
        .where(col(ApiKey.revoked_at).is_(None))
    )
    return {i for i in institution_ids if i is not None} - set(live)


def enqueue(session: Session, events: Sequence[Event]) -> int:
    """Store events and their pending deliveries in the caller's transaction.

    Returns how many deliveries were enqueued.
    """
    types = {str(event.type) for event in events}
    hooks = [hook for hook in session.exec(select(Webhook)) if types & set(hook.events)]
    if not hooks:
        return 0
    key_ids = [hook.key_id for hook in hooks if hook.key_id is not None]
    keys = {
        key.id: key
        for key in session.exec(select(ApiKey).where(col(ApiKey.id).in_(key_ids)))
        if key.id is not None
    }
    keyless = _keyless_institutions(session, {h.institution_id for h in hooks} - {None})
    routed = [
        (event, [h for h in hooks if _may_receive(h, event, keys, keyless)]) for event in events
    ]
    routed = [(event, receivers) for event, receivers in routed if receivers]
    rows = [WebhookEvent(type=str(event.type), payload=event.data) for event, _ in routed]
    session.add_all(rows)
    session.flush()
    deliveries = [
        WebhookDelivery(webhook_id=_id(hook.id), event_id=_id(row.id))
        for row, (_, receivers) in zip(rows, routed, strict=True)
        for hook in receivers
    ]
    session.add_all(deliveries)
    session.flush()
    return len(deliveries)


def event_id(event: WebhookEvent) -> str:
    """The event's id as receivers see it (``webhook-id`` and the body's ``id``)."""
    return f"evt_{event.id}"


def body_of(event: WebhookEvent) -> bytes:
    """The JSON body every delivery of this event sends, the same on every retry."""
    document = {
        "id": event_id(event),
        "type": event.type,
        "created_at": as_utc(event.created_at).isoformat(),
        "data": event.payload,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def wanted(session: Session, event_type: EventType) -> bool:
    """Whether any webhook subscribes to this event type (so building its data is worth it)."""
    return any(str(event_type) in hook.events for hook in session.exec(select(Webhook)))
