"""Every API operation the clients offer, described once: method, path, body, answer type.

Each function is named after the ``operationId`` it calls (``tests/service/client``
checks each against the service's OpenAPI document). The request and answer types are
the service's own public schemas, so the client cannot drift from what the API accepts
and answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import Field

from service.alerts.schemas import AlertPage, SavedSearchCreate, SavedSearchPage, SavedSearchPublic
from service.auth.schemas import KeyIssued, KeyPage, KeyPublic
from service.client.calls import (
    API_PREFIX,
    Call,
    Tagged,
    body,
    clean,
    nothing,
    parsed,
    raw,
    tagged,
)
from service.http.schemas import Health
from service.institutions.models import (
    InstitutionCreate,
    InstitutionPrivate,
    InstitutionPublic,
    InstitutionUpdate,
)
from service.institutions.schemas import (
    BulkCreated,
    InstitutionCreated,
    InstitutionPage,
    MatchList,
    MatchRequest,
    TaxonomyPublic,
)
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
from service.webhooks.schemas import DeliveryPage, WebhookCreate, WebhookCreated, WebhookPublic
from service.workshops.models import WorkshopCreate, WorkshopPublic, WorkshopUpdate
from service.workshops.schemas import (
    ImportPlanPublic,
    ImportResult,
    OutcomeIn,
    OutcomePublic,
    PairingDiff,
    PairingRequest,
    PairingRunPage,
    PairingRunPublic,
    ParticipantPage,
    SchedulePublic,
    ScheduleRequest,
    WorkshopReport,
)

Data = Mapping[str, Any]
# The view with the contact email (to its own key and admins) or the public one.
Profile = InstitutionPrivate | InstitutionPublic
_PROFILE = Annotated[Profile, Field(union_mode="left_to_right")]
ExportKind = Literal["pairs", "alternates", "schedule", "ics", "html"]
_I = f"{API_PREFIX}/institutions"
_W = f"{API_PREFIX}/workshops"
_O = f"{API_PREFIX}/opportunities"
_S = f"{API_PREFIX}/saved-searches"
_H = f"{API_PREFIX}/webhooks"


def _keyed(idempotency_key: str | None) -> dict[str, str]:
    return {"Idempotency-Key": idempotency_key} if idempotency_key else {}


def _if_match(etag: str | None) -> dict[str, str]:
    return {"If-Match": etag} if etag else {}


def _page(limit: int, offset: int | None, cursor: str | None) -> dict[str, Any]:
    return clean({"limit": limit, "offset": offset, "cursor": cursor})


def _offset_page(limit: int, offset: int | None) -> dict[str, Any]:
    """Paging for the lists that take ``limit`` and ``offset`` but no cursor."""
    return clean({"limit": limit, "offset": offset})


# -- institutions and suggestions ------------------------------------------------------------


def create_institution(
    profile: InstitutionCreate | Data, idempotency_key: str | None = None
) -> Call[InstitutionCreated]:
    """Register an institution; the answer holds its key, shown this once."""
    return Call(
        "POST",
        _I,
        parsed(InstitutionCreated),
        json=body(profile),
        headers=_keyed(idempotency_key),
    )


def create_institutions(
    profiles: Sequence[InstitutionCreate | Data], idempotency_key: str | None = None
) -> Call[BulkCreated]:
    """Register many institutions at once, all or nothing (organisers, admins)."""
    return Call(
        "POST",
        f"{_I}/bulk",
        parsed(BulkCreated),
        json=[body(profile) for profile in profiles],
        headers=_keyed(idempotency_key),
    )


def list_institutions(
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
        "GET", _I, parsed(InstitutionPage), params={**params, **_page(limit, offset, cursor)}
    )


def read_institution(institution_id: int) -> Call[Profile]:
    """Read a profile (with its contact email for its own key or an admin)."""
    return Call("GET", f"{_I}/{institution_id}", parsed(_PROFILE))


def read_institution_tagged(institution_id: int) -> Call[Tagged[Profile]]:
    """Read a profile and its ETag, to change it later with ``if_match``."""
    return Call("GET", f"{_I}/{institution_id}", tagged(_PROFILE))


def update_institution(
    institution_id: int, changes: InstitutionUpdate | Data, if_match: str | None = None
) -> Call[Tagged[InstitutionPrivate]]:
    """Change the fields sent; with ``if_match``, only if unchanged since (else 412)."""
    return Call(
        "PATCH",
        f"{_I}/{institution_id}",
        tagged(InstitutionPrivate),
        json=body(changes),
        headers=_if_match(if_match),
    )


def delete_institution(institution_id: int, if_match: str | None = None) -> Call[None]:
    """Delete an institution and the partnerships naming it (``if_match``: see update)."""
    return Call("DELETE", f"{_I}/{institution_id}", nothing, headers=_if_match(if_match))


def read_matches(
    institution_id: int,
    *,
    limit: int = 10,
    cross_border: bool = True,
    country: Sequence[str] = (),
    kind: Sequence[str] = (),
    min_score: float = 0.0,
    diversity: float = 0.0,
    exposure: float = 0.0,
) -> Call[MatchList]:
    """Suggest partners for a stored institution, best first, with reasons."""
    params = {
        "limit": limit,
        "cross_border": str(cross_border).lower(),
        "country": list(country),
        "kind": list(kind),
        "min_score": min_score,
        "diversity": diversity,
        "exposure": exposure,
    }
    return Call("GET", f"{_I}/{institution_id}/matches", parsed(MatchList), params=params)


def match_profile(
    request: MatchRequest | Data, idempotency_key: str | None = None
) -> Call[MatchList]:
    """Suggest partners for a profile that is not stored."""
    return Call(
        "POST",
        f"{API_PREFIX}/matches",
        parsed(MatchList),
        json=body(request),
        headers=_keyed(idempotency_key),
    )


def read_taxonomy() -> Call[TaxonomyPublic]:
    """Return the canonical technical fields and program types."""
    return Call("GET", f"{API_PREFIX}/taxonomy", parsed(TaxonomyPublic))


def health() -> Call[Health]:
    """Return whether the service is up and how many institutions it holds."""
    return Call("GET", "/healthz", parsed(Health))


# -- keys -------------------------------------------------------------------------------


def create_key(
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
        headers=_keyed(idempotency_key),
    )


def list_keys(
    *, limit: int = 20, offset: int | None = None, cursor: str | None = None
) -> Call[KeyPage]:
    """Return one page of keys by id, without secrets (admins)."""
    return Call("GET", f"{API_PREFIX}/keys", parsed(KeyPage), params=_page(limit, offset, cursor))


def revoke_key(key_id: int) -> Call[None]:
    """Revoke a key (admins any; an institution its own)."""
    return Call("DELETE", f"{API_PREFIX}/keys/{key_id}", nothing)


def create_institution_key(
    institution_id: int, idempotency_key: str | None = None
) -> Call[KeyIssued]:
    """Issue another key for an institution (its own key or an admin)."""
    return Call(
        "POST",
        f"{_I}/{institution_id}/keys",
        parsed(KeyIssued),
        headers=_keyed(idempotency_key),
    )


def list_institution_keys(institution_id: int) -> Call[list[KeyPublic]]:
    """List an institution's keys, without secrets."""
    return Call("GET", f"{_I}/{institution_id}/keys", parsed(list[KeyPublic]))


