"""Setting a workshop up in the browser: an admin creates it with its organisers' key; its
organisers change its details and add or remove participants found by name.

Each action calls the operation the API's route calls (``create_workshop`` and
``issue_key``, ``update_workshop``, ``set_participants``), so a page refuses what the API
refuses, with its messages.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.auth.keys import Role, issue_key
from service.deps import SessionDep
from service.errors import FieldError, InvalidInput
from service.web import forms
from service.web.console import DETAIL_FIELDS, console_page
from service.web.guards import runnable_workshop
from service.web.pages import (
    PREFIX,
    FormDep,
    PageRefusal,
    PageRoute,
    Visitor,
    VisitorDep,
    redirect,
    render,
    require_key,
    text,
)
from service.workshops import crud as workshop_crud
from service.workshops import operations, participants
from service.workshops.models import WorkshopCreate, WorkshopUpdate

router = APIRouter(route_class=PageRoute)


def _admin(visitor: Visitor) -> None:
    require_key(visitor)
    if visitor.caller.role is not Role.admin:
        raise PageRefusal(403, "error.admins_only")


def _details(form: Any) -> dict[str, Any]:
    values = {name: text(form, name).strip() for name in DETAIL_FIELDS}
    return {**values, "venue": values["venue"] or None}


def _new_page(
    request: Request,
    visitor: Visitor,
    values: dict[str, str],
    errors: list[FieldError] | None = None,
) -> Response:
    context = {
        "values": values,
        "errors": forms.messages(errors or [], visitor.t, DETAIL_FIELDS),
    }
    return render(
        request, visitor, "workshop_new.html", context, status_code=422 if errors else 200
    )


@router.get("/workshops/new")
def new_workshop_page(request: Request, visitor: VisitorDep) -> Response:
    """The form an admin creates a workshop with."""
    _admin(visitor)
    return _new_page(request, visitor, {"time_zone": "Asia/Phnom_Penh"})


@router.post("/workshops/new")
def create_workshop(
    request: Request, visitor: VisitorDep, form: FormDep, session: SessionDep
) -> Response:
    """Create the workshop and a key for its organisers; show the key, once."""
    _admin(visitor)
    submitted = forms.submitted(form, DETAIL_FIELDS)
    data, errors = forms.validate(WorkshopCreate, forms.Parsed(data=_details(form)))
    if data is None:
        return _new_page(request, visitor, submitted, errors)
    # The workshop and its organisers' key are written in one transaction.
    row = workshop_crud.create_workshop(session=session, data=data)
    assert row.id is not None
    _key, secret = issue_key(
        session,
        label=f"{data.name} organisers"[:100],
        role=Role.organiser,
        scopes=frozenset({f"workshop:{row.id}"}),
    )
    session.commit()
    context = {"workshop": workshop_crud.to_public(session=session, row=row), "secret": secret}
    return render(request, visitor, "workshop_created.html", context, status_code=201)


@router.post("/workshops/{workshop_id:int}/details")
def update_details(
    workshop_id: int,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: SessionDep,
) -> Response:
    """Change the workshop's name, dates, venue or time zone."""
    row = runnable_workshop(visitor, session, workshop_id)
    submitted = forms.submitted(form, DETAIL_FIELDS)
    changes, errors = forms.validate(WorkshopUpdate, forms.Parsed(data=_details(form)))
    if changes is not None:
        try:
            row = operations.update_workshop(session=session, row=row, changes=changes)
        except InvalidInput as refused:
            errors = refused.errors
    if errors:
        session.rollback()
        row = runnable_workshop(visitor, session, workshop_id)
        return console_page(request, visitor, session, row, details=submitted, errors=errors)
    session.commit()
    return redirect(request, visitor, f"{PREFIX}/workshops/{workshop_id}?saved=details")


def _participant(form: Any) -> int:
    value = text(form, "institution_id")
    if not value.isdigit() or not 0 < int(value) < 2**31:
        raise PageRefusal(422, "participants.choose")
    return int(value)


@router.post("/workshops/{workshop_id:int}/participants/add")
def add_participant(
    workshop_id: int, request: Request, visitor: VisitorDep, form: FormDep, session: SessionDep
) -> Response:
    """Add an institution found by name to the participants."""
    row = runnable_workshop(visitor, session, workshop_id)
    ids = participants.participant_ids(session=session, workshop_id=workshop_id)
    try:
        operations.set_participants(
            session=session, workshop=row, institution_ids=[*ids, _participant(form)]
        )
    except InvalidInput as refused:
        raise PageRefusal(422, "participants.unknown") from refused
    return redirect(request, visitor, f"{PREFIX}/workshops/{workshop_id}?saved=added#participants")


@router.post("/workshops/{workshop_id:int}/participants/remove")
def remove_participant(
    workshop_id: int, request: Request, visitor: VisitorDep, form: FormDep, session: SessionDep
) -> Response:
    """Take an institution off the participants (its profile stays in the directory)."""
    row = runnable_workshop(visitor, session, workshop_id)
    gone = _participant(form)
    ids = participants.participant_ids(session=session, workshop_id=workshop_id)
    operations.set_participants(
        session=session, workshop=row, institution_ids=[i for i in ids if i != gone]
    )
    return redirect(
        request, visitor, f"{PREFIX}/workshops/{workshop_id}?saved=removed#participants"
    )
