"""Webhook writes, one function per action: register a webhook, delete one.

Each one checks who may do it, writes and commits. Deleting a webhook deletes its
pending and past deliveries with it (foreign key cascade).
"""

from __future__ import annotations

from sqlmodel import Session

from service.auth.keys import Caller
from service.db import committed
from service.webhooks import registry
from service.webhooks.models import Webhook
from service.webhooks.schemas import WebhookCreate


def create_webhook(
    *, session: Session, caller: Caller, data: WebhookCreate, allow_private: bool
) -> Webhook:
    """Register a webhook owned by the caller, with a new secret that signs its deliveries."""
    with committed(session):
        return registry.create(
            session=session, caller=caller, data=data, allow_private=allow_private
        )


def delete_webhook(*, session: Session, caller: Caller, webhook_id: int) -> None:
    """Delete one of the caller's webhooks, with its pending and past deliveries."""
    with committed(session):
        row = registry.get(session=session, caller=caller, webhook_id=webhook_id)
        session.delete(row)