# -- workshops --------------------------------------------------------------------------


def create_workshop(
    workshop: WorkshopCreate | Data, idempotency_key: str | None = None
) -> Call[WorkshopPublic]:
    """Create a workshop (admins)."""
    return Call(
        "POST", _W, parsed(WorkshopPublic), json=body(workshop), headers=_keyed(idempotency_key)
    )


def list_workshops() -> Call[list[WorkshopPublic]]:
    """List workshops, newest first."""
    return Call("GET", _W, parsed(list[WorkshopPublic]))


def read_workshop(workshop_id: int) -> Call[WorkshopPublic]:
    """Read a workshop."""
    return Call("GET", f"{_W}/{workshop_id}", parsed(WorkshopPublic))


def read_workshop_tagged(workshop_id: int) -> Call[Tagged[WorkshopPublic]]:
    """Read a workshop and its ETag, to change it later with ``if_match``."""
    return Call("GET", f"{_W}/{workshop_id}", tagged(WorkshopPublic))


def update_workshop(
    workshop_id: int, changes: WorkshopUpdate | Data, if_match: str | None = None
) -> Call[Tagged[WorkshopPublic]]:
    """Change a workshop; with ``if_match``, only if unchanged since (else 412)."""
    return Call(
        "PATCH",
        f"{_W}/{workshop_id}",
        tagged(WorkshopPublic),
        json=body(changes),
        headers=_if_match(if_match),
    )


