"""After the workshop: participants report on their own pairs; organisers see who has
answered, with each one's private link, and send reminders by email."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from service.auth.keys import Caller, Role
from service.deps import KeyDep, RunnableWorkshopDep, SessionDep, SettingsDep, WorkshopDep
from service.errors import Forbidden
from service.http.idempotency import IdempotentPostRoute
from service.http.languages import MailLanguageDep
from service.http.schemas import PROBLEM_RESPONSES
from service.mail.required import mail_taken, mailer_or_503
from service.mail.sender import Mailer
from service.workshops import operations, participant_reports
from service.workshops.models import Workshop
from service.workshops.participant_reports import (
    OwnPairs,
    OwnReportIn,
    RemindersSent,
    ReportStatus,
)
from service.workshops.participants import participant_ids

router = APIRouter(
    prefix="/workshops",
    tags=["workshops"],
    responses=PROBLEM_RESPONSES,
    route_class=IdempotentPostRoute,
)


def _participant(caller: Caller, session: SessionDep, row: Workshop) -> int:
    """Return the caller's institution id if it takes part in the workshop, else refuse."""
    assert row.id is not None
    present = participant_ids(session=session, workshop_id=row.id)
    if caller.role is not Role.institution or caller.institution_id not in present:
        raise Forbidden(f"only a participant's own key reports on workshop {row.id}")
    assert caller.institution_id is not None
    return caller.institution_id


@router.get("/{workshop_id:int}/report-links", operation_id="list_report_links")
def list_report_links(
    row: RunnableWorkshopDep, session: SessionDep, settings: SettingsDep
) -> list[ReportStatus]:
    """Each participant paired in the latest run: how many of its pairs it has reported
    on, and its private report link to pass on."""
    return operations.report_links(session=session, workshop=row, public_url=settings.public_url)


@router.post("/{workshop_id:int}/reminders", operation_id="send_reminders")
def send_reminders(
    row: RunnableWorkshopDep,
    session: SessionDep,
    settings: SettingsDep,
    language: MailLanguageDep,
    mailer: Annotated[Mailer, Depends(mailer_or_503("pass on the report links"))],
) -> RemindersSent:
    """Email its link to every participant that has not answered for all its pairs (and
    has a contact email): in the language it last used on the pages, if any, else in
    `Accept-Language`'s. 503 when no mail server is configured or it refuses them."""
    with mail_taken("reminders"):
        reminded = operations.send_reminders(
            session=session,
            mailer=mailer,
            workshop=row,
            public_url=settings.public_url,
            language=language,
        )
    return RemindersSent(reminded=[item.institution for item in reminded])


@router.get("/{workshop_id:int}/my-pairs", operation_id="read_own_pairs")
def read_own_pairs(row: WorkshopDep, caller: KeyDep, session: SessionDep) -> OwnPairs:
    """The calling participant's pairs in the latest run, and what each side reported."""
    own = _participant(caller, session, row)
    assert row.id is not None
    return participant_reports.own_pairs(session=session, workshop_id=row.id, institution_id=own)


@router.post(
    "/{workshop_id:int}/my-outcomes",
    status_code=status.HTTP_201_CREATED,
    operation_id="report_own_outcome",
)
def report_own_outcome(
    row: WorkshopDep, data: OwnReportIn, caller: KeyDep, session: SessionDep
) -> OwnPairs:
    """Report what happened with one of the caller's own partners; it writes the pair's
    outcome (when both sides differ, the lesser word: declined < met < MoU signed)."""
    own = _participant(caller, session, row)
    return operations.report_own_outcome(
        session=session, workshop=row, institution_id=own, data=data
    )
