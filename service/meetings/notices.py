"""Meeting request emails, sent after the change is committed, when SMTP is configured.

The institution asked hears of a new request; the asking one hears that it was accepted
or declined. Each goes to that institution's contact email, if it has one. A failed
email is logged and nothing else: the request itself is stored, and webhooks (which are
retried) carry the same events.
"""

from __future__ import annotations

import logging

from sqlmodel import Session

from service.config import Settings
from service.institutions import crud
from service.mail.sender import MailFailed, mailer_for
from service.meetings.models import MeetingRequest, MeetingStatus

log = logging.getLogger(__name__)


def _compose(row: MeetingRequest, sender: str, receiver: str, link: str) -> tuple[str, str]:
    if row.status == MeetingStatus.requested:
        return (
            f"{sender} asks to meet {receiver}",
            f"{sender} would like to meet {receiver} and wrote:\n\n{row.message}\n\n"
            f"Accept or decline it here:\n{link}\n",
        )
    if row.status == MeetingStatus.accepted:
        return (
            f"{receiver} accepted your meeting request",
            f"{receiver} accepted the meeting request of {sender}. Both contact emails are "
            f"now shown on your partners page:\n{link}\n",
        )
    reason = f"\nReason given: {row.reason}\n" if row.reason else ""
    return (
        f"{receiver} declined your meeting request",
        f"{receiver} declined the meeting request of {sender}.{reason}\n"
        f"Your partners page:\n{link}\n",
    )


def notify(*, session: Session, settings: Settings, row: MeetingRequest) -> bool:
    """Email the side that should hear of this request's new state; return whether sent."""
    mailer = mailer_for(settings)
    if mailer is None or row.status == MeetingStatus.withdrawn:
        return False
    sender = crud.get_institution(session=session, institution_id=row.from_institution_id)
    receiver = crud.get_institution(session=session, institution_id=row.to_institution_id)
    if sender is None or receiver is None:
        return False
    reader = receiver if row.status == MeetingStatus.requested else sender
    if not reader.contact_email:
        return False
    link = f"{settings.public_url.rstrip('/')}/web/me"
    subject, body = _compose(row, sender.name, receiver.name, link)
    try:
        mailer.send(to=reader.contact_email, subject=subject, body=body)
    except MailFailed:
        log.warning("meeting request %s: the email to institution %s failed", row.id, reader.id)
        return False
    return True
