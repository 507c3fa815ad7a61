"""Claiming an unclaimed profile on the pages: ask with an email, confirm it by a link,
then an admin (or an organiser of a workshop it takes part in) approves or rejects."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.claims import operations as claims
from service.claims import writes
from service.deps import SessionDep, SettingsDep
from service.institutions import crud
from service.institutions.models import Institution
from service.mail.sender import MailFailed, mailer_for
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
from service.web.refusals import refused_as_page

router = APIRouter(route_class=PageRoute)
_MAX_EMAIL = 320


def _unclaimed(session: SessionDep, institution_id: int) -> Institution:
    row = crud.existing_institution(session=session, institution_id=institution_id)
    if claims.is_claimed(session=session, institution_id=institution_id):
        raise PageRefusal(409, "claim.already_claimed")
    return row


def _form(
    request: Request, visitor: Visitor, row: Institution, values: dict[str, str], error: str = ""
) -> Response:
    context: dict[str, Any] = {"row": row, "values": values, "error": error, "sent": False}
    return render(request, visitor, "claim.html", context, status_code=422 if error else 200)


@router.get("/institutions/{institution_id:int}/claim")
def claim_page(
    institution_id: int, request: Request, visitor: VisitorDep, session: SessionDep
) -> Response:
    """The claim form: who you are and the email to verify."""
    return _form(request, visitor, _unclaimed(session, institution_id), {})


@router.post("/institutions/{institution_id:int}/claim")
def claim_submit(
    institution_id: int,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Store the claim and email the link that verifies the address."""
    row = _unclaimed(session, institution_id)
    t = visitor.t
    values = {name: text(form, name).strip() for name in ("claimant", "email", "note")}
    mailer = mailer_for(settings)
    if mailer is None:
        return _form(request, visitor, row, values, t("sign_in.email_unavailable"))
    email = values["email"][:_MAX_EMAIL]
    if "@" not in email or not values["claimant"]:
        return _form(request, visitor, row, values, t("claim.invalid"))
    try:
        writes.request_claim(
            session=session,
            mailer=mailer,
            public_url=settings.public_url,
            institution=row,
            email=email,
            claimant=values["claimant"][:200],
            note=values["note"][:2000],
            language=t.language,
        )
    except MailFailed:
        return _form(request, visitor, row, values, t("sign_in.email_failed"))
    context: dict[str, Any] = {"row": row, "values": values, "error": "", "sent": True}
    return render(request, visitor, "claim.html", context)


@router.get("/claims/verify")
def verify_page(request: Request, visitor: VisitorDep) -> Response:
    """One button that confirms the address (mail scanners opening links do not)."""
    token = request.query_params.get("token", "")[:100]
    context = {"token": token, "state": "ask"}
    return render(request, visitor, "claim_verify.html", context)


@router.post("/claims/verify")
def verify_submit(
    request: Request, visitor: VisitorDep, form: FormDep, session: SessionDep
) -> Response:
    """Confirm the address: the claim now waits for a decision."""
    claim = claims.confirm(session=session, token=text(form, "token").strip())
    if claim is None:
        context = {"token": "", "state": "failed"}
        return render(request, visitor, "claim_verify.html", context, status_code=400)
    return render(request, visitor, "claim_verify.html", {"token": "", "state": "pending"})


def _decider(visitor: Visitor) -> None:
    require_key(visitor)
    if visitor.caller.role.value not in ("admin", "organiser"):
        raise PageRefusal(403, "claim.deciders_only")


@router.get("/claims")
def claims_page(request: Request, visitor: VisitorDep, session: SessionDep) -> Response:
    """The verified claims this key may decide."""
    _decider(visitor)
    pending = claims.pending_for(session=session, caller=visitor.caller)
    names = {
        row.id: row.name
        for row in crud.all_institutions(
            session=session, ids=sorted({c.institution_id for c in pending})
        )
    }
    done = request.query_params.get("done", "")
    context = {"pending": pending, "names": names, "done": done}
    return render(request, visitor, "claims.html", context)


@router.post("/claims/{claim_id:int}/{decision}")
def decide(
    claim_id: int,
    decision: str,
    request: Request,
    visitor: VisitorDep,
    _checked: FormDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Approve (the claimant is emailed a sign-in link, which gives it a key) or reject."""
    _decider(visitor)
    if decision not in ("approve", "reject"):
        raise PageRefusal(404, "error.not_found")
    with refused_as_page(forbidden="claim.not_yours_to_decide", conflict="claim.already_decided"):
        writes.decide_claim(
            session=session,
            mailer=mailer_for(settings),
            public_url=settings.public_url,
            caller=visitor.caller,
            claim_id=claim_id,
            approve=decision == "approve",
        )
    return redirect(request, visitor, f"{PREFIX}/claims?done={decision}")
