"""An institution accepting or ignoring what a workshop's survey import proposed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.deps import IndexDep, SessionDep
from service.errors import Conflict, NotFound
from service.web.guards import editable_institution
from service.web.pages import PREFIX, FormDep, PageRefusal, PageRoute, VisitorDep, redirect
from service.workshops import proposals

router = APIRouter(route_class=PageRoute)


def _back(institution_id: int, done: str | None) -> str:
    page = f"{PREFIX}/institutions/{institution_id}/edit"
    return f"{page}?proposal={done}" if done else page


@router.post("/institutions/{institution_id:int}/proposals/{proposal_id:int}/accept")
def accept(
    institution_id: int,
    proposal_id: int,
    request: Request,
    visitor: VisitorDep,
    _form: FormDep,
    session: SessionDep,
    index: IndexDep,
) -> Response:
    """Apply the proposal to the profile, as the API's accept does."""
    row = editable_institution(visitor, session, institution_id)
    try:
        proposals.accept(session=session, index=index, institution=row, proposal_id=proposal_id)
    except NotFound:
        raise PageRefusal(404, "error.not_found") from None
    except Conflict:
        # Decided meanwhile (another tab): the page shows what is still open.
        return redirect(request, visitor, _back(institution_id, None))
    return redirect(request, visitor, _back(institution_id, "accepted"))


@router.post("/institutions/{institution_id:int}/proposals/{proposal_id:int}/dismiss")
def dismiss(
    institution_id: int,
    proposal_id: int,
    request: Request,
    visitor: VisitorDep,
    _form: FormDep,
    session: SessionDep,
) -> Response:
    """Leave the profile as it is and stop showing the proposal."""
    row = editable_institution(visitor, session, institution_id)
    try:
        proposals.dismiss(session=session, institution=row, proposal_id=proposal_id)
    except NotFound:
        raise PageRefusal(404, "error.not_found") from None
    except Conflict:
        return redirect(request, visitor, _back(institution_id, None))
    return redirect(request, visitor, _back(institution_id, "dismissed"))
