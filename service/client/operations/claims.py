"""Claims of unclaimed profiles: ask, list, approve, reject."""

from __future__ import annotations

from typing import Literal

from service.claims.schemas import ClaimCreate, ClaimPage, ClaimPublic, ListedStatus
from service.client.calls import Call, body, clean, parsed
from service.client.methods import operation, paged
from service.client.operations.common import CLAIMS, Data, keyed, page_params


class Claims:
    """Claim a profile no one manages yet, and decide such claims."""

    @operation
    def create_claim(
        self,
        claim: ClaimCreate | Data,
        *,
        language: str | None = None,
        idempotency_key: str | None = None,
    ) -> Call[ClaimPublic]:
        """Claim a profile the seed or an import created (any caller, no key needed): a link
        to confirm it is emailed to its ``email`` (in ``language``, en or zh). Needs mail
        on the server: without it, :class:`~service.client.ApiError` with status 503."""
        headers = keyed(idempotency_key)
        if language:
            headers["Accept-Language"] = language
        return Call("POST", CLAIMS, parsed(ClaimPublic), json=body(claim), headers=headers)

    @operation
    def list_claims(
        self,
        *,
        status: ListedStatus | None = None,
        limit: int = 20,
        offset: int | None = None,
        cursor: str | None = None,
    ) -> Call[ClaimPage]:
        """Return one page of the claims the key may decide, oldest first (admins; a
        workshop's organisers for its participants)."""
        return Call(
            "GET",
            CLAIMS,
            parsed(ClaimPage),
            params={**clean({"status": status}), **page_params(limit, offset, cursor)},
        )

    iter_claims = paged(list_claims)

    @operation
    def approve_claim(self, claim_id: int, idempotency_key: str | None = None) -> Call[ClaimPublic]:
        """Approve a pending claim (its deciders): its email becomes the contact email and
        is sent a one-time sign-in link that gives the claimant the institution's key."""
        return decided(claim_id, "approve", idempotency_key)

    @operation
    def reject_claim(self, claim_id: int, idempotency_key: str | None = None) -> Call[ClaimPublic]:
        """Reject a pending claim (its deciders); nothing else changes."""
        return decided(claim_id, "reject", idempotency_key)


def decided(
    claim_id: int, decision: Literal["approve", "reject"], idempotency_key: str | None
) -> Call[ClaimPublic]:
    """The call that decides a pending claim."""
    return Call(
        "POST",
        f"{CLAIMS}/{claim_id}/{decision}",
        parsed(ClaimPublic),
        headers=keyed(idempotency_key),
    )
