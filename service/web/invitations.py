"""Invitations by email: the organiser's invitations page (send one when mail is
configured, see who joined) and the invited institution's page, where a signed-in
institution joins and one not signed in is sent to sign in or register first."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import Session

from service.auth.keys import Role
from service.deps import SessionDep, SettingsDep
from service.mail.sender import MailFailed, mailer_for
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
from service.workshops import crud as workshops
from service.workshops import invitations, operations
from service.workshops.models import Workshop, WorkshopInvitation

router = APIRouter(route_class=PageRoute)


def _invitations_page(
    request: Request,
    visitor: Visitor,
    session: Session,
    settings: SettingsDep,
    row: Workshop,
    *,
    error: str = "",
    status: int = 200,
) -> Response:
    assert row.id is not None
    context = {
        "workshop": workshops.to_public(session=session, row=row),
        "invitations": invitations.listing(session=session, workshop_id=row.id),
        "mail": mailer_for(settings) is not None,
        "notice": visitor.t("invite.sent") if request.query_params.get("sent") else "",
        "error": error,
    }
    return render(request, visitor, "invitations.html", context, status_code=status)


@router.get("/workshops/{workshop_id:int}/invitations")
def invitations_page(
    workshop_id: int,
    request: Request,
    visitor: VisitorDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """The workshop's invitations: whom, when, who joined; the form when mail is set up."""
    row = runnable_workshop(visitor, session, workshop_id)
    return _invitations_page(request, visitor, session, settings, row)


@router.post("/workshops/{workshop_id:int}/invitations")
def send_invitation(
    workshop_id: int,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Email an invitation to join the workshop."""
    row = runnable_workshop(visitor, session, workshop_id)
    t = visitor.t
    mailer = mailer_for(settings)
    if mailer is None:
        error = t("invite.mail_unavailable")
        return _invitations_page(request, visitor, session, settings, row, error=error, status=503)
    try:
        invitation = invitations.InvitationIn(
            email=text(form, "email").strip(),
            institution_name=text(form, "institution_name").strip() or None,
            message=text(form, "message").strip() or None,
        )
    except ValidationError:
        error = t("invite.invalid")
        return _invitations_page(request, visitor, session, settings, row, error=error, status=422)
    try:
        operations.invite_institution(
            session=session,
            mailer=mailer,
            workshop=row,
            invitation=invitation,
            public_url=settings.public_url,
            language=t.language,
        )
    except MailFailed:
        error = t("invite.mail_failed")
        return _invitations_page(request, visitor, session, settings, row, error=error, status=503)
    return redirect(request, visitor, f"{PREFIX}/workshops/{workshop_id}/invitations?sent=1")


def _invitation(session: Session, token: str) -> tuple[WorkshopInvitation, Workshop]:
    found = invitations.find(session=session, token=token[:64])
    workshop = session.get(Workshop, found.workshop_id) if found is not None else None
    if found is None or workshop is None:
        raise PageRefusal(404, "invite.unknown")
    return found, workshop


@router.get("/invitations/{token}")
def invitation_page(
    token: str, request: Request, visitor: VisitorDep, session: SessionDep
) -> Response:
    """The invited institution's page: "Join" when signed in as an institution; otherwise
    sign in (and come back here) or register first."""
    invitation, workshop = _invitation(session, token)
    context = {
        "workshop": workshop,
        "invitation": invitation,
        "here_path": f"{PREFIX}/invitations/{token}",
        "institution": visitor.caller.role is Role.institution,
        "mine": invitation.institution_id is not None
        and invitation.institution_id == visitor.caller.institution_id,
    }
    return render(request, visitor, "invitation.html", context)


@router.post("/invitations/{token}")
def join(
    token: str, request: Request, visitor: VisitorDep, form: FormDep, session: SessionDep
) -> Response:
    """Join the workshop as the signed-in institution (an invitation is used once)."""
    require_key(visitor)
    invitation, _workshop = _invitation(session, token)
    own = visitor.caller.institution_id
    if visitor.caller.role is not Role.institution or own is None:
        raise PageRefusal(403, "invite.institutions_only")
    if invitation.institution_id not in (None, own):
        raise PageRefusal(409, "invite.used")
    operations.join_workshop(session=session, invitation=invitation, institution_id=own)
    return redirect(request, visitor, f"{PREFIX}/invitations/{token}")
