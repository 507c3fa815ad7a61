"""Suggestions for a profile that is not stored."""

from __future__ import annotations

from fastapi import APIRouter

from service.deps import IndexDep, ReaderDep, SessionDep
from service.http.idempotency import IdempotentPostRoute
from service.http.languages import ReasonLanguageDep
from service.http.schemas import PROBLEM_RESPONSES
from service.institutions.profiles import draft_profile
from service.institutions.schemas import MatchList, MatchRequest
from service.institutions.suggestions import suggest

router = APIRouter(
    tags=["matches"],
    responses=PROBLEM_RESPONSES,
    route_class=IdempotentPostRoute,
)


@router.post("/matches", operation_id="match_profile")
def match_profile(
    request: MatchRequest,
    session: SessionDep,
    index: IndexDep,
    _caller: ReaderDep,
    language: ReasonLanguageDep,
) -> MatchList:
    """Suggest partners for a profile sent in the request; nothing is stored. Reasons are
    in the language `Accept-Language` asks for (en or zh)."""
    return suggest(
        session=session,
        index=index,
        query=draft_profile(request.profile),
        filters=request,
        language=language,
    )
