"""Institutions, their suggested partners, the taxonomy and the health checks."""

from __future__ import annotations

from collections.abc import Sequence

from matching.floor import MIN_SCORE
from service.client.calls import API_PREFIX, Call, Tagged, body, clean, nothing, parsed, tagged
from service.client.methods import operation, paged
from service.client.operations.common import (
    INSTITUTIONS,
    PROFILE,
    Data,
    Profile,
    keyed,
    page_params,
    precondition,
)
from service.http.health import Liveness
from service.http.schemas import Health
from service.institutions.models import InstitutionCreate, InstitutionPrivate, InstitutionUpdate
from service.institutions.schemas import (
    BulkCreated,
    InstitutionCreated,
    InstitutionPage,
    MatchList,
    MatchRequest,
    TaxonomyPublic,
)


class Institutions:
    """Register, read, change and delete institutions; suggest partners."""

    @operation
    def create_institution(
        self, profile: InstitutionCreate | Data, idempotency_key: str | None = None
    ) -> Call[InstitutionCreated]:
        """Register an institution; the answer holds its key, shown this once."""
        return Call(
            "POST",
            INSTITUTIONS,
            parsed(InstitutionCreated),
            json=body(profile),
            headers=keyed(idempotency_key),
        )

    @operation
    def create_institutions(
        self, profiles: Sequence[InstitutionCreate | Data], idempotency_key: str | None = None
    ) -> Call[BulkCreated]:
        """Register many institutions at once, all or nothing (organisers, admins)."""
        return Call(
            "POST",
            f"{INSTITUTIONS}/bulk",
            parsed(BulkCreated),
            json=[body(profile) for profile in profiles],
            headers=keyed(idempotency_key),
        )

    @operation
    def list_institutions(
        self,
        *,
        country: str | None = None,
        kind: str | None = None,
        field: str | None = None,
        q: str | None = None,
        limit: int = 20,
        offset: int | None = None,
        cursor: str | None = None,
    ) -> Call[InstitutionPage]:
        """Return one page of institutions in id order, filtered; by ``offset`` or ``cursor``."""
        params = {**clean({"country": country, "kind": kind, "field": field, "q": q})}
        return Call(
            "GET",
            INSTITUTIONS,
            parsed(InstitutionPage),
            params={**params, **page_params(limit, offset, cursor)},
        )

    iter_institutions = paged(list_institutions)

    @operation
    def read_institution(self, institution_id: int) -> Call[Profile]:
        """Read a profile (with its contact email for its own key or an admin)."""
        return Call("GET", f"{INSTITUTIONS}/{institution_id}", parsed(PROFILE))

    @operation
    def read_institution_tagged(self, institution_id: int) -> Call[Tagged[Profile]]:
        """Read a profile and its ETag, to change it later with ``if_match``."""
        return Call("GET", f"{INSTITUTIONS}/{institution_id}", tagged(PROFILE))

    @operation
    def update_institution(
        self, institution_id: int, changes: InstitutionUpdate | Data, if_match: str | None = None
    ) -> Call[Tagged[InstitutionPrivate]]:
        """Change the fields sent; with ``if_match``, only if unchanged since (else 412)."""
        return Call(
            "PATCH",
            f"{INSTITUTIONS}/{institution_id}",
            tagged(InstitutionPrivate),
            json=body(changes),
            headers=precondition(if_match),
        )

    @operation
    def delete_institution(self, institution_id: int, if_match: str | None = None) -> Call[None]:
        """Delete an institution and the partnerships naming it (``if_match``: see update)."""
        return Call(
            "DELETE", f"{INSTITUTIONS}/{institution_id}", nothing, headers=precondition(if_match)
        )

    @operation
    def read_matches(
        self,
        institution_id: int,
        *,
        limit: int = 10,
        cross_border: bool = True,
        country: Sequence[str] = (),
        kind: Sequence[str] = (),
        min_score: float = MIN_SCORE,
        diversity: float = 0.0,
        exposure: float | None = None,
    ) -> Call[MatchList]:
        """Suggest partners for a stored institution, best first, with reasons."""
        params = {
            "limit": limit,
            "cross_border": str(cross_border).lower(),
            "country": list(country),
            "kind": list(kind),
            "min_score": min_score,
            "diversity": diversity,
            **clean({"exposure": exposure}),
        }
        return Call(
            "GET", f"{INSTITUTIONS}/{institution_id}/matches", parsed(MatchList), params=params
        )

    @operation
    def match_profile(
        self, request: MatchRequest | Data, idempotency_key: str | None = None
    ) -> Call[MatchList]:
        """Suggest partners for a profile that is not stored."""
        return Call(
            "POST",
            f"{API_PREFIX}/matches",
            parsed(MatchList),
            json=body(request),
            headers=keyed(idempotency_key),
        )

    @operation
    def read_taxonomy(self) -> Call[TaxonomyPublic]:
        """Return the canonical technical fields and program types."""
        return Call("GET", f"{API_PREFIX}/taxonomy", parsed(TaxonomyPublic))

    @operation
    def health(self) -> Call[Health]:
        """Return whether the service is up and how many institutions it holds."""
        return Call("GET", "/healthz", parsed(Health))

    @operation
    def liveness(self) -> Call[Liveness]:
        """Say whether the process answers; touches neither the database nor the index."""
        return Call("GET", "/livez", parsed(Liveness))

    @operation
    def readiness(self) -> Call[Health]:
        """Say the service can answer: its database takes writes and its index is loaded
        (else :class:`~service.client.ApiError` with status 503)."""
        return Call("GET", "/readyz", parsed(Health))
