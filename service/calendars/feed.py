"""What an institution's calendar holds: its meetings in every workshop's latest scheduled
run, and the accepted meeting requests that name a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Event
from sqlmodel import Session, col, or_, select

from service.institutions import crud
from service.institutions.models import Institution
from service.meetings.models import MeetingRequest, MeetingStatus
from service.values.times import as_utc, utc_now
from service.workshops.models import PairingRun, Workshop, WorkshopParticipant
from service.workshops.schemas import SchedulePublic
from service.workshops.timetable import meeting_events, new_calendar


@dataclass(frozen=True, slots=True)
class Upcoming:
    """A meeting still to come, as "my partners" lists it."""

    starts_at: datetime | None  # a workshop meeting's start, in the workshop's time
    on: date  # its day; an agreed request's proposed date
    partner: str
    where: str  # the workshop and table, or "" for an agreed request
    zone: str = ""  # the workshop's time zone


def scheduled(*, session: Session, institution_id: int) -> list[tuple[Workshop, SchedulePublic]]:
    """The timetable of each workshop the institution takes part in: its newest run that
    has one (a run made after it, not yet scheduled, does not hide it)."""
    workshops = session.exec(
        select(Workshop)
        .join(WorkshopParticipant, col(WorkshopParticipant.workshop_id) == col(Workshop.id))
        .where(col(WorkshopParticipant.institution_id) == institution_id)
        .order_by(col(Workshop.id))
    ).all()
    found = []
    for workshop in workshops:
        runs = session.exec(
            select(PairingRun)
            .where(col(PairingRun.workshop_id) == workshop.id)
            .order_by(col(PairingRun.number).desc())
        )
        schedule = next((run.result.schedule for run in runs if run.result.schedule), None)
        if schedule is not None:
            found.append((workshop, schedule))
    return found


def agreed_dates(*, session: Session, institution_id: int) -> list[MeetingRequest]:
    """The institution's accepted meeting requests that propose a date, by date."""
    return list(
        session.exec(
            select(MeetingRequest)
            .where(
                col(MeetingRequest.status) == MeetingStatus.accepted,
                col(MeetingRequest.proposed_date).is_not(None),
                or_(
                    col(MeetingRequest.from_institution_id) == institution_id,
                    col(MeetingRequest.to_institution_id) == institution_id,
                ),
            )
            .order_by(col(MeetingRequest.proposed_date), col(MeetingRequest.id))
        )
    )


def _names(session: Session, rows: list[MeetingRequest]) -> dict[int, str]:
    ids = sorted({i for r in rows for i in (r.from_institution_id, r.to_institution_id)})
    return {row.id or 0: row.name for row in crud.all_institutions(session=session, ids=ids)}


def _request_event(row: MeetingRequest, names: dict[int, str]) -> Event:
    assert row.proposed_date is not None
    event = Event()
    event.add("uid", f"tvet-match-request-{row.id}")
    event.add("dtstamp", utc_now())
    event.add("dtstart", row.proposed_date)
    event.add("dtend", row.proposed_date + timedelta(days=1))
    a, b = names[row.from_institution_id], names[row.to_institution_id]
    event.add("summary", f"Partner meeting: {a} × {b}")
    event.add("description", f"An agreed meeting request. {a} wrote: {row.message}")
    return event


def calendar_ics(*, session: Session, institution: Institution) -> bytes:
    """The institution's calendar as an iCalendar file."""
    assert institution.id is not None
    calendar = new_calendar(f"{institution.name}: partner meetings")
    for workshop, schedule in scheduled(session=session, institution_id=institution.id):
        for event in meeting_events(schedule, workshop, institution.id):
            calendar.add_component(event)
    agreed = agreed_dates(session=session, institution_id=institution.id)
    names = _names(session, agreed)
    for row in agreed:
        calendar.add_component(_request_event(row, names))
    ics: bytes = calendar.to_ical()
    return ics


def upcoming(*, session: Session, institution_id: int, now: datetime) -> list[Upcoming]:
    """The meetings still to come, soonest first: workshop meetings not yet started and
    agreed dates from today on."""
    items = []
    for workshop, schedule in scheduled(session=session, institution_id=institution_id):
        for meeting in schedule.meetings:
            if institution_id not in (meeting.a.id, meeting.b.id):
                continue
            if as_utc(meeting.starts_at) < now:
                continue
            partner = meeting.b if meeting.a.id == institution_id else meeting.a
            where = f"{workshop.name}, table {meeting.table}"
            start, zone = meeting.starts_at, workshop.time_zone
            items.append(Upcoming(start, start.date(), partner.name, where, zone))
    agreed = agreed_dates(session=session, institution_id=institution_id)
    names = _names(session, agreed)
    for row in agreed:
        assert row.proposed_date is not None
        if row.proposed_date < now.date():
            continue
        other = (
            row.to_institution_id
            if row.from_institution_id == institution_id
            else row.from_institution_id
        )
        items.append(Upcoming(None, row.proposed_date, names[other], ""))
    return sorted(items, key=lambda item: (item.on, as_utc(item.starts_at or now)))
