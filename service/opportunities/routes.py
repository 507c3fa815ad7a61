"""Opportunities: publish, list, read, change, close, match, and expressions of interest."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response, status
from sqlmodel import Session

from service.deps import (
    IndexDep,
    InstitutionDep,
    KeyDep,
    OpportunityDep,
    OwnedOpportunityDep,
    ReaderDep,
    SessionDep,
    SettingsDep,
)
from service.errors import Conflict
from service.http.idempotency import IdempotentPostRoute
from service.http.languages import ReasonLanguageDep
from service.http.pagination import PageQuery
from service.http.query_models import QueryModel
from service.http.schemas import PROBLEM_RESPONSES
from service.institutions import crud
from service.institutions.profiles import to_profile
from service.institutions.schemas import MatchComponents, MatchList
from service.institutions.suggestions import match_list, said
from service.opportunities import crud as opportunities
from service.opportunities import interest, operations
from service.opportunities.models import Opportunity
from service.opportunities.schemas import (
    InterestCreate,
    InterestPage,
    InterestPublic,
    OpportunityCreate,
    OpportunityFilters,
    OpportunityMatchFilters,
    OpportunityMatchItem,
    OpportunityMatchList,
    OpportunityPage,
    OpportunityPublic,
    OpportunityUpdate,
)
from service.values.times import utc_now

RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    404: {**PROBLEM_RESPONSES[404], "description": "No opportunity (or institution) has this id."},
    409: {
        **PROBLEM_RESPONSES[409],
        "description": "The opportunity is closed, the interest was already expressed, or "
        "the institution holds the most expressions of interest allowed.",
    },
}
router = APIRouter(
    tags=["opportunities"],
    responses=RESPONSES,
    route_class=IdempotentPostRoute,
)


def _public(session: Session, row: Opportunity) -> OpportunityPublic:
    (public,) = opportunities.publics(session=session, rows=[row])
    return public


@router.post(
    "/opportunities", status_code=status.HTTP_201_CREATED, operation_id="create_opportunity"
)
def create_opportunity(
    caller: KeyDep, data: OpportunityCreate, session: SessionDep, index: IndexDep
) -> OpportunityPublic:
    """Publish an offer or a call (an institution's key; admins name the institution)."""
    row = operations.publish(session=session, index=index, caller=caller, data=data)
    return _public(session, row)


@router.get("/opportunities", operation_id="list_opportunities")
def list_opportunities(
    session: SessionDep,
    _caller: ReaderDep,
    filters: Annotated[OpportunityFilters, Depends(QueryModel(OpportunityFilters))],
) -> OpportunityPage:
    """List opportunities in id order: open ones unless `status` says otherwise."""
    window = opportunities.list_opportunities(session=session, filters=filters)
    items = opportunities.publics(session=session, rows=window.rows)
    return OpportunityPage.of(window, items, filters)


@router.get("/opportunities/{opportunity_id:int}", operation_id="read_opportunity")
def read_opportunity(
    _caller: ReaderDep, row: OpportunityDep, session: SessionDep
) -> OpportunityPublic:
    """Read an opportunity, with its status now (closed once past its deadline)."""
    return _public(session, row)


@router.patch("/opportunities/{opportunity_id:int}", operation_id="update_opportunity")
def update_opportunity(
    row: OwnedOpportunityDep, changes: OpportunityUpdate, session: SessionDep, index: IndexDep
) -> OpportunityPublic:
    """Change some fields of an opportunity (its institution's key or an admin)."""
    row = operations.change(session=session, index=index, row=row, changes=changes)
    return _public(session, row)


@router.delete(
    "/opportunities/{opportunity_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="close_opportunity",
)
def close_opportunity(row: OwnedOpportunityDep, session: SessionDep) -> Response:
    """Close an opportunity now (its institution's key or an admin); it stays readable."""
    operations.close(session=session, row=row)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/opportunities/{opportunity_id:int}/matches", operation_id="match_opportunity")
def match_opportunity(
    _caller: ReaderDep,
    row: OpportunityDep,
    session: SessionDep,
    index: IndexDep,
    language: ReasonLanguageDep,
    filters: Annotated[OpportunityMatchFilters, Depends(QueryModel(OpportunityMatchFilters))],
) -> MatchList:
    """Rank the institutions that fit an open opportunity: eligible ones only (countries,
    kinds, not its owner), by the same reciprocal score as partner suggestions; reasons
    in the language `Accept-Language` asks for (en or zh)."""
    if not opportunities.is_open(row, utc_now()):
        raise Conflict(f"opportunity {row.id} is closed; closed opportunities are not matched")
    matches = opportunities.rank_institutions(
        index=index,
        row=row,
        owner=operations.owner_of(session, row),
        limit=filters.limit,
        min_score=filters.min_score,
    )
    return match_list(session=session, index=index, matches=matches, language=language)


@router.get("/institutions/{institution_id:int}/opportunities", operation_id="opportunities_for")
def opportunities_for(
    _caller: ReaderDep,
    row: InstitutionDep,
    session: SessionDep,
    index: IndexDep,
    language: ReasonLanguageDep,
    filters: Annotated[OpportunityMatchFilters, Depends(QueryModel(OpportunityMatchFilters))],
) -> OpportunityMatchList:
    """Rank the open opportunities an institution may take up (eligible, not its own),
    best fit first, with reasons in the language `Accept-Language` asks for (en or zh)."""
    assert row.id is not None
    query = index.profile(row.id) or to_profile(
        row, crud.partners_of(session=session, institution_ids=[row.id])[row.id]
    )
    ranked = opportunities.ranked_for(
        session=session,
        index=index,
        query=query,
        institution=row,
        limit=filters.limit,
        min_score=filters.min_score,
    )
    publics = opportunities.publics(session=session, rows=[opp for opp, _ in ranked])
    return OpportunityMatchList(
        items=[
            OpportunityMatchItem(
                opportunity=public,
                score=match.score,
                components=MatchComponents.model_validate(match.components, from_attributes=True),
                reasons=said(match.why, language),
            )
            for public, (_, match) in zip(publics, ranked, strict=True)
        ]
    )


@router.post(
    "/opportunities/{opportunity_id:int}/interest",
    status_code=status.HTTP_201_CREATED,
    operation_id="express_interest",
)
def express_interest(
    caller: KeyDep,
    row: OpportunityDep,
    data: InterestCreate,
    session: SessionDep,
    settings: SettingsDep,
) -> InterestPublic:
    """Express an institution's interest in an open opportunity, with a note for its owner
    (the institution's key; admins name it). Once per institution and opportunity."""
    return operations.express_interest(
        session=session,
        caller=caller,
        opportunity=row,
        data=data,
        max_open=settings.max_open_interests,
    )


@router.get("/opportunities/{opportunity_id:int}/interest", operation_id="list_interest")
def list_interest(
    row: OwnedOpportunityDep,
    session: SessionDep,
    page: PageQuery,
) -> InterestPage:
    """List who expressed interest, oldest first (the owner's key or an admin only)."""
    assert row.id is not None
    window, items = interest.listing(session=session, opportunity_id=row.id, params=page)
    return InterestPage.of(window, items, page)


@router.delete(
    "/opportunities/{opportunity_id:int}/interest",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="withdraw_interest",
)
def withdraw_interest(caller: KeyDep, row: OpportunityDep, session: SessionDep) -> Response:
    """Withdraw the caller's institution's interest (its own key); nothing else changes."""
    operations.withdraw_interest(session=session, caller=caller, opportunity=row)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
