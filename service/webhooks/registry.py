"""Webhooks: register, list, read, delete, and list their deliveries.

Anyone with a key may register webhooks; each owner sees and deletes its own (admins:
all). Institution keys may subscribe to every event but the workshop ones, which go to
admins and organisers only (see ``service.webhooks.outbox`` for who receives what). The secret
is shown once, at registration.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from service.auth.keys import Caller, Role
from service.auth.owners import get_owned, owner_of
from service.db import hold_lock
from service.errors import FieldError, InvalidInput
from service.http.pagination import Window, paginate
from service.values.times import as_utc, utc_now
from service.webhooks.addresses import registration_problem
from service.webhooks.breaker import state_of
from service.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent
from service.webhooks.outbox import WORKSHOP_EVENTS, event_id
from service.webhooks.schemas import (
    AttemptPublic,
    DeliveryFilters,
    DeliveryPublic,
    WebhookCreate,
    WebhookPublic,
)
from service.webhooks.signing import new_secret

MAX_PER_OWNER = 20


def create(
    *, session: Session, caller: Caller, data: WebhookCreate, allow_private: bool
) -> Webhook:
    """Store a webhook owned by the caller, with a new secret; the caller commits."""
    owner = owner_of(caller)
    errors = []
    if not allow_private and (problem := registration_problem(data.url)):
        errors.append(FieldError(("body", "url"), problem))
    if caller.role is Role.institution:
        errors += [
            FieldError(("body", "events", i), "workshop events go to admins and organisers only")
            for i, event in enumerate(data.events)
            if event in WORKSHOP_EVENTS
        ]
    if errors:
        raise InvalidInput(errors)
    hold_lock(session, "webhook", f"webhooks:{owner}")  # count and write as one
    held = session.exec(
        select(func.count()).select_from(Webhook).where(col(Webhook.owner) == owner)
    ).one()
    if held >= MAX_PER_OWNER:
        raise InvalidInput([FieldError(("body",), f"an owner may have {MAX_PER_OWNER} webhooks")])
    row = Webhook(
        owner=owner,
        owner_role=str(caller.role),
        institution_id=caller.institution_id if caller.role is Role.institution else None,
        key_id=caller.key_id if caller.role is not Role.institution else None,
        url=data.url,
        events=[str(event) for event in data.events],
        description=data.description,
        secret=new_secret(),
    )
    session.add(row)
    session.flush()
    return row


def get(*, session: Session, caller: Caller, webhook_id: int) -> Webhook:
    """Return a webhook the caller may see, or raise (404, or 403 for another's)."""
    return get_owned(session, caller, Webhook, webhook_id, "webhook")


def listing(*, session: Session, caller: Caller) -> list[Webhook]:
    """Return the caller's webhooks (an admin: everyone's), in id order."""
    statement = select(Webhook).order_by(col(Webhook.id))
    if caller.role is not Role.admin:
        statement = statement.where(col(Webhook.owner) == owner_of(caller))
    return list(session.exec(statement))


def to_out(row: Webhook) -> WebhookPublic:
    """Return the API view of a webhook (never its secret)."""
    return WebhookPublic.model_validate(
        {**row.model_dump(exclude={"secret"}), "state": state_of(row, utc_now())}
    )


def deliveries(
    *, session: Session, webhook_id: int, filters: DeliveryFilters
) -> tuple[Window[WebhookDelivery], list[DeliveryPublic]]:
    """Return a page of a webhook's deliveries, newest first, and their API views with
    their attempts."""
    conditions = [col(WebhookDelivery.webhook_id) == webhook_id]
    if filters.status:
        conditions.append(col(WebhookDelivery.status) == filters.status)
    window = paginate(
        session=session,
        statement=select(WebhookDelivery).where(*conditions),
        key=col(WebhookDelivery.id),
        key_of=lambda row: row.id,
        params=filters,
        newest_first=True,
    )
    wanted = [delivery.event_id for delivery in window.rows]
    events = {
        event.id: event
        for event in session.exec(select(WebhookEvent).where(col(WebhookEvent.id).in_(wanted)))
    }
    attempts: dict[int, list[AttemptPublic]] = {delivery.id or 0: [] for delivery in window.rows}
    statement = (
        select(WebhookAttempt)
        .where(col(WebhookAttempt.delivery_id).in_(list(attempts)))
        .order_by(col(WebhookAttempt.id))
    )
    for attempt in session.exec(statement):
        attempts[attempt.delivery_id].append(
            AttemptPublic.model_validate(attempt, from_attributes=True)
        )
    items = [
        DeliveryPublic.model_validate(
            {
                "id": delivery.id,
                "event_id": event_id(events[delivery.event_id]),
                "event_type": events[delivery.event_id].type,
                "status": delivery.status,
                "attempts": delivery.attempts,
                "next_attempt_at": as_utc(delivery.next_attempt_at)
                if delivery.status == "pending"
                else None,
                "last_status_code": delivery.last_status_code,
                "last_error": delivery.last_error,
                "created_at": delivery.created_at,
                "finished_at": delivery.finished_at,
                "attempt_log": attempts[delivery.id or 0],
            }
        )
        for delivery in window.rows
    ]
    return window, items
