"""Opportunities (offers and calls) and the interest institutions express in them."""

from __future__ import annotations

from typing import Literal

from matching.floor import MIN_SCORE
from service.client.calls import Call, body, clean, nothing, parsed
from service.client.methods import operation, paged
from service.client.operations.common import (
    INSTITUTIONS,
    OPPORTUNITIES,
    Data,
    keyed,
    page_params,
)
from service.institutions.schemas import MatchList
from service.opportunities.schemas import (
    InterestCreate,
    InterestPage,
    InterestPublic,
    OpportunityCreate,
    OpportunityMatchList,
    OpportunityPage,
    OpportunityPublic,
    OpportunityUpdate,
)


class Opportunities:
    """Publish, find and close opportunities; express interest in them."""

    @operation
    def create_opportunity(
        self, opportunity: OpportunityCreate | Data, idempotency_key: str | None = None
    ) -> Call[OpportunityPublic]:
        """Publish an offer or a call (an institution's key; admins name the institution)."""
        return Call(
            "POST",
            OPPORTUNITIES,
            parsed(OpportunityPublic),
            json=body(opportunity),
            headers=keyed(idempotency_key),
        )

    @operation
    def list_opportunities(
        self,
        *,
        type: str | None = None,
        country: str | None = None,
        kind: str | None = None,
        institution_id: int | None = None,
        field: str | None = None,
        status: Literal["open", "closed", "all"] | None = None,
        limit: int = 20,
        offset: int | None = None,
        cursor: str | None = None,
    ) -> Call[OpportunityPage]:
        """Return one page of opportunities in id order (open ones unless ``status`` says)."""
        params = clean(
            {
                "type": type,
                "country": country,
                "kind": kind,
                "institution_id": institution_id,
                "field": field,
                "status": status,
            }
        )
        return Call(
            "GET",
            OPPORTUNITIES,
            parsed(OpportunityPage),
            params={**params, **page_params(limit, offset, cursor)},
        )

    iter_opportunities = paged(list_opportunities)

    @operation
    def read_opportunity(self, opportunity_id: int) -> Call[OpportunityPublic]:
        """Read an opportunity, with its status now (closed once past its deadline)."""
        return Call("GET", f"{OPPORTUNITIES}/{opportunity_id}", parsed(OpportunityPublic))

    @operation
    def update_opportunity(
        self, opportunity_id: int, changes: OpportunityUpdate | Data
    ) -> Call[OpportunityPublic]:
        """Change the fields sent (its institution's key or an admin)."""
        return Call(
            "PATCH",
            f"{OPPORTUNITIES}/{opportunity_id}",
            parsed(OpportunityPublic),
            json=body(changes),
        )

    @operation
    def close_opportunity(self, opportunity_id: int) -> Call[None]:
        """Close an opportunity now (its institution's key or an admin); it stays readable."""
        return Call("DELETE", f"{OPPORTUNITIES}/{opportunity_id}", nothing)

    @operation
    def match_opportunity(
        self, opportunity_id: int, *, limit: int = 10, min_score: float = MIN_SCORE
    ) -> Call[MatchList]:
        """Rank the institutions that may take up an open opportunity, best first."""
        return Call(
            "GET",
            f"{OPPORTUNITIES}/{opportunity_id}/matches",
            parsed(MatchList),
            params={"limit": limit, "min_score": min_score},
        )

    @operation
    def opportunities_for(
        self, institution_id: int, *, limit: int = 10, min_score: float = MIN_SCORE
    ) -> Call[OpportunityMatchList]:
        """Rank the open opportunities an institution may take up, best first, with reasons."""
        return Call(
            "GET",
            f"{INSTITUTIONS}/{institution_id}/opportunities",
            parsed(OpportunityMatchList),
            params={"limit": limit, "min_score": min_score},
        )

    @operation
    def express_interest(
        self,
        opportunity_id: int,
        interest: InterestCreate | Data,
        idempotency_key: str | None = None,
    ) -> Call[InterestPublic]:
        """Express an institution's interest in an open opportunity, with a note for its owner."""
        return Call(
            "POST",
            f"{OPPORTUNITIES}/{opportunity_id}/interest",
            parsed(InterestPublic),
            json=body(interest),
            headers=keyed(idempotency_key),
        )

    @operation
    def list_interest(
        self,
        opportunity_id: int,
        *,
        limit: int = 20,
        offset: int | None = None,
        cursor: str | None = None,
    ) -> Call[InterestPage]:
        """Return one page of who expressed interest, oldest first (the owner or an admin)."""
        return Call(
            "GET",
            f"{OPPORTUNITIES}/{opportunity_id}/interest",
            parsed(InterestPage),
            params=page_params(limit, offset, cursor),
        )

    iter_interest = paged(list_interest)

    @operation
    def withdraw_interest(self, opportunity_id: int) -> Call[None]:
        """Withdraw the caller's institution's interest in an opportunity."""
        return Call("DELETE", f"{OPPORTUNITIES}/{opportunity_id}/interest", nothing)
