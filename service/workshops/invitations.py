"""Organisers invite institutions to a workshop by email. The emailed link leads a signed-in
institution to "Join"; one not signed in is sent to sign in (key or emailed sign-in link)
or register, and comes back. Never commits.

The token is kept hashed, as sign-in links are: only the email holds it. It may be used
once; the organiser sees who joined through which invitation.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, EmailStr, Field
from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from service.http.pagination import Page
from service.i18n import Translator
from service.institutions import crud
from service.institutions.models import Institution
from service.mail.sender import Mailer
from service.values.times import UtcDatetime, utc_now
from service.workshops import participants
from service.workshops.models import Workshop, WorkshopInvitation
from service.workshops.runs import institution_ref
from service.workshops.schemas import InstitutionRef


class InvitationIn(BaseModel):
    """Whom to invite: an email address and, for the greeting and a note, optionally the
    institution's name and a message. Unknown fields are refused."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "email": "international@kampot.example.org",
                    "institution_name": "Kampot Polytechnic",
                    "message": "We would be glad to see your welding department there.",
                }
            ]
        },
    )

    email: EmailStr = Field(max_length=320)
    institution_name: str | None = Field(default=None, min_length=1, max_length=200)
    message: str | None = Field(default=None, min_length=1, max_length=2000)


class InvitationPublic(BaseModel):
    """An invitation as its organiser sees it: to whom, and who joined through it."""

    id: int
    email: str
    created_at: UtcDatetime
    joined: InstitutionRef | None
    joined_at: UtcDatetime | None


class InvitationPage(Page[InvitationPublic]):
    """One page of a workshop's invitations, newest first."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def recipient(*, session: Session, email: str) -> int | None:
    """Return the id of the institution whose contact email ``email`` is, if any."""
    known = session.exec(
        select(Institution).where(func.lower(col(Institution.contact_email)) == email.lower())
    ).first()
    return None if known is None else known.id


def invite(
    *,
    session: Session,
    mailer: Mailer,
    workshop: Workshop,
    invitation: InvitationIn,
    base_url: str,
    t: Translator,
) -> WorkshopInvitation:
    """Store an invitation and email its link, written with ``t`` (the recipient's
    language, or the organiser's)."""
    assert workshop.id is not None
    token = secrets.token_urlsafe(24)
    email = str(invitation.email)
    row = WorkshopInvitation(workshop_id=workshop.id, email=email, token_hash=_hash(token))
    session.add(row)
    session.flush()
    name, note = invitation.institution_name, invitation.message
    mailer.send(
        to=email,
        subject=t("mail.invitation.subject", workshop=workshop.name),
        body=t(
            "mail.invitation.body",
            greeting=t("mail.invitation.greeting", name=name) if name else "",
            message=t("mail.invitation.message", message=note) if note else "",
            workshop=workshop.name,
            dates=f"{workshop.starts_on.isoformat()} – {workshop.ends_on.isoformat()}",
            venue=f", {workshop.venue}" if workshop.venue else "",
            link=f"{base_url.rstrip('/')}/web/invitations/{token}",
        ),
    )
    return row


def find(*, session: Session, token: str) -> WorkshopInvitation | None:
    """Return the invitation with this token, joined or not."""
    statement = select(WorkshopInvitation).where(col(WorkshopInvitation.token_hash) == _hash(token))
    return session.exec(statement).first()


def accept(*, session: Session, invitation: WorkshopInvitation, institution_id: int) -> None:
    """Make the institution a participant (if it is not one yet) and mark the invitation
    as used by it."""
    participants.add_participants(
        session=session, workshop_id=invitation.workshop_id, institution_ids=[institution_id]
    )
    invitation.institution_id = institution_id
    invitation.joined_at = utc_now()
    session.add(invitation)


def invitations_query(workshop_id: int) -> SelectOfScalar[WorkshopInvitation]:
    """A workshop's invitations, unordered (for paging by id)."""
    return select(WorkshopInvitation).where(col(WorkshopInvitation.workshop_id) == workshop_id)


def listing(*, session: Session, workshop_id: int) -> list[InvitationPublic]:
    """Return a workshop's invitations, newest first."""
    statement = invitations_query(workshop_id).order_by(col(WorkshopInvitation.id).desc())
    return to_public(session=session, rows=list(session.exec(statement)))


def to_public(*, session: Session, rows: Sequence[WorkshopInvitation]) -> list[InvitationPublic]:
    """Return invitations as their organiser sees them, with who joined by name."""
    ids = [row.institution_id for row in rows if row.institution_id is not None]
    refs = {r.id: institution_ref(r) for r in crud.all_institutions(session=session, ids=ids)}
    return [
        InvitationPublic(
            id=row.id,
            email=row.email,
            created_at=row.created_at,
            joined=refs.get(row.institution_id) if row.institution_id is not None else None,
            joined_at=row.joined_at,
        )
        for row in rows
        if row.id is not None
    ]
