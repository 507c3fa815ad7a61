"""Invitations by email over the API: the same operation as the organisers' invitations
page (``service/web/invitations.py``), and the list of who was invited and who joined."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from sqlmodel import col

from service.deps import RunnableWorkshopDep, SessionDep, SettingsDep
from service.http.idempotency import IdempotentPostRoute
from service.http.languages import MailLanguageDep
from service.http.pagination import PageQuery, paginate
from service.http.schemas import PROBLEM_RESPONSES
from service.mail.required import mail_taken, mailer_or_503
from service.mail.sender import Mailer
from service.workshops import invitations, operations
from service.workshops.invitations import InvitationIn, InvitationPage, InvitationPublic
from service.workshops.models import WorkshopInvitation

router = APIRouter(
    prefix="/workshops",
    tags=["workshops"],
    responses=PROBLEM_RESPONSES,
    route_class=IdempotentPostRoute,
)


@router.post(
    "/{workshop_id:int}/invitations",
    status_code=status.HTTP_201_CREATED,
    operation_id="invite_institution",
)
def invite_institution(
    row: RunnableWorkshopDep,
    data: InvitationIn,
    session: SessionDep,
    settings: SettingsDep,
    language: MailLanguageDep,
    mailer: Annotated[Mailer, Depends(mailer_or_503("add participants by name"))],
) -> InvitationPublic:
    """Email an invitation to join the workshop (its organisers, admins): a link to sign in
    or register, then join. Written in the language the institution with that contact email
    last used on the pages, if any, else in `Accept-Language`'s. 503 when no mail server is
    configured or it refuses the email; nothing is kept then."""
    with mail_taken("invitation"):
        return operations.invite_institution(
            session=session,
            mailer=mailer,
            workshop=row,
            invitation=data,
            public_url=settings.public_url,
            language=language,
        )


@router.get("/{workshop_id:int}/invitations", operation_id="list_invitations")
def list_invitations(
    row: RunnableWorkshopDep,
    session: SessionDep,
    page: PageQuery,
) -> InvitationPage:
    """List the workshop's invitations, newest first: to whom, when, and who joined."""
    assert row.id is not None
    window = paginate(
        session=session,
        statement=invitations.invitations_query(row.id),
        key=col(WorkshopInvitation.id),
        key_of=lambda item: item.id,
        params=page,
        newest_first=True,
    )
    return InvitationPage.of(window, invitations.to_public(session=session, rows=window.rows), page)
