"""Meeting-request writes as every caller makes them, the API's routes and the pages alike:
the change, its commit, this instance's index catching up (a refusal rests the two sides
from each other's suggestions), then the email to the side that should hear of it.

``operations`` holds the rules of each change and enqueues its webhook events in the same
transaction; this module owns what follows a change, so no caller can forget a step.
"""

from __future__ import annotations

from typing import Literal

from sqlmodel import Session

from service.auth.keys import Caller
from service.config import Settings
from service.db import committed
from service.institutions.index import MatchIndex
from service.mail.languages import remember_language
from service.meetings import operations
from service.meetings.models import MeetingRequest
from service.meetings.notices import notify
from service.meetings.schemas import MeetingRequestCreate

Answer = Literal["accept", "decline", "withdraw"]
ANSWERS: tuple[Answer, ...] = ("accept", "decline", "withdraw")


def _remember(session: Session, caller: Caller, language: str | None) -> None:
    if language is not None and caller.institution_id is not None:
        remember_language(session=session, institution_id=caller.institution_id, language=language)


def request_meeting(
    *,
    session: Session,
    settings: Settings,
    caller: Caller,
    data: MeetingRequestCreate,
    language: str | None = None,
) -> MeetingRequest:
    """Send a request (capped per day), commit it, and email the institution asked.

    ``language`` is the page's, when a page sent it: the sender's emails are written in
    it from then on (the API leaves the stored language as it is)."""
    with committed(session):
        row = operations.send(
            session=session, caller=caller, data=data, per_day=settings.meeting_requests_per_day
        )
    _remember(session, caller, language)
    notify(session=session, settings=settings, row=row)
    return row


def answer_request(
    *,
    session: Session,
    index: MatchIndex,
    settings: Settings,
    caller: Caller,
    request_id: int,
    answer: Answer,
    reason: str = "",
    language: str | None = None,
) -> MeetingRequest:
    """Accept, decline (with ``reason``) or withdraw a request, commit, and email the
    asking side of an acceptance or a refusal (``language`` as for ``request_meeting``).

    A refusal (decline, withdraw) is in the change log: the index catches up at once, so
    the next suggestions here (and in this host's other workers) leave the two sides out."""
    with committed(session):
        row = operations.get_visible(session=session, caller=caller, request_id=request_id)
        if answer == "accept":
            row = operations.accept(session=session, caller=caller, row=row)
        elif answer == "decline":
            row = operations.decline(session=session, caller=caller, row=row, reason=reason)
        else:
            row = operations.withdraw(session=session, caller=caller, row=row)
    if answer != "accept":
        index.catch_up()
    _remember(session, caller, language)
    notify(session=session, settings=settings, row=row)
    return row
