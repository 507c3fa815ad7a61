"""Organisers invite institutions to a workshop by email. The emailed link leads a signed-in
institution to "Join"; one not signed in is sent to sign in (key or emailed sign-in link)
or register, and comes back. Never commits.

The token is kept hashed, as sign-in links are: only the email holds it. It may be used
once; the organiser sees who joined through which invitation.
"""

from __future__ import annotations

import hashlib
import secrets

from pydantic import BaseModel
from sqlmodel import Session, col, select

from service.institutions import crud
from service.mail.sender import Mailer
from service.values.times import UtcDatetime, utc_now
from service.workshops import participants
from service.workshops.models import Workshop, WorkshopInvitation
from service.workshops.runs import institution_ref
from service.workshops.schemas import InstitutionRef

# Plain text, English and Chinese: the invited institution's language is not known yet.
INVITATION = """You are invited to {workshop} ({dates}{venue}).

Open this link to join as a participant: sign in with your institution's key or an emailed
sign-in link, or register your institution if it is new here.

您受邀参加{workshop}。打开以下链接即可作为参会机构加入：用本机构的密钥或邮件登录链接登录，
如果贵机构尚未注册，请先注册。

{link}
"""


class InvitationPublic(BaseModel):
    """An invitation as its organiser sees it: to whom, and who joined through it."""

    email: str
    created_at: UtcDatetime
    joined: InstitutionRef | None
    joined_at: UtcDatetime | None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(
    *, session: Session, mailer: Mailer, workshop: Workshop, email: str, base_url: str
) -> WorkshopInvitation:
    """Store an invitation and email its link to ``email``."""
    assert workshop.id is not None
    token = secrets.token_urlsafe(24)
    row = WorkshopInvitation(workshop_id=workshop.id, email=email, token_hash=_hash(token))
    session.add(row)
    session.flush()
    venue = f", {workshop.venue}" if workshop.venue else ""
    mailer.send(
        to=email,
        subject=f"Invitation: {workshop.name} / 邀请：{workshop.name}",
        body=INVITATION.format(
            workshop=workshop.name,
            dates=f"{workshop.starts_on.isoformat()} – {workshop.ends_on.isoformat()}",
            venue=venue,
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


def listing(*, session: Session, workshop_id: int) -> list[InvitationPublic]:
    """Return a workshop's invitations, newest first."""
    rows = list(
        session.exec(
            select(WorkshopInvitation)
            .where(col(WorkshopInvitation.workshop_id) == workshop_id)
            .order_by(col(WorkshopInvitation.id).desc())
        )
    )
    ids = [row.institution_id for row in rows if row.institution_id is not None]
    refs = {r.id: institution_ref(r) for r in crud.all_institutions(session=session, ids=ids)}
    return [
        InvitationPublic(
            email=row.email,
            created_at=row.created_at,
            joined=refs.get(row.institution_id) if row.institution_id is not None else None,
            joined_at=row.joined_at,
        )
        for row in rows
    ]
