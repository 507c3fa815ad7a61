"""What the operations share: the paths they start from and the headers and paging they send."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field

from service.client.calls import API_PREFIX, clean
from service.institutions.models import InstitutionPrivate, InstitutionPublic

Data = Mapping[str, Any]
# The view with the contact email (to its own key and admins) or the public one.
Profile = InstitutionPrivate | InstitutionPublic
PROFILE = Annotated[Profile, Field(union_mode="left_to_right")]

INSTITUTIONS = f"{API_PREFIX}/institutions"
WORKSHOPS = f"{API_PREFIX}/workshops"
OPPORTUNITIES = f"{API_PREFIX}/opportunities"
SAVED_SEARCHES = f"{API_PREFIX}/saved-searches"
WEBHOOKS = f"{API_PREFIX}/webhooks"
MEETING_REQUESTS = f"{API_PREFIX}/meeting-requests"
CLAIMS = f"{API_PREFIX}/claims"


def keyed(idempotency_key: str | None) -> dict[str, str]:
    """The ``Idempotency-Key`` header the caller chose, if any (else the call makes one)."""
    return {"Idempotency-Key": idempotency_key} if idempotency_key else {}


def precondition(etag: str | None) -> dict[str, str]:
    """The ``If-Match`` header, if the caller sent an ETag back."""
    return {"If-Match": etag} if etag else {}


def page_params(limit: int, offset: int | None, cursor: str | None) -> dict[str, Any]:
    """Paging of every list: ``limit`` items after ``offset`` or after ``cursor``."""
    return clean({"limit": limit, "offset": offset, "cursor": cursor})
