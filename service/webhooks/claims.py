"""Claiming due deliveries fairly: one at a time per webhook, a few at a time per owner.

Deliveries are claimed in the database, so every instance sharing it sees the others'
claims: a claimed row carries a claim token and a due time pushed a lease ahead, and it
counts as in flight until it is recorded or the lease lapses. A claim round

1. lists the webhooks with due deliveries (not parked: ``service.webhooks.breaker``),
   each with its oldest due time, and counts what is in flight per webhook and owner;
2. takes, oldest first, webhooks with nothing in flight whose owner has fewer than
   ``per_owner`` attempts in flight, up to ``limit`` of them;
3. claims the oldest due delivery of each with ``UPDATE ... WHERE id IN (SELECT ... FOR
   UPDATE SKIP LOCKED)``: on PostgreSQL instances skip each other's rows, on SQLite the
   statement is atomic, and a row another instance claimed meanwhile is no longer due.

So one owner holds at most ``per_owner`` delivery slots however many webhooks it has or
however slowly they answer, and one webhook at most one. Two instances claiming at the
same moment may each let an owner reach its cap: the cap is exact per instance.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from service.webhooks.models import Webhook, WebhookDelivery


@dataclass(frozen=True, slots=True)
class DueWebhook:
    """A webhook with deliveries due, and the due time of its oldest."""

    webhook_id: int
    owner: str
    oldest: datetime


def _due_webhooks(session: Session, now: datetime) -> list[DueWebhook]:
    statement = (
        select(
            col(WebhookDelivery.webhook_id),
            col(Webhook.owner),
            func.min(col(WebhookDelivery.next_attempt_at)),
        )
        .join(Webhook, col(Webhook.id) == col(WebhookDelivery.webhook_id))
        .where(col(WebhookDelivery.status) == "pending")
        .where(col(WebhookDelivery.next_attempt_at) <= now)
        .where(or_(col(Webhook.parked_until).is_(None), col(Webhook.parked_until) <= now))
        .group_by(col(WebhookDelivery.webhook_id), col(Webhook.owner))
    )
    rows = [
        DueWebhook(webhook_id, owner, oldest)
        for webhook_id, owner, oldest in session.exec(statement)
    ]
    return sorted(rows, key=lambda due: (due.oldest, due.webhook_id))


def _in_flight(session: Session, now: datetime) -> tuple[Counter[int], Counter[str]]:
    statement = (
        select(col(WebhookDelivery.webhook_id), col(Webhook.owner), func.count())
        .join(Webhook, col(Webhook.id) == col(WebhookDelivery.webhook_id))
        .where(col(WebhookDelivery.status) == "pending")
        .where(col(WebhookDelivery.claim).is_not(None))
        .where(col(WebhookDelivery.next_attempt_at) > now)
        .group_by(col(WebhookDelivery.webhook_id), col(Webhook.owner))
    )
    by_hook: Counter[int] = Counter()
    by_owner: Counter[str] = Counter()
    for webhook_id, owner, count in session.exec(statement):
        by_hook[webhook_id] += count
        by_owner[owner] += count
    return by_hook, by_owner


def pick(
    due: list[DueWebhook],
    by_hook: Counter[int],
    by_owner: Counter[str],
    *,
    limit: int,
    per_owner: int,
) -> list[int]:
    """Return the webhooks to send one delivery each to, oldest due first, within the caps."""
    chosen: list[int] = []
    for item in due:
        if len(chosen) >= limit:
            break
        if by_hook[item.webhook_id] or by_owner[item.owner] >= per_owner:
            continue
        chosen.append(item.webhook_id)
        by_hook[item.webhook_id] += 1
        by_owner[item.owner] += 1
    return chosen


def claim_due(
    session: Session, *, claim: str, limit: int, per_owner: int, lease: timedelta, now: datetime
) -> list[int]:
    """Claim up to ``limit`` due deliveries fairly (see the module); return their ids."""
    if limit < 1:
        return []
    by_hook, by_owner = _in_flight(session, now)
    hooks = pick(_due_webhooks(session, now), by_hook, by_owner, limit=limit, per_owner=per_owner)
    claimed: list[int] = []
    for webhook_id in hooks:
        oldest = (
            select(WebhookDelivery.id)
            .where(col(WebhookDelivery.webhook_id) == webhook_id)
            .where(col(WebhookDelivery.status) == "pending")
            .where(col(WebhookDelivery.next_attempt_at) <= now)
            .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        statement = (
            update(WebhookDelivery)
            .where(col(WebhookDelivery.id).in_(oldest.scalar_subquery()))
            .values(claim=claim, next_attempt_at=now + lease)
            .returning(col(WebhookDelivery.id))
        )
        claimed += session.exec(statement).scalars().all()
    return claimed
