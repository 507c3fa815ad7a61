"""Workshop writes, one function per action, shared by the API and the console pages.

Each one validates, writes and commits (or rolls back what it wrote and refuses), then
does what must follow: after a survey import, the index catches up and saved searches
are checked for alerts, as after any institution write. Events (``pairing.completed``,
``outcome.recorded``, ``institution.*``) are enqueued inside the write's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from service.alerts.triggers import institution_candidates
from service.auth.keys import Role, issue_key
from service.db import committed
from service.http import etags
from service.institutions import operations as institutions
from service.institutions.index import MatchIndex
from service.mail.languages import language_for, translator
from service.mail.sender import Mailer
from service.workshops import (
    crud,
    imports,
    invitations,
    outcomes,
    participant_reports,
    participants,
    runs,
    timetable,
)
from service.workshops.adjustments import RunAdjustment, adjusted_rules
from service.workshops.import_schemas import ImportResult
from service.workshops.models import (
    PairingRun,
    Workshop,
    WorkshopCreate,
    WorkshopInvitation,
    WorkshopUpdate,
)
from service.workshops.participant_reports import OwnPairs, OwnReportIn, ReportStatus
from service.workshops.schemas import (
    OutcomeIn,
    OutcomePublic,
    PairingRequest,
    SchedulePublic,
    ScheduleRequest,
)


def _id(workshop: Workshop) -> int:
    assert workshop.id is not None, "stored workshops have ids"
    return workshop.id


def create_workshop(*, session: Session, data: WorkshopCreate) -> Workshop:
    """Store a new workshop."""
    with committed(session):
        return crud.create_workshop(session=session, data=data)


def create_workshop_with_key(*, session: Session, data: WorkshopCreate) -> tuple[Workshop, str]:
    """Store a new workshop and a key for its organisers, in one transaction; return the
    workshop and the key's secret (shown once, never stored)."""
    with committed(session):
        row = crud.create_workshop(session=session, data=data)
        _key, secret = issue_key(
            session,
            label=f"{data.name} organisers"[:100],
            role=Role.organiser,
            scopes=frozenset({f"workshop:{_id(row)}"}),
        )
    return row, secret


def update_workshop(
    *, session: Session, row: Workshop, changes: WorkshopUpdate, if_match: str | None = None
) -> Workshop:
    """Change a workshop's fields; with ``if_match``, only that version of it."""
    with committed(session):
        row = etags.lock_current(session, row)
        current = crud.to_public(session=session, row=row)
        version = etags.workshop_etag(row, participants=current.participants)
        row = crud.update_workshop(session=session, row=row, changes=changes)
        # After the changes are checked: a change refused anyway is answered 422, not 412.
        etags.check_if_match(if_match, version, what="workshop")
    return row


def set_participants(
    *, session: Session, workshop: Workshop, institution_ids: Sequence[int]
) -> None:
    """Replace the workshop's participants; every id must name an institution."""
    with committed(session):
        participants.set_participants(
            session=session, workshop_id=_id(workshop), institution_ids=institution_ids
        )


def import_survey(
    *, session: Session, index: MatchIndex, workshop: Workshop, plan: imports.ImportPlan
) -> ImportResult:
    """Carry out an import plan, all or nothing; the institutions it writes are checked
    against saved searches like any other institution write."""
    with committed(session):
        before = institution_candidates(session=session, rows=plan.written())
        result = imports.apply_import(session=session, workshop_id=_id(workshop), plan=plan)
    written = [*result.created, *result.updated]
    institutions.after_write(session=session, index=index, ids=written, before=before)
    return result


def run_pairing(
    *, session: Session, index: MatchIndex, workshop: Workshop, request: PairingRequest
) -> PairingRun:
    """Pre-pair the participants under these rules; store the result as the next run."""
    with committed(session):
        return runs.compute_run(session=session, index=index, workshop=workshop, request=request)


