"""Webhooks: URLs the service posts events to, and their deliveries."""

from __future__ import annotations

from typing import Literal

from service.client.calls import Call, body, clean, nothing, parsed
from service.client.methods import operation, paged
from service.client.operations.common import WEBHOOKS, Data, keyed, page_params
from service.webhooks.schemas import DeliveryPage, WebhookCreate, WebhookCreated, WebhookPublic


class Webhooks:
    """Register webhooks and follow their deliveries."""

    @operation
    def create_webhook(
        self, webhook: WebhookCreate | Data, idempotency_key: str | None = None
    ) -> Call[WebhookCreated]:
        """Register a URL for some events; the answer holds its signing secret, shown this once."""
        return Call(
            "POST",
            WEBHOOKS,
            parsed(WebhookCreated),
            json=body(webhook),
            headers=keyed(idempotency_key),
        )

    @operation
    def list_webhooks(self) -> Call[list[WebhookPublic]]:
        """List the caller's webhooks (an admin: everyone's), without secrets."""
        return Call("GET", WEBHOOKS, parsed(list[WebhookPublic]))

    @operation
    def read_webhook(self, webhook_id: int) -> Call[WebhookPublic]:
        """Read one of the caller's webhooks, without its secret."""
        return Call("GET", f"{WEBHOOKS}/{webhook_id}", parsed(WebhookPublic))

    @operation
    def delete_webhook(self, webhook_id: int) -> Call[None]:
        """Delete one of the caller's webhooks, with its deliveries."""
        return Call("DELETE", f"{WEBHOOKS}/{webhook_id}", nothing)

    @operation
    def list_deliveries(
        self,
        webhook_id: int,
        *,
        status: Literal["pending", "delivered", "dead"] | None = None,
        limit: int = 20,
        offset: int | None = None,
        cursor: str | None = None,
    ) -> Call[DeliveryPage]:
        """Return one page of a webhook's deliveries, newest first, with every attempt."""
        return Call(
            "GET",
            f"{WEBHOOKS}/{webhook_id}/deliveries",
            parsed(DeliveryPage),
            params={**clean({"status": status}), **page_params(limit, offset, cursor)},
        )

    iter_deliveries = paged(list_deliveries)
