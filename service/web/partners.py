"""Declared partners chosen by name on the profile form: the live search that lists
institutions to tick (htmx asks for this fragment as one types)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.deps import SessionDep
from service.http.pagination import PageParams
from service.institutions import listing
from service.web.guards import editable_institution
from service.web.pages import PageRoute, VisitorDep, render

router = APIRouter(route_class=PageRoute)

FOUND_LIMIT = 10


@router.get("/institutions/{institution_id:int}/partners")
def find_partners(
    institution_id: int, request: Request, visitor: VisitorDep, session: SessionDep
) -> Response:
    """Institutions whose name or profile matches ``partner_find`` (any script), as boxes
    to tick on the profile form; the institution itself is left out."""
    row = editable_institution(visitor, session, institution_id)
    query = request.query_params.get("partner_find", "").strip()[:300]
    found = []
    if query:
        page = listing.list_institutions(
            session=session, params=PageParams(limit=FOUND_LIMIT + 1), q=query
        )
        found = [r for r in page.rows if r.id != row.id][:FOUND_LIMIT]
    context = {"found": found, "query": query}
    return render(request, visitor, "_partner_found.html", context)
