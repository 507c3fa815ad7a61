"""Setting a workshop up in the browser: an admin creates it with its organisers' key; its
organisers change its details and add or remove participants found by name.

Each action calls one workshops operation (``create_workshop_with_key``, and those the
API's routes call: ``update_workshop``, ``set_participants``) through ``submit``, so a page
refuses what the API refuses, with its messages.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.auth.keys import Role
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
from service.web.submit import submit
from service.workshops import crud as workshop_crud
from service.workshops import operations, participants
from service.workshops.models import Workshop, WorkshopCreate, WorkshopUpdate

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

    def created(written: tuple[Workshop, str]) -> Response:
        row, secret = written
        context = {"workshop": workshop_crud.to_public(session=session, row=row), "secret": secret}
        return render(request, visitor, "workshop_created.html", context, status_code=201)

    return submit(
        WorkshopCreate,
        forms.Parsed(data=_details(form)),
        lambda data: operations.create_workshop_with_key(session=session, data=data),
        refused=lambda errors: _new_page(request, visitor, submitted, errors),
        done=created,
    )


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
    saved = f"{PREFIX}/workshops/{workshop_id}?saved=details"
    return submit(
        WorkshopUpdate,
        forms.Parsed(data=_details(form)),
        lambda changes: operations.update_workshop(session=session, row=row, changes=changes),
        # The operation rolled its changes back: the console reads the workshop as stored.
        refused=lambda errors: console_page(
            request, visitor, session, row, details=submitted, errors=errors
        ),
        done=lambda _: redirect(request, visitor, saved),
    )


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