def set_participants(workshop_id: int, institution_ids: Sequence[int]) -> Call[None]:
    """Replace the workshop's participants."""
    data = {"institution_ids": list(institution_ids)}
    return Call("PUT", f"{_W}/{workshop_id}/participants", nothing, json=data)


def list_participants(
    workshop_id: int, *, limit: int = 20, offset: int | None = None, cursor: str | None = None
) -> Call[ParticipantPage]:
    """Return one page of the workshop's participants, by id."""
    return Call(
        "GET",
        f"{_W}/{workshop_id}/participants",
        parsed(ParticipantPage),
        params=_page(limit, offset, cursor),
    )


def import_survey(
    workshop_id: int,
    csv: bytes,
    *,
    dry_run: bool = False,
    encoding: str = "utf-8",
    idempotency_key: str | None = None,
) -> Call[ImportResult | ImportPlanPublic]:
    """Import a survey CSV into a workshop, all or nothing; ``dry_run`` only reports."""
    reader = parsed(ImportPlanPublic if dry_run else ImportResult)
    return Call(
        "POST",
        f"{_W}/{workshop_id}/imports",
        reader,
        params={"dry_run": str(dry_run).lower(), "encoding": encoding},
        content=csv,
        headers={"content-type": "text/csv", **_keyed(idempotency_key)},
    )


def run_pairing(
    workshop_id: int, rules: PairingRequest | Data, idempotency_key: str | None = None
) -> Call[PairingRunPublic]:
    """Pre-pair the workshop's participants under ``rules``; the run is stored."""
    return Call(
        "POST",
        f"{_W}/{workshop_id}/pairings",
        parsed(PairingRunPublic),
        json=body(rules),
        headers=_keyed(idempotency_key),
    )


def list_pairings(
    workshop_id: int, *, limit: int = 20, offset: int | None = None, cursor: str | None = None
) -> Call[PairingRunPage]:
    """Return one page of the workshop's pairing runs, oldest first."""
    return Call(
        "GET",
        f"{_W}/{workshop_id}/pairings",
        parsed(PairingRunPage),
        params=_page(limit, offset, cursor),
    )


def read_pairing(workshop_id: int, number: int) -> Call[PairingRunPublic]:
    """Read one pairing run."""
    return Call("GET", f"{_W}/{workshop_id}/pairings/{number}", parsed(PairingRunPublic))


def diff_pairings(workshop_id: int, number: int, against: int) -> Call[PairingDiff]:
    """Compare two pairing runs."""
    return Call(
        "GET",
        f"{_W}/{workshop_id}/pairings/{number}/diff",
        parsed(PairingDiff),
        params={"against": against},
    )


def make_schedule(
    workshop_id: int,
    number: int,
    request: ScheduleRequest | Data,
    idempotency_key: str | None = None,
) -> Call[SchedulePublic]:
    """Put a run's pairs into time slots and tables."""
    return Call(
        "POST",
        f"{_W}/{workshop_id}/pairings/{number}/schedule",
        parsed(SchedulePublic),
        json=body(request),
        headers=_keyed(idempotency_key),
    )


