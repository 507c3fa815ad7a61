"""Meeting request emails, sent after the change is committed, when SMTP is configured.

The institution asked hears of a new request; the asking one hears that it was accepted
or declined. Each goes to that institution's contact email, if it has one, in the
language that institution reads (``service.mail.languages``: the one it last used on the
pages, else English), never in the language of whoever acted. A failed email is logged
and nothing else: the request itself is stored, and webhooks (which are retried) carry
the same events.
"""

from __future__ import annotations

import logging

from sqlmodel import Session

from service.config import Settings
from service.institutions import crud
from service.mail.languages import reading_language, translator
from service.mail.sender import MailFailed, mailer_for
from service.meetings.models import MeetingRequest, MeetingStatus

log = logging.getLogger(__name__)


def _compose(
    row: MeetingRequest, language: str, sender: str, receiver: str, link: str
) -> tuple[str, str]:
    t = translator(language)
    names = {"sender": sender, "receiver": receiver}
    if row.status == MeetingStatus.requested:
        return (
            t("mail.meeting.requested.subject", **names),
            t("mail.meeting.requested.body", **names, message=row.message, link=link),
        )
    if row.status == MeetingStatus.accepted:
        return (
            t("mail.meeting.accepted.subject", **names),
            t("mail.meeting.accepted.body", **names, link=link),
        )
    reason = t("mail.meeting.declined.reason", reason=row.reason) if row.reason else ""
    return (
        t("mail.meeting.declined.subject", **names),
        t("mail.meeting.declined.body", **names, reason=reason, link=link),
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
    assert reader.id is not None
    language = reading_language(session=session, institution_id=reader.id)
    link = f"{settings.public_url.rstrip('/')}/web/me"
    subject, body = _compose(row, language, sender.name, receiver.name, link)
    try:
        mailer.send(to=reader.contact_email, subject=subject, body=body)
    except MailFailed:
        log.warning("meeting request %s: the email to institution %s failed", row.id, reader.id)
        return False
    return True
