"""What the claim routes take and give."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from service.claims.models import ClaimStatus
from service.http.pagination import Page, PageParams
from service.values.times import UtcDatetime
from service.values.validation import Id, Note, Text

Claimant = Annotated[Text, StringConstraints(max_length=200)]

_EXAMPLE: dict[str, Any] = {
    "institution_id": 42,
    "email": "director@kampong-cham.example.org",
    "claimant": "Sok Dara, director",
}


class ClaimCreate(BaseModel):
    """A claim on a profile no one manages yet; the email is checked by a link sent to it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})

    institution_id: Id = Field(description="The unclaimed profile.")
    email: EmailStr = Field(max_length=320, description="The claimant's address at it.")
    claimant: Claimant = Field(default="", description="Who claims it: name and role.")
    note: Note = Field(default="", description="Anything that helps the decider check it.")


class ClaimPublic(BaseModel):
    """A claim as its deciders (and, on creation, its claimant) see it."""

    id: int
    institution_id: int
    email: str
    claimant: str
    note: str
    status: ClaimStatus = Field(
        description="unverified (the email not yet confirmed), pending (waiting for a "
        "decision), approved or rejected."
    )
    created_at: UtcDatetime
    decided_at: UtcDatetime | None


class ListedStatus(StrEnum):
    """The states a listed claim can be in: an unverified one is listed to no one."""

    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class ClaimFilters(PageParams):
    """Which claims to list, and which page."""

    status: ListedStatus | None = Field(
        default=None, description="Only claims in this state (`pending`: waiting for a decision)."
    )


class ClaimPage(Page[ClaimPublic]):
    """One page of claims, oldest first."""