def read_schedule(workshop_id: int, number: int) -> Call[SchedulePublic]:
    """Read a run's timetable."""
    return Call("GET", f"{_W}/{workshop_id}/pairings/{number}/schedule", parsed(SchedulePublic))


def export_pairing(
    workshop_id: int,
    number: int,
    what: ExportKind = "pairs",
    institution_id: int | None = None,
) -> Call[bytes]:
    """Download a run's pairs, alternates or timetable (CSV), .ics or HTML."""
    return Call(
        "GET",
        f"{_W}/{workshop_id}/pairings/{number}/export",
        raw,
        params=clean({"what": what, "institution_id": institution_id}),
    )


def record_outcome(
    workshop_id: int, outcome: OutcomeIn | Data, idempotency_key: str | None = None
) -> Call[OutcomePublic]:
    """Record what happened to a pair: met, MoU signed or declined."""
    return Call(
        "POST",
        f"{_W}/{workshop_id}/outcomes",
        parsed(OutcomePublic),
        json=body(outcome),
        headers=_keyed(idempotency_key),
    )


def list_outcomes(workshop_id: int) -> Call[list[OutcomePublic]]:
    """List a workshop's recorded outcomes by pair."""
    return Call("GET", f"{_W}/{workshop_id}/outcomes", parsed(list[OutcomePublic]))


def workshop_report(workshop_id: int, run: int | None = None) -> Call[WorkshopReport]:
    """Compare a run's suggestions with what happened."""
    return Call(
        "GET", f"{_W}/{workshop_id}/report", parsed(WorkshopReport), params=clean({"run": run})
    )


# -- opportunities and interest -----------------------------------------------------------


def create_opportunity(
    opportunity: OpportunityCreate | Data, idempotency_key: str | None = None
) -> Call[OpportunityPublic]:
    """Publish an offer or a call (an institution's key; admins name the institution)."""
    return Call(
        "POST",
        _O,
        parsed(OpportunityPublic),
        json=body(opportunity),
        headers=_keyed(idempotency_key),
    )


def list_opportunities(
    *,
    type: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    institution_id: int | None = None,
    field: str | None = None,
    status: Literal["open", "closed", "all"] | None = None,
    limit: int = 20,
    offset: int | None = None,
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
        "GET", _O, parsed(OpportunityPage), params={**params, **_offset_page(limit, offset)}
    )


def read_opportunity(opportunity_id: int) -> Call[OpportunityPublic]:
    """Read an opportunity, with its status now (closed once past its deadline)."""
    return Call("GET", f"{_O}/{opportunity_id}", parsed(OpportunityPublic))


def update_opportunity(
    opportunity_id: int, changes: OpportunityUpdate | Data
) -> Call[OpportunityPublic]:
    """Change the fields sent (its institution's key or an admin)."""
    return Call("PATCH", f"{_O}/{opportunity_id}", parsed(OpportunityPublic), json=body(changes))


def close_opportunity(opportunity_id: int) -> Call[None]:
    """Close an opportunity now (its institution's key or an admin); it stays readable."""
    return Call("DELETE", f"{_O}/{opportunity_id}", nothing)


def match_opportunity(
    opportunity_id: int, *, limit: int = 10, min_score: float = 0.0
) -> Call[MatchList]:
    """Rank the institutions that may take up an open opportunity, best first."""
    return Call(
        "GET",
        f"{_O}/{opportunity_id}/matches",
        parsed(MatchList),
        params={"limit": limit, "min_score": min_score},
    )


def opportunities_for(
    institution_id: int, *, limit: int = 10, min_score: float = 0.0
) -> Call[OpportunityMatchList]:
    """Rank the open opportunities an institution may take up, best first, with reasons."""
    return Call(
        "GET",
        f"{_I}/{institution_id}/opportunities",
        parsed(OpportunityMatchList),
        params={"limit": limit, "min_score": min_score},
    )


