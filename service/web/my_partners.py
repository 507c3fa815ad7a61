"""What "my partners" (``/web/me``) shows besides meeting requests: the open opportunities
that fit the institution, with "express interest", and its saved searches."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session, col, select

from matching import Match
from service.alerts import saved_searches
from service.alerts.models import SavedSearch
from service.auth.keys import Caller
from service.deps import SessionDep, SettingsDep
from service.errors import Conflict, Forbidden, NotFound
from service.institutions import crud
from service.institutions.index import MatchIndex
from service.institutions.models import Institution
from service.institutions.profiles import to_profile
from service.opportunities import crud as opportunities
from service.opportunities import operations as opportunity_operations
from service.opportunities.models import OpportunityInterest
from service.opportunities.schemas import InterestCreate, OpportunityPublic
from service.web.pages import (
    PREFIX,
    FormDep,
    PageRefusal,
    PageRoute,
    VisitorDep,
    redirect,
    require_key,
    text,
)

router = APIRouter(route_class=PageRoute)
OPPORTUNITIES = 5


@dataclass(frozen=True, slots=True)
class FittingOpportunity:
    """An open opportunity that fits, and whether the institution is interested already."""

    opportunity: OpportunityPublic
    match: Match
    interested: bool


def fitting_opportunities(
    *, session: Session, index: MatchIndex, own: Institution
) -> list[FittingOpportunity]:
    """The open opportunities that fit the institution best (eligible, not its own)."""
    assert own.id is not None
    query = index.profile(own.id) or to_profile(
        own, crud.partners_of(session=session, institution_ids=[own.id])[own.id]
    )
    ranked = opportunities.ranked_for(
        session=session,
        index=index,
        query=query,
        institution=own,
        limit=OPPORTUNITIES,
        min_score=0.0,
    )
    interested = set(
        session.exec(
            select(OpportunityInterest.opportunity_id).where(
                col(OpportunityInterest.institution_id) == own.id
            )
        )
    )
    publics = opportunities.publics(session=session, rows=[row for row, _ in ranked])
    return [
        FittingOpportunity(public, match, public.id in interested)
        for public, (_, match) in zip(publics, ranked, strict=True)
    ]


def own_saved_searches(*, session: Session, caller: Caller) -> list[SavedSearch]:
    """The institution's saved searches, in id order."""
    rows, _ = saved_searches.listing(session=session, caller=caller, limit=50, offset=0)
    return rows


@router.post("/opportunities/{opportunity_id:int}/interest")
def express_interest(
    opportunity_id: int,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Express (or, with ``withdraw``, withdraw) the institution's interest, then go back."""
    require_key(visitor)
    try:
        row = opportunities.get(session=session, opportunity_id=opportunity_id)
        if text(form, "withdraw"):
            opportunity_operations.withdraw_interest(
                session=session, caller=visitor.caller, opportunity=row
            )
        else:
            opportunity_operations.express_interest(
                session=session,
                caller=visitor.caller,
                opportunity=row,
                data=InterestCreate(note=text(form, "note").strip()[:2000]),
                max_open=settings.max_open_interests,
            )
    except NotFound as missing:
        raise PageRefusal(404, "error.not_found") from missing
    except Forbidden as refused:
        raise PageRefusal(403, "error.forbidden") from refused
    except Conflict as refused:
        raise PageRefusal(409, "me.interest_refused") from refused
    done = "withdrawn" if text(form, "withdraw") else "interest"
    return redirect(request, visitor, f"{PREFIX}/me?{done}=1")
