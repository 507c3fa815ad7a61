"""Institution profiles: create, list, read, change, delete, bulk create, suggestions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Response, status

from service.deps import (
    EditableInstitutionDep,
    ImporterDep,
    IndexDep,
    InstitutionDep,
    InstitutionId,
    MatchRequestsDep,
    ReaderDep,
    RegistrarDep,
    SessionDep,
)
from service.http import etags
from service.http.idempotency import IdempotentPostRoute
from service.http.languages import ReasonLanguageDep
from service.http.query_models import QueryModel
from service.http.schemas import PROBLEM_RESPONSES
from service.institutions import crud, listing, operations
from service.institutions.models import (
    InstitutionCreate,
    InstitutionPrivate,
    InstitutionPublic,
    InstitutionUpdate,
)
from service.institutions.schemas import (
    MAX_BULK,
    BulkCreated,
    InstitutionCreated,
    InstitutionFilters,
    InstitutionPage,
    MatchFilters,
    MatchList,
)
from service.meetings.operations import have_agreed

router = APIRouter(
    prefix="/institutions",
    tags=["institutions"],
    responses=PROBLEM_RESPONSES,
    route_class=IdempotentPostRoute,
)


@router.post("", status_code=status.HTTP_201_CREATED, operation_id="create_institution")
def create_institution(
    data: InstitutionCreate, session: SessionDep, index: IndexDep, _caller: RegistrarDep
) -> InstitutionCreated:
    """Register an institution and receive, this once, the key that can change it."""
    return operations.register_institution(session=session, index=index, data=data)


@router.post("/bulk", status_code=status.HTTP_201_CREATED, operation_id="create_institutions")
def create_institutions(
    items: Annotated[list[InstitutionCreate], Body(max_length=MAX_BULK)],
    session: SessionDep,
    index: IndexDep,
    _caller: ImporterDep,
) -> BulkCreated:
    """Register many institutions at once, all or nothing; ids come back in order.

    For organisers and admins; no keys are issued (an admin can issue them later).
    """
    return BulkCreated(
        ids=operations.create_institutions(session=session, index=index, items=items)
    )


@router.get("", operation_id="list_institutions")
def list_institutions(
    session: SessionDep,
    _caller: ReaderDep,
    filters: Annotated[InstitutionFilters, Depends(QueryModel(InstitutionFilters))],
) -> InstitutionPage:
    """List institutions in id order, filtered, one page at a time (by offset or cursor)."""
    window = listing.list_institutions(
        session=session,
        params=filters,
        country=filters.country,
        kind=filters.kind,
        field=filters.field,
        q=filters.q,
    )
    ids = [row.id for row in window.rows if row.id is not None]
    partners = crud.partners_of(session=session, institution_ids=ids)
    items = [crud.to_public(row, partners[row.id]) for row in window.rows if row.id]
    return InstitutionPage.of(window, items, filters)


@router.get(
    "/{institution_id:int}", operation_id="read_institution", responses=etags.READ_RESPONSES
)
def read_institution(
    row: InstitutionDep,
    session: SessionDep,
    caller: ReaderDep,
    response: Response,
    if_none_match: etags.IfNoneMatch = None,
) -> InstitutionPrivate | InstitutionPublic:
    """Read an institution's profile: with its contact email for its own key or an admin;
    a website marked private only for them and accepted meeting partners.

    The `ETag` names this version; with `If-None-Match` an unchanged profile is not sent
    again (304)."""
    assert row.id is not None
    private = caller.may_edit(row.id)
    partner = (
        not private
        and caller.institution_id is not None
        and have_agreed(session=session, a=caller.institution_id, b=row.id)
    )
    etag = etags.institution_etag(row, private=private, partner=partner)
    etags.check_not_modified(if_none_match, etag)
    response.headers["ETag"] = etag
    response.headers["Vary"] = "Authorization"
    partners = crud.partners_of(session=session, institution_ids=[row.id])
    if private:
        return crud.to_private(row, partners[row.id])
    return crud.to_public(row, partners[row.id], partner=partner)


@router.patch(
    "/{institution_id:int}",
    operation_id="update_institution",
    responses=etags.UPDATE_RESPONSES,
)
def update_institution(
    row: EditableInstitutionDep,
    changes: InstitutionUpdate,
    session: SessionDep,
    index: IndexDep,
    response: Response,
    if_match: etags.IfMatch = None,
) -> InstitutionPrivate:
    """Change some fields of an institution (its own key or an admin); others stay.

    With `If-Match`, only if nobody changed it since that version (else 412)."""
    row = operations.update_institution(
        session=session, index=index, row=row, changes=changes, if_match=if_match
    )
    assert row.id is not None
    response.headers["ETag"] = etags.institution_etag(row, private=True)
    partners = crud.partners_of(session=session, institution_ids=[row.id])
    return crud.to_private(row, partners[row.id])


@router.delete(
    "/{institution_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="delete_institution",
    responses=etags.DELETE_RESPONSES,
)
def delete_institution(
    row: EditableInstitutionDep,
    session: SessionDep,
    index: IndexDep,
    if_match: etags.IfMatch = None,
) -> Response:
    """Delete an institution (its own key or an admin) and the partnerships naming it.

    With `If-Match`, only if nobody changed it since that version (else 412)."""
    operations.delete_institution(session=session, index=index, row=row, if_match=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{institution_id:int}/matches", operation_id="read_matches")
async def read_matches(
    institution_id: InstitutionId,
    _caller: ReaderDep,
    language: ReasonLanguageDep,
    matches: MatchRequestsDep,
    filters: Annotated[MatchFilters, Depends(QueryModel(MatchFilters))],
) -> MatchList:
    """Suggest partners for an institution, best first, with reasons (in the language
    `Accept-Language` asks for: en or zh); never one whose meeting request with it was
    recently declined or withdrawn."""
    # async: the work runs on the event loop or in one trip to the thread pool, with a
    # session of its own (service.institutions.match_requests); a sync route would cost
    # another trip, to check its answer against the response model.
    return await matches.suggestions(
        institution_id=institution_id, filters=filters, language=language
    )
