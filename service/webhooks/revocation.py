"""Revoking a key cancels the queued deliveries of the webhooks it no longer speaks for.

A webhook made with an organiser or admin key belongs to that key (owner ``key:<id>``):
once the key is revoked its owner is gone, and so are the deliveries waiting for it. An
institution's webhooks belong to the institution (any of its keys): they lose their owner
only when the institution's last live key is revoked. Cancelled deliveries are marked
``cancelled``, stay listed, and are never tried again; the outbox enqueues nothing more
for such webhooks (``service.webhooks.outbox``).
"""

from __future__ import annotations

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from service.auth.models import ApiKey
from service.values.times import utc_now
from service.webhooks.models import Webhook, WebhookDelivery

CANCELLED_ERROR = "cancelled: the key that owns this webhook was revoked"


def _orphaned_webhooks(session: Session, key: ApiKey) -> list[int]:
    if key.institution_id is None:
        condition = col(Webhook.key_id) == key.id
    else:
        live = session.exec(
            select(func.count())
            .select_from(ApiKey)
            .where(col(ApiKey.institution_id) == key.institution_id)
            .where(col(ApiKey.revoked_at).is_(None))
        ).one()
        if live:
            return []
        condition = col(Webhook.owner) == f"institution:{key.institution_id}"
    return [hook_id for hook_id in session.exec(select(Webhook.id).where(condition)) if hook_id]


def cancel_orphaned_deliveries(session: Session, key: ApiKey) -> int:
    """Cancel pending deliveries of webhooks that ``key``'s revocation left without an owner.

    Runs in the caller's transaction; returns how many were cancelled.
    """
    hooks = _orphaned_webhooks(session, key)
    if not hooks:
        return 0
    # A delivery a worker holds right now is cancelled too; the worker's record of its
    # attempt then leaves the status alone (``service.webhooks.delivery``).
    statement = (
        update(WebhookDelivery)
        .where(col(WebhookDelivery.webhook_id).in_(hooks))
        .where(col(WebhookDelivery.status) == "pending")
        .values(status="cancelled", finished_at=utc_now(), last_error=CANCELLED_ERROR)
    )
    cancelled: int = session.execute(statement).rowcount  # type: ignore[attr-defined]
    return cancelled