def adjust_run(
    *,
    session: Session,
    index: MatchIndex,
    workshop: Workshop,
    run: PairingRun,
    adjustment: RunAdjustment,
) -> PairingRun:
    """Lock, forbid or swap pairs of ``run`` and pair again: the result is a new run."""
    rules = adjusted_rules(run, adjustment)
    return run_pairing(session=session, index=index, workshop=workshop, request=rules)


def make_schedule(
    *,
    session: Session,
    workshop: Workshop,
    run: PairingRun,
    request: ScheduleRequest,
    time_limit: float,
) -> SchedulePublic:
    """Lay the run's meetings out in time slots and tables, replacing any timetable.

    ``time_limit`` bounds the solver's search for a better one than the greedy placement.
    """
    with committed(session):
        return timetable.make_schedule(
            session=session, workshop=workshop, run=run, request=request, time_limit=time_limit
        )


def record_outcome(
    *, session: Session, index: MatchIndex, workshop: Workshop, data: OutcomeIn
) -> OutcomePublic:
    """Record (or replace) what happened to a pair of participants; return it as listed.

    A meeting or a signed MoU links the pair in the partner graph: the index catches up.
    """
    with committed(session):
        row = outcomes.store_outcome(session=session, workshop_id=_id(workshop), data=data)
    index.catch_up()
    pair = (row.institution_a, row.institution_b)
    (recorded,) = [
        item
        for item in outcomes.list_outcomes(session=session, workshop_id=_id(workshop))
        if (item.a.id, item.b.id) == pair
    ]
    return recorded


def report_own_outcome(
    *, session: Session, workshop: Workshop, institution_id: int, data: OwnReportIn
) -> OwnPairs:
    """Keep a participant's report on one of its own pairs; it writes the pair's outcome
    as the organiser's recording does (see ``participant_reports``)."""
    with committed(session):
        return participant_reports.store_report(
            session=session, workshop_id=_id(workshop), institution_id=institution_id, data=data
        )


def report_links(*, session: Session, workshop: Workshop, public_url: str) -> list[ReportStatus]:
    """Return who has answered for its pairs, with each one's private link (made the first
    time they are asked for)."""
    with committed(session):
        return participant_reports.statuses(
            session=session, workshop_id=_id(workshop), public_url=public_url
        )


def send_reminders(
    *, session: Session, mailer: Mailer, workshop: Workshop, public_url: str, language: str
) -> list[ReportStatus]:
    """Email its link to each participant that has not answered for all its pairs and has
    a contact email (in the language it last used on the pages, else in ``language``, the
    organiser's); return those reminded. Raises ``MailFailed`` if the server refuses."""
    reminded = []
    with committed(session):
        listed = participant_reports.statuses(
            session=session, workshop_id=_id(workshop), public_url=public_url
        )
        for status in listed:
            if status.done or not status.has_email:
                continue
            reader = status.institution.id
            t = translator(language_for(session=session, institution_id=reader, fallback=language))
            participant_reports.remind(
                session=session, mailer=mailer, workshop=workshop, status=status, t=t
            )
            reminded.append(status)
    return reminded


def invite_institution(
    *,
    session: Session,
    mailer: Mailer,
    workshop: Workshop,
    invitation: invitations.InvitationIn,
    public_url: str,
    language: str,
) -> invitations.InvitationPublic:
    """Email an invitation to join the workshop, in the recipient's language when it is
    known, else in ``language`` (the organiser's); nothing is kept if it cannot
    be sent (``MailFailed``)."""
    with committed(session):
        reader = invitations.recipient(session=session, email=str(invitation.email))
        t = translator(language_for(session=session, institution_id=reader, fallback=language))
        row = invitations.invite(
            session=session,
            mailer=mailer,
            workshop=workshop,
            invitation=invitation,
            base_url=public_url,
            t=t,
        )
    (public,) = invitations.to_public(session=session, rows=[row])
    return public


def join_workshop(*, session: Session, invitation: WorkshopInvitation, institution_id: int) -> None:
    """Make the institution a participant through its invitation."""
    with committed(session):
        invitations.accept(session=session, invitation=invitation, institution_id=institution_id)
