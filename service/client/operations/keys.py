"""API keys: admin and organiser keys, and an institution's own keys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from service.auth.schemas import KeyIssued, KeyPage, KeyPublic
from service.client.calls import API_PREFIX, Call, nothing, parsed
from service.client.methods import operation, paged
from service.client.operations.common import INSTITUTIONS, keyed, page_params


class Keys:
    """Issue, list and revoke API keys."""

    @operation
    def create_key(
        self,
        label: str,
        role: Literal["admin", "organiser"],
        workshops: Sequence[int] = (),
        idempotency_key: str | None = None,
    ) -> Call[KeyIssued]:
        """Create an admin key, or an organiser key for some workshops (admins)."""
        data = {"label": label, "role": role, "workshops": list(workshops)}
        return Call(
            "POST",
            f"{API_PREFIX}/keys",
            parsed(KeyIssued),
            json=data,
            headers=keyed(idempotency_key),
        )

    @operation
    def list_keys(
        self, *, limit: int = 20, offset: int | None = None, cursor: str | None = None
    ) -> Call[KeyPage]:
        """Return one page of keys by id, without secrets (admins)."""
        return Call(
            "GET", f"{API_PREFIX}/keys", parsed(KeyPage), params=page_params(limit, offset, cursor)
        )

    iter_keys = paged(list_keys)

    @operation
    def revoke_key(self, key_id: int) -> Call[None]:
        """Revoke a key (admins any; an institution its own)."""
        return Call("DELETE", f"{API_PREFIX}/keys/{key_id}", nothing)

    @operation
    def create_institution_key(
        self, institution_id: int, idempotency_key: str | None = None
    ) -> Call[KeyIssued]:
        """Issue another key for an institution (its own key or an admin)."""
        return Call(
            "POST",
            f"{INSTITUTIONS}/{institution_id}/keys",
            parsed(KeyIssued),
            headers=keyed(idempotency_key),
        )

    @operation
    def list_institution_keys(self, institution_id: int) -> Call[list[KeyPublic]]:
        """List an institution's keys, without secrets."""
        return Call("GET", f"{INSTITUTIONS}/{institution_id}/keys", parsed(list[KeyPublic]))
