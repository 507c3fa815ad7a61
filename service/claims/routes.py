"""Claims of unclaimed profiles over the API: ask, list, approve, reject.

The same writes as the pages (``service.claims.writes``): the claim's address is checked
by the emailed link (a page), and approval emails the claimant a sign-in link that gives
it the key.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, status

from service.claims import operations as claims
from service.claims import writes
from service.claims.models import ProfileClaim
from service.claims.schemas import ClaimCreate, ClaimFilters, ClaimPage, ClaimPublic
from service.deps import AnyoneDep, KeyDep, SessionDep, SettingsDep
from service.http.idempotency import IdempotentPostRoute
from service.http.languages import ReasonLanguageDep
from service.http.query_models import QueryModel
from service.http.schemas import PROBLEM_RESPONSES
from service.institutions import crud
from service.mail.required import mail_taken, mailer_or_503
from service.mail.sender import Mailer, mailer_for
from service.values.validation import MAX_ID

RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    403: {
        **PROBLEM_RESPONSES[403],
        "description": "Claims are listed and decided by admins, and by a workshop's "
        "organisers for its participants; no other key may.",
    },
    404: {**PROBLEM_RESPONSES[404], "description": "No institution or claim has this id."},
    409: {
        **PROBLEM_RESPONSES[409],
        "description": "The profile has already been claimed, or the claim is not "
        "pending (unverified, or already decided).",
    },
}
router = APIRouter(
    prefix="/claims", tags=["claims"], responses=RESPONSES, route_class=IdempotentPostRoute
)
ClaimId = Annotated[int, Path(ge=1, le=MAX_ID, description="The claim's id.")]
_NO_MAIL: dict[int | str, dict[str, Any]] = {
    503: {
        **PROBLEM_RESPONSES[422],
        "description": "No mail server is configured, or it refused the message: the "
        "address cannot be checked, so no claim can be made.",
    }
}


def _public(row: ProfileClaim) -> ClaimPublic:
    return ClaimPublic.model_validate(row, from_attributes=True)


@router.post(
    "", status_code=status.HTTP_201_CREATED, operation_id="create_claim", responses=_NO_MAIL
)
def create_claim(
    _caller: AnyoneDep,
    data: ClaimCreate,
    session: SessionDep,
    settings: SettingsDep,
    language: ReasonLanguageDep,
    mailer: Annotated[Mailer, Depends(mailer_or_503("a claim cannot be checked"))],
) -> ClaimPublic:
    """Claim a profile that the seed or an import created (no key was ever issued for it):
    a link is emailed to ``email`` (in the `Accept-Language` asked) to confirm it; the
    claim then waits for an admin, or an organiser of a workshop it takes part in."""
    institution = crud.existing_institution(session=session, institution_id=data.institution_id)
    with mail_taken("confirmation"):
        row = writes.request_claim(
            session=session,
            mailer=mailer,
            public_url=settings.public_url,
            institution=institution,
            email=str(data.email),
            claimant=data.claimant,
            note=data.note,
            language=language,
        )
    return _public(row)


@router.get("", operation_id="list_claims")
def list_claims(
    caller: KeyDep,
    session: SessionDep,
    filters: Annotated[ClaimFilters, Depends(QueryModel(ClaimFilters))],
) -> ClaimPage:
    """List the claims the key may decide, oldest first (`status=pending`: those waiting)."""
    window = claims.listing(session=session, caller=caller, status=filters.status, params=filters)
    return ClaimPage.of(window, [_public(row) for row in window.rows], filters)


def _decide(
    caller: KeyDep, claim_id: int, session: SessionDep, settings: SettingsDep, approve: bool
) -> ClaimPublic:
    claim, _ = writes.decide_claim(
        session=session,
        mailer=mailer_for(settings),
        public_url=settings.public_url,
        caller=caller,
        claim_id=claim_id,
        approve=approve,
    )
    return _public(claim)


@router.post("/{claim_id:int}/approve", operation_id="approve_claim")
def approve_claim(
    caller: KeyDep, claim_id: ClaimId, session: SessionDep, settings: SettingsDep
) -> ClaimPublic:
    """Approve a pending claim: its email becomes the profile's contact email and is sent
    a one-time sign-in link that gives the claimant the institution's key."""
    return _decide(caller, claim_id, session, settings, approve=True)


@router.post("/{claim_id:int}/reject", operation_id="reject_claim")
def reject_claim(
    caller: KeyDep, claim_id: ClaimId, session: SessionDep, settings: SettingsDep
) -> ClaimPublic:
    """Reject a pending claim; nothing else changes."""
    return _decide(caller, claim_id, session, settings, approve=False)
