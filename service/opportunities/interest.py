"""Expressions of interest in opportunities: one per institution and opportunity, capped.

An institution may hold at most ``max_open`` expressions of interest in opportunities
that are still open (``TVETMATCH_MAX_OPEN_INTERESTS``): enough for real use, too few to
spam every owner. Interest in a closed opportunity no longer counts. Only the
opportunity's owner (and admins) may read who is interested.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.auth.keys import Caller, Role
from service.auth.owners import acting_institution
from service.db import hold_lock
from service.errors import Conflict, Forbidden
from service.http.pagination import PageParams, Window, paginate
from service.institutions import crud
from service.institutions.models import Institution
from service.opportunities.crud import eligible, is_open, open_conditions, owner_ref
from service.opportunities.models import Opportunity, OpportunityInterest
from service.opportunities.schemas import InterestCreate, InterestPublic
from service.values.times import utc_now


def open_interests(*, session: Session, institution_id: int) -> int:
    """How many expressions of interest an institution holds in open opportunities."""
    statement = (
        select(func.count())
        .select_from(OpportunityInterest)
        .join(Opportunity, col(Opportunity.id) == col(OpportunityInterest.opportunity_id))
        .where(col(OpportunityInterest.institution_id) == institution_id)
        .where(*open_conditions(utc_now()))
    )
    return session.exec(statement).one()


def _existing(session: Session, opportunity_id: int, institution_id: int) -> bool:
    statement = select(OpportunityInterest.id).where(
        col(OpportunityInterest.opportunity_id) == opportunity_id,
        col(OpportunityInterest.institution_id) == institution_id,
    )
    return session.exec(statement).first() is not None


def express(
    *,
    session: Session,
    caller: Caller,
    opportunity: Opportunity,
    data: InterestCreate,
    max_open: int,
) -> OpportunityInterest:
    """Record an institution's interest; the caller commits."""
    institution = acting_institution(session, caller, data.institution_id, doing="express interest")
    assert institution.id is not None
    assert opportunity.id is not None
    if institution.id == opportunity.institution_id:
        raise Forbidden("an institution cannot express interest in its own opportunity")
    if not is_open(opportunity, utc_now()):
        raise Conflict(f"opportunity {opportunity.id} is closed")
    if not eligible(opportunity, institution):
        raise Forbidden(
            f"institution {institution.id} ({institution.country}, {institution.kind}) is not "
            f"eligible for opportunity {opportunity.id}"
        )
    # Counting and writing under one lock per institution: parallel requests cannot all
    # see room under the cap.
    hold_lock(session, "opportunity_interest", f"interests:{institution.id}")
    if _existing(session, opportunity.id, institution.id):
        raise Conflict(
            f"institution {institution.id} already expressed interest in opportunity "
            f"{opportunity.id}"
        )
    if open_interests(session=session, institution_id=institution.id) >= max_open:
        raise Conflict(
            f"institution {institution.id} already holds {max_open} expressions of interest "
            "in open opportunities, the most allowed; withdraw one or wait for some to close"
        )
    row = OpportunityInterest(
        opportunity_id=opportunity.id, institution_id=institution.id, note=data.note
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as error:  # the same interest sent twice at once
        raise Conflict(
            f"institution {institution.id} already expressed interest in opportunity "
            f"{opportunity.id}"
        ) from error
    return row


def withdraw(*, session: Session, caller: Caller, opportunity: Opportunity) -> None:
    """Remove the caller's institution's interest (idempotent); the caller commits."""
    if caller.role is not Role.institution:
        raise Forbidden("interest is withdrawn with the interested institution's key")
    statement = select(OpportunityInterest).where(
        col(OpportunityInterest.opportunity_id) == opportunity.id,
        col(OpportunityInterest.institution_id) == caller.institution_id,
    )
    for row in session.exec(statement):
        session.delete(row)
    session.flush()


def listing(
    *, session: Session, opportunity_id: int, params: PageParams
) -> tuple[Window[OpportunityInterest], list[InterestPublic]]:
    """Return a page of an opportunity's expressions of interest, oldest first, and their
    API views."""
    window = paginate(
        session=session,
        statement=select(OpportunityInterest).where(
            col(OpportunityInterest.opportunity_id) == opportunity_id
        ),
        key=col(OpportunityInterest.id),
        key_of=lambda row: row.id,
        params=params,
    )
    rows = window.rows
    institutions = {
        inst.id: inst
        for inst in crud.all_institutions(session=session, ids=[r.institution_id for r in rows])
    }
    return window, [to_out(row, institutions[row.institution_id]) for row in rows]


def to_out(row: OpportunityInterest, institution: Institution) -> InterestPublic:
    """Return the owner's view of an expression of interest."""
    assert row.id is not None
    return InterestPublic(
        id=row.id,
        opportunity_id=row.opportunity_id,
        institution=owner_ref(institution),
        note=row.note,
        created_at=row.created_at,
    )
