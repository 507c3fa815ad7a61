"""Webhooks: register URLs for events, list and delete them, and read their deliveries."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response, status

from service.deps import KeyDep, SessionDep, SettingsDep
from service.http.idempotency import IdempotentPostRoute
from service.http.query_models import QueryModel
from service.http.schemas import PROBLEM_RESPONSES
from service.values.validation import MAX_ID
from service.webhooks import operations
from service.webhooks import registry as webhooks
from service.webhooks.schemas import (
    DeliveryFilters,
    DeliveryPage,
    WebhookCreate,
    WebhookCreated,
    WebhookPublic,
)

RESPONSES: dict[int | str, dict[str, Any]] = {
    **{code: value for code, value in PROBLEM_RESPONSES.items() if code != 409},
    404: {**PROBLEM_RESPONSES[404], "description": "No webhook has this id."},
}
router = APIRouter(
    prefix="/webhooks",
    tags=["webhooks"],
    responses=RESPONSES,
    route_class=IdempotentPostRoute,
)
WebhookId = Annotated[int, Path(ge=1, le=MAX_ID, description="The webhook's id.")]


@router.post("", status_code=status.HTTP_201_CREATED, operation_id="create_webhook")
def create_webhook(
    caller: KeyDep, data: WebhookCreate, session: SessionDep, settings: SettingsDep
) -> WebhookCreated:
    """Register a URL for some events; the secret that signs deliveries is shown only here.

    Any key may register; institution keys may not take the workshop events."""
    row = operations.create_webhook(
        session=session,
        caller=caller,
        data=data,
        allow_private=settings.webhook_allow_private_targets,
    )
    return WebhookCreated(**webhooks.to_out(row).model_dump(), secret=row.secret)


@router.get("", operation_id="list_webhooks")
def list_webhooks(caller: KeyDep, session: SessionDep) -> list[WebhookPublic]:
    """List the caller's webhooks (an admin: everyone's), without secrets."""
    return [webhooks.to_out(row) for row in webhooks.listing(session=session, caller=caller)]


@router.get("/{webhook_id:int}", operation_id="read_webhook")
def read_webhook(caller: KeyDep, webhook_id: WebhookId, session: SessionDep) -> WebhookPublic:
    """Read one of the caller's webhooks, without its secret."""
    return webhooks.to_out(webhooks.get(session=session, caller=caller, webhook_id=webhook_id))


@router.delete(
    "/{webhook_id:int}", status_code=status.HTTP_204_NO_CONTENT, operation_id="delete_webhook"
)
def delete_webhook(caller: KeyDep, webhook_id: WebhookId, session: SessionDep) -> Response:
    """Delete one of the caller's webhooks, with its pending and past deliveries."""
    operations.delete_webhook(session=session, caller=caller, webhook_id=webhook_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{webhook_id:int}/deliveries", operation_id="list_deliveries")
def list_deliveries(
    caller: KeyDep,
    webhook_id: WebhookId,
    session: SessionDep,
    filters: Annotated[DeliveryFilters, Depends(QueryModel(DeliveryFilters))],
) -> DeliveryPage:
    """List a webhook's deliveries, newest first, each with every attempt made."""
    webhooks.get(session=session, caller=caller, webhook_id=webhook_id)
    window, items = webhooks.deliveries(session=session, webhook_id=webhook_id, filters=filters)
    return DeliveryPage.of(window, items, filters)
