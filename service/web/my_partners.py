"""What "my partners" (``/web/me``) shows besides meeting requests: the open opportunities
that fit the institution, with "express interest" (posted to ``web/opportunities.py``), and
its saved searches and their alerts."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter
from sqlmodel import Session, col, select

from matching import Match
from service.alerts import saved_searches
from service.alerts.models import SavedSearch
from service.alerts.schemas import AlertFilters, AlertPublic
from service.auth.keys import Caller
from service.http.pagination import PageParams
from service.institutions import crud
from service.institutions.index import MatchIndex
from service.institutions.models import Institution
from service.institutions.profiles import to_profile
from service.institutions.suggestions import said
from service.opportunities import crud as opportunities
from service.opportunities.models import Opportunity, OpportunityInterest
from service.opportunities.schemas import OpportunityPublic
from service.web.pages import PageRoute

router = APIRouter(route_class=PageRoute)
OPPORTUNITIES = 5


@dataclass(frozen=True, slots=True)
class FittingOpportunity:
    """An open opportunity that fits, its reasons in the reader's language, and whether
    the institution is interested already."""

    opportunity: OpportunityPublic
    match: Match
    reasons: list[str]
    interested: bool


def fitting_opportunities(
    *, session: Session, index: MatchIndex, own: Institution, language: str
) -> list[FittingOpportunity]:
    """The open opportunities that fit the institution best (eligible, not its own), with
    reasons in ``language``."""
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
        FittingOpportunity(public, match, said(match.why, language), public.id in interested)
        for public, (_, match) in zip(publics, ranked, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class AlertLine:
    """An alert as "my partners" lists it: what entered which saved search, and when."""

    alert: AlertPublic
    search: str
    title: str  # the institution's name or the opportunity's title ("" if deleted since)


def own_alerts(*, session: Session, caller: Caller, searches: list[SavedSearch]) -> list[AlertLine]:
    """The institution's newest alerts, newest first, with what they point at."""
    _, items = saved_searches.alerts(session=session, caller=caller, filters=AlertFilters(limit=20))
    names = {row.id: row.name for row in searches}
    ids = sorted({a.target_id for a in items if a.target == "institution"})
    institutions = {row.id: row.name for row in crud.all_institutions(session=session, ids=ids)}
    titles = {
        a.target_id: row.title
        for a in items
        if a.target == "opportunity" and (row := session.get(Opportunity, a.target_id)) is not None
    }
    return [
        AlertLine(
            alert,
            names.get(alert.saved_search_id, ""),
            (institutions if alert.target == "institution" else titles).get(alert.target_id, ""),
        )
        for alert in items
    ]


def own_saved_searches(*, session: Session, caller: Caller) -> list[SavedSearch]:
    """The institution's saved searches, in id order."""
    return saved_searches.listing(session=session, caller=caller, params=PageParams(limit=50)).rows
