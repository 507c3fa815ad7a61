"""What the key routes take and give."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.http.pagination import Page
from service.values.times import UtcDatetime
from service.values.validation import Id, Name


class KeyCreate(BaseModel):
    """A new admin or organiser key."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"label": "Phnom Penh 2026 organisers", "role": "organiser", "workshops": [1]}
            ]
        },
    )

    label: Name
    role: Literal["admin", "organiser"]
    workshops: list[Id] = Field(
        default_factory=list, max_length=100, description="Workshops an organiser key may run."
    )


class KeyPublic(BaseModel):
    """A key as listed: never its secret."""

    id: int
    label: str
    prefix: str = Field(description="The key's first characters, to recognise it.")
    role: str
    institution_id: int | None
    scopes: list[str]
    created_at: UtcDatetime
    revoked_at: UtcDatetime | None


class KeyPage(Page[KeyPublic]):
    """One page of keys, by id, without secrets."""


class KeyIssued(KeyPublic):
    """A new key, with its secret, shown this once."""

    key: str
