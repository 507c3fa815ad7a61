"""Signing in and out with a key, and an institution editing its own profile."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from service.auth.keys import Role
from service.deps import IndexDep, SessionDep
from service.errors import FieldError, NotAuthenticated
from service.institutions import crud, operations
from service.institutions.models import Institution, InstitutionUpdate
from service.mail.languages import remember_language
from service.values.codes import COUNTRIES
from service.web import forms
from service.web.browse import kind_options
from service.web.guards import editable_institution
from service.web.pages import (
    PREFIX,
    FormDep,
    PageRoute,
    Visitor,
    VisitorDep,
    redirect,
    render,
    safe_next,
    text,
)
from service.web.session import check_key, sign_in, sign_out
from service.web.submit import submit
from service.workshops import proposals

router = APIRouter(route_class=PageRoute)


def _landing(role: Role, institution_id: int | None) -> str:
    if role is Role.institution and institution_id is not None:
        return f"{PREFIX}/institutions/{institution_id}/edit"
    return f"{PREFIX}/workshops"


@router.get("/sign-in")
def sign_in_page(request: Request, visitor: VisitorDep) -> Response:
    """The sign-in form: paste the key you received."""
    context = {"error": None, "key_error": None, "next": request.query_params.get("next", "")}
    return render(request, visitor, "sign_in.html", context)


@router.post("/sign-in")
def sign_in_submit(
    request: Request, visitor: VisitorDep, form: FormDep, session: SessionDep
) -> Response:
    """Check the pasted key like the API would, and keep it in an HttpOnly cookie."""
    wanted = text(form, "next")
    try:
        caller = check_key(request, session, text(form, "key"))
    except NotAuthenticated:
        context = {"error": None, "key_error": visitor.t("sign_in.bad_key"), "next": wanted}
        return render(request, visitor, "sign_in.html", context, status_code=401)
    if caller.institution_id is not None:
        # Mail this institution did not ask for is written in the language it signs in with.
        remember_language(
            session=session, institution_id=caller.institution_id, language=visitor.t.language
        )
    destination = safe_next(wanted) if wanted else _landing(caller.role, caller.institution_id)
    response = redirect(request, visitor, destination)
    sign_in(request, response, text(form, "key"))
    return response


@router.post("/sign-out")
def sign_out_submit(request: Request, visitor: VisitorDep, _form: FormDep) -> Response:
    """Forget the key in this browser."""
    response = redirect(request, visitor, f"{PREFIX}/")
    sign_out(request, response)
    return response


def _edit_page(
    request: Request,
    visitor: Visitor,
    session: Session,
    row: Institution,
    values: dict[str, str],
    errors: list[FieldError],
    notice: str | None = None,
) -> Response:
    t = visitor.t
    ids = [int(w) for w in forms.words(values.get("existing_partners", "")) if w.isdigit()]
    context: dict[str, Any] = {
        "proposals": proposals.list_proposals(session=session, institution=row, only_open=True),
        "notice": notice,
        # The declared partners are shown by name (ticked boxes); ids stay in the values.
        "partner_names": {
            r.id: r.name for r in crud.all_institutions(session=session, ids=ids[:1000])
        },
        "institution_id": row.id,
        "name": row.name,
        "values": values,
        "errors": forms.messages(errors, t, forms.PROFILE_FIELDS),
        "countries": sorted(((c, t.country(c)) for c in COUNTRIES), key=lambda o: o[1]),
        "kinds": kind_options(t),
    }
    return render(request, visitor, "edit.html", context, status_code=422 if errors else 200)


@router.get("/institutions/{institution_id:int}/edit")
def edit_page(
    institution_id: int, request: Request, visitor: VisitorDep, session: SessionDep
) -> Response:
    """The profile form, filled in; for the institution's own key (or an admin)."""
    row = editable_institution(visitor, session, institution_id)
    assert row.id is not None
    partners = crud.partners_of(session=session, institution_ids=[row.id])[row.id]
    done = request.query_params.get("proposal")
    notice = visitor.t(f"proposals.{done}") if done in ("accepted", "dismissed") else None
    values = forms.profile_values(row, partners)
    return _edit_page(request, visitor, session, row, values, [], notice)


@router.post("/institutions/{institution_id:int}/edit")
def edit_submit(
    institution_id: int,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: SessionDep,
    index: IndexDep,
) -> Response:
    """Save the whole profile, or show the API's refusals beside the fields."""
    row = editable_institution(visitor, session, institution_id)
    submitted = forms.submitted(form, forms.PROFILE_FIELDS)
    return submit(
        InstitutionUpdate,
        forms.read_profile(form, visitor.t),
        lambda changes: operations.update_institution(
            session=session, index=index, row=row, changes=changes
        ),
        refused=lambda errors: _edit_page(request, visitor, session, row, submitted, errors),
        done=lambda _row: redirect(
            request, visitor, f"{PREFIX}/institutions/{institution_id}?saved=1"
        ),
    )
