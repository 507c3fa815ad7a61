"""Claims: ask (the email is verified by a link), confirm, approve or reject.

A profile is *unclaimed* while no institution key was ever issued for it (the seed and
organisers' imports issue none) and no claim on it was approved. Approving a claim makes
the claim's email the profile's contact email; the page then emails it a one-time
sign-in link, which gives the claimant a key (``service.auth.sign_in_links``). Admins
decide every claim; an organiser decides claims on institutions taking part in one of
its workshops.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from service.auth.keys import Caller, Role, hash_secret
from service.auth.models import ApiKey
from service.auth.sign_in_links import create_links
from service.claims.models import ClaimStatus, ProfileClaim
from service.errors import Conflict, Forbidden, NotFound
from service.http.pagination import PageParams, Window, paginate
from service.institutions.crud import log_index_changes
from service.institutions.models import Institution
from service.values.times import utc_now
from service.workshops.models import WorkshopParticipant

VERIFY_HOURS = 24


def is_claimed(*, session: Session, institution_id: int) -> bool:
    """Whether an institution key was ever issued for this profile, or a claim approved."""
    keys = select(ApiKey.id).where(col(ApiKey.institution_id) == institution_id)
    approved = select(ProfileClaim.id).where(
        col(ProfileClaim.institution_id) == institution_id,
        col(ProfileClaim.status) == ClaimStatus.approved,
    )
    return session.exec(keys).first() is not None or session.exec(approved).first() is not None


def ask(
    *,
    session: Session,
    institution: Institution,
    email: str,
    claimant: str,
    note: str,
    language: str = "en",
) -> tuple[ProfileClaim, str]:
    """Store and commit a claim awaiting its email check; return it and the token to email."""
    assert institution.id is not None
    if is_claimed(session=session, institution_id=institution.id):
        raise Conflict(f"institution {institution.id} has already been claimed")
    token = secrets.token_urlsafe(32)
    row = ProfileClaim(
        institution_id=institution.id,
        email=email,
        claimant=claimant,
        note=note,
        language=language,
        token_hash=hash_secret(token),
    )
    session.add(row)
    session.commit()
    return row, token


def confirm(*, session: Session, token: str) -> ProfileClaim | None:
    """Mark the claim whose link this is as verified (once, within a day), and commit."""
    if not token or len(token) > 100:
        return None
    since = utc_now() - timedelta(hours=VERIFY_HOURS)
    digest = hash_secret(token)
    done = session.execute(
        update(ProfileClaim)
        .where(col(ProfileClaim.token_hash) == digest)
        .where(col(ProfileClaim.status) == ClaimStatus.unverified)
        .where(col(ProfileClaim.created_at) > since)
        .values(status=ClaimStatus.pending)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        return None
    session.commit()
    return session.exec(select(ProfileClaim).where(col(ProfileClaim.token_hash) == digest)).one()


def _workshops(caller: Caller) -> list[int]:
    return [int(s.split(":", 1)[1]) for s in caller.scopes if s.startswith("workshop:")]


def _organised_by(session: Session, caller: Caller, institution_id: int) -> bool:
    workshops = _workshops(caller)
    if caller.role is not Role.organiser or not workshops:
        return False
    statement = select(WorkshopParticipant).where(
        col(WorkshopParticipant.institution_id) == institution_id,
        col(WorkshopParticipant.workshop_id).in_(workshops),
    )
    return session.exec(statement).first() is not None


def may_decide(session: Session, caller: Caller, claim: ProfileClaim) -> bool:
    """Whether the caller may approve or reject this claim."""
    return caller.role is Role.admin or _organised_by(session, caller, claim.institution_id)


def listing(
    *, session: Session, caller: Caller, status: str | None, params: PageParams
) -> Window[ProfileClaim]:
    """The verified claims this caller may decide (admins: all; organisers: those on its
    workshops' participants), oldest first; institution keys are refused. A claim whose
    email is not confirmed is listed to no one."""
    if caller.role not in (Role.admin, Role.organiser):
        raise Forbidden("claims are decided by admins and workshop organisers")
    statement = select(ProfileClaim).where(col(ProfileClaim.status) != ClaimStatus.unverified)
    if status is not None:
        statement = statement.where(col(ProfileClaim.status) == status)
    if caller.role is not Role.admin:
        participants = select(WorkshopParticipant.institution_id).where(
            col(WorkshopParticipant.workshop_id).in_(_workshops(caller))
        )
        statement = statement.where(col(ProfileClaim.institution_id).in_(participants))
    return paginate(
        session=session,
        statement=statement,
        key=col(ProfileClaim.id),
        key_of=lambda row: row.id,
        params=params,
    )


def pending_for(*, session: Session, caller: Caller) -> list[ProfileClaim]:
    """The verified claims waiting for this caller's decision, oldest first."""
    statement = (
        select(ProfileClaim)
        .where(col(ProfileClaim.status) == ClaimStatus.pending)
        .order_by(col(ProfileClaim.id))
    )
    return [row for row in session.exec(statement) if may_decide(session, caller, row)]


def decide(
    *, session: Session, caller: Caller, claim_id: int, approve: bool
) -> tuple[ProfileClaim, Institution, list[tuple[Institution, str]]]:
    """Approve (the claim's email becomes the contact email, and sign-in links are made for
    it) or reject a pending claim, and commit; return the claim, its institution and the
    links for the caller to email."""
    claim = session.get(ProfileClaim, claim_id)
    if claim is None and caller.role is Role.admin:
        raise NotFound("claim", claim_id)
    if claim is None or not may_decide(session, caller, claim):
        raise Forbidden(f"this key may not decide claim {claim_id}")
    if claim.status != ClaimStatus.pending:
        raise Conflict(f"claim {claim_id} is {claim.status}")
    institution = session.get(Institution, claim.institution_id)
    assert institution is not None  # claims go with their institution (cascade)
    claim.status = ClaimStatus.approved if approve else ClaimStatus.rejected
    claim.decided_at = utc_now()
    session.add(claim)
    if approve:
        institution.contact_email = claim.email
        institution.updated_at = claim.decided_at
        institution.version += 1
        session.add(institution)
        # Its public view changed (updated_at): every instance's index must forget it.
        log_index_changes(session=session, institution_ids=[claim.institution_id])
        # Other claims on the same profile are settled by this one.
        session.execute(
            update(ProfileClaim)
            .where(col(ProfileClaim.institution_id) == institution.id)
            .where(col(ProfileClaim.id) != claim.id)
            .where(col(ProfileClaim.status).in_([ClaimStatus.unverified, ClaimStatus.pending]))
            .values(status=ClaimStatus.rejected, decided_at=claim.decided_at)
            .execution_options(synchronize_session=False)
        )
    links = create_links(session=session, email=claim.email) if approve else []
    session.commit()
    return claim, institution, links