def express_interest(
    opportunity_id: int, interest: InterestCreate | Data, idempotency_key: str | None = None
) -> Call[InterestPublic]:
    """Express an institution's interest in an open opportunity, with a note for its owner."""
    return Call(
        "POST",
        f"{_O}/{opportunity_id}/interest",
        parsed(InterestPublic),
        json=body(interest),
        headers=_keyed(idempotency_key),
    )


def list_interest(
    opportunity_id: int, *, limit: int = 20, offset: int | None = None
) -> Call[InterestPage]:
    """Return one page of who expressed interest, oldest first (the owner or an admin)."""
    return Call(
        "GET",
        f"{_O}/{opportunity_id}/interest",
        parsed(InterestPage),
        params=_offset_page(limit, offset),
    )


def withdraw_interest(opportunity_id: int) -> Call[None]:
    """Withdraw the caller's institution's interest in an opportunity."""
    return Call("DELETE", f"{_O}/{opportunity_id}/interest", nothing)


# -- saved searches and alerts ----------------------------------------------------------


def create_saved_search(
    search: SavedSearchCreate | Data, idempotency_key: str | None = None
) -> Call[SavedSearchPublic]:
    """Save a search seen from an institution; what enters its results is alerted."""
    return Call(
        "POST", _S, parsed(SavedSearchPublic), json=body(search), headers=_keyed(idempotency_key)
    )


def list_saved_searches(*, limit: int = 20, offset: int | None = None) -> Call[SavedSearchPage]:
    """Return one page of the caller's saved searches in id order (an admin: everyone's)."""
    return Call("GET", _S, parsed(SavedSearchPage), params=_offset_page(limit, offset))


def read_saved_search(saved_search_id: int) -> Call[SavedSearchPublic]:
    """Read one of the caller's saved searches."""
    return Call("GET", f"{_S}/{saved_search_id}", parsed(SavedSearchPublic))


def delete_saved_search(saved_search_id: int) -> Call[None]:
    """Delete one of the caller's saved searches, and its alerts."""
    return Call("DELETE", f"{_S}/{saved_search_id}", nothing)


def list_alerts(
    *, saved_search_id: int | None = None, limit: int = 20, offset: int | None = None
) -> Call[AlertPage]:
    """Return one page of the caller's alerts, newest first (an admin: everyone's)."""
    params = clean({"saved_search_id": saved_search_id})
    return Call(
        "GET",
        f"{API_PREFIX}/alerts",
        parsed(AlertPage),
        params={**params, **_offset_page(limit, offset)},
    )


# -- webhooks ---------------------------------------------------------------------------


def create_webhook(
    webhook: WebhookCreate | Data, idempotency_key: str | None = None
) -> Call[WebhookCreated]:
    """Register a URL for some events; the answer holds its signing secret, shown this once."""
    return Call(
        "POST", _H, parsed(WebhookCreated), json=body(webhook), headers=_keyed(idempotency_key)
    )


def list_webhooks() -> Call[list[WebhookPublic]]:
    """List the caller's webhooks (an admin: everyone's), without secrets."""
    return Call("GET", _H, parsed(list[WebhookPublic]))


def read_webhook(webhook_id: int) -> Call[WebhookPublic]:
    """Read one of the caller's webhooks, without its secret."""
    return Call("GET", f"{_H}/{webhook_id}", parsed(WebhookPublic))


def delete_webhook(webhook_id: int) -> Call[None]:
    """Delete one of the caller's webhooks, with its deliveries."""
    return Call("DELETE", f"{_H}/{webhook_id}", nothing)


def list_deliveries(
    webhook_id: int,
    *,
    status: Literal["pending", "delivered", "dead"] | None = None,
    limit: int = 20,
    offset: int | None = None,
) -> Call[DeliveryPage]:
    """Return one page of a webhook's deliveries, newest first, with every attempt."""
    return Call(
        "GET",
        f"{_H}/{webhook_id}/deliveries",
        parsed(DeliveryPage),
        params={**clean({"status": status}), **_offset_page(limit, offset)},
    )
