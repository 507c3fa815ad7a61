"""A pairing run's meeting timetable, and its exports: CSV (pairs, alternates, schedule)
and iCalendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from typing import Literal
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlmodel import Session

from matching.schedule import schedule_meetings
from service.errors import FieldError, InvalidInput, NoSchedule
from service.institutions import crud
from service.values.times import utc_now
from service.workshops.exports import CSV_MEDIA, csv_bytes
from service.workshops.models import PairingRun, Workshop
from service.workshops.schemas import InstitutionRef, MeetingPublic, SchedulePublic, ScheduleRequest

# The zone a participant reads times in, by country; countries spanning several zones
# take their capital's. Unlisted countries read the workshop's zone.
COUNTRY_ZONES = {
    "CN": "Asia/Shanghai",
    "KH": "Asia/Phnom_Penh",
    "TH": "Asia/Bangkok",
    "VN": "Asia/Ho_Chi_Minh",
    "LA": "Asia/Vientiane",
    "MM": "Asia/Yangon",
    "MY": "Asia/Kuala_Lumpur",
    "SG": "Asia/Singapore",
    "BN": "Asia/Brunei",
    "ID": "Asia/Jakarta",
    "PH": "Asia/Manila",
    "TL": "Asia/Dili",
    "RU": "Europe/Moscow",
}


def make_schedule(
    *,
    session: Session,
    workshop: Workshop,
    run: PairingRun,
    request: ScheduleRequest,
    time_limit: float,
) -> SchedulePublic:
    """Lay out the run's pairs (and optionally alternates) in slots; store it on the run.

    The solver searches for a better timetable than the greedy one for ``time_limit``
    seconds at most.
    """
    result = run.result
    refs = {ref.id: ref for p in result.pairs for ref in (p.a, p.b)}
    # An unpaired participant still meets its alternates.
    refs.update({u.institution.id: u.institution for u in result.unpaired})
    kinds = {(p.a.id, p.b.id): "pair" for p in result.pairs}
    if request.with_alternates:
        taken: dict[int, int] = {}
        for alt in result.alternates:
            pid, partner = alt.institution_id, alt.partner.id
            key = (min(pid, partner), max(pid, partner))
            if key not in kinds and taken.get(pid, 0) < request.with_alternates:
                kinds[key] = "alternate"
                taken[pid] = taken.get(pid, 0) + 1
                refs.setdefault(partner, alt.partner)
    # Left out of the pairing (max_partners_by_id 0), yet offered alternates: read from the
    # database; one deleted since the run meets nobody.
    unknown = sorted({pid for pair in kinds for pid in pair} - refs.keys())
    for row in crud.all_institutions(session=session, ids=unknown):
        assert row.id is not None
        refs[row.id] = InstitutionRef(id=row.id, name=row.name, country=row.country)
    kinds = {pair: kind for pair, kind in kinds.items() if refs.keys() >= set(pair)}
    meeting_ids = {pid for pair in kinds for pid in pair}
    missing = [pid for pid in request.unavailable if pid not in meeting_ids]
    if missing:
        raise InvalidInput(
            [FieldError(("body", "unavailable", missing[0]), "has no meeting in this run")]
        )
    placed = schedule_meetings(
        list(kinds),
        tables=request.tables,
        max_slots=request.max_slots,
        unavailable={pid: frozenset(slots) for pid, slots in request.unavailable.items()},
        time_limit=time_limit,
    )
    zone = ZoneInfo(workshop.time_zone)
    first = request.starts_at
    first = first.replace(tzinfo=zone) if first.tzinfo is None else first.astimezone(zone)
    step = timedelta(minutes=request.slot_minutes + request.break_minutes)
    length = timedelta(minutes=request.slot_minutes)

    def local(moment: datetime, ref: InstitutionRef) -> datetime:
        own = COUNTRY_ZONES.get(ref.country)
        return moment.astimezone(ZoneInfo(own) if own else zone)

    meetings = []
    for meeting in placed.meetings:
        start = first + meeting.slot * step
        a, b = refs[meeting.a], refs[meeting.b]
        meetings.append(
            MeetingPublic(
                slot=meeting.slot,
                table=meeting.table,
                starts_at=start,
                ends_at=start + length,
                a=a,
                b=b,
                a_local_start=local(start, a),
                b_local_start=local(start, b),
                kind=kinds[(meeting.a, meeting.b)],
            )
        )
    schedule = SchedulePublic(
        workshop_id=run.workshop_id,
        run=run.number,
        time_zone=workshop.time_zone,
        slot_minutes=request.slot_minutes,
        slots_used=placed.slots_used,
        lower_bound=placed.lower_bound,
        idle_slots=placed.idle_slots,
        meetings=meetings,
        unplaced=[list(pair) for pair in placed.unplaced],
    )
    # A new value, so the JSON column is seen as changed.
    run.result = result.model_copy(update={"schedule": schedule})
    session.add(run)
    session.flush()
    return schedule


def stored_schedule(run: PairingRun) -> SchedulePublic:
    """Return the run's stored timetable, or raise NoSchedule."""
    if run.result.schedule is None:
        raise NoSchedule(run.number)
    return run.result.schedule


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    # With a byte-order mark, and cells starting with = + - @ neutralised (see exports).
    return csv_bytes(header, rows)


def pairs_csv(run: PairingRun) -> bytes:
    """The run's pairs as CSV (UTF-8 with a byte-order mark)."""
    return _csv(
        [
            "a_id",
            "a_name",
            "a_country",
            "b_id",
            "b_name",
            "b_country",
            "score",
            "reasons",
            "meeting_request",
        ],
        [
            [
                p.a.id,
                p.a.name,
                p.a.country,
                p.b.id,
                p.b.name,
                p.b.country,
                f"{p.score:.4f}",
                " | ".join(p.reasons),
                p.meeting_request or "",
            ]
            for p in run.result.pairs
        ],
    )


def alternates_csv(run: PairingRun) -> bytes:
    """The run's alternates as CSV."""
    return _csv(
        ["institution_id", "partner_id", "partner_name", "partner_country", "score"],
        [
            [
                a.institution_id,
                a.partner.id,
                a.partner.name,
                a.partner.country,
                f"{a.score:.4f}",
            ]
            for a in run.result.alternates
        ],
    )


def schedule_csv(schedule: SchedulePublic) -> bytes:
    """The timetable as CSV, in the workshop's time and each side's own."""
    return _csv(
        [
            "slot",
            "table",
            "starts_at",
            "ends_at",
            "a_id",
            "a_name",
            "a_local_start",
            "b_id",
            "b_name",
            "b_local_start",
            "kind",
        ],
        [
            [
                m.slot,
                m.table,
                m.starts_at.isoformat(),
                m.ends_at.isoformat(),
                m.a.id,
                m.a.name,
                m.a_local_start.isoformat(),
                m.b.id,
                m.b.name,
                m.b_local_start.isoformat(),
                m.kind,
            ]
            for m in schedule.meetings
        ],
    )


def new_calendar(name: str) -> Calendar:
    """An empty iCalendar named ``name``, to add events to."""
    calendar = Calendar()
    calendar.add("prodid", "-//tvet-match//workshop schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def meeting_events(
    schedule: SchedulePublic, workshop: Workshop, institution_id: int | None = None
) -> list[Event]:
    """The timetable's meetings as iCalendar events, for everyone or one institution."""
    stamp = utc_now()
    events = []
    for meeting in schedule.meetings:
        if institution_id is not None and institution_id not in (meeting.a.id, meeting.b.id):
            continue
        event = Event()
        event.add(
            "uid",
            f"tvet-match-w{schedule.workshop_id}-r{schedule.run}-{meeting.a.id}-{meeting.b.id}",
        )
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at.astimezone(UTC))
        event.add("dtend", meeting.ends_at.astimezone(UTC))
        event.add("summary", f"Partner meeting: {meeting.a.name} × {meeting.b.name}")
        where = (
            f"{workshop.venue}, table {meeting.table}"
            if workshop.venue
            else f"Table {meeting.table}"
        )
        event.add("location", where)
        event.add(
            "description",
            f"{workshop.name}, slot {meeting.slot + 1}. {meeting.a.name} ({meeting.a.country}) "
            f"meets {meeting.b.name} ({meeting.b.country}).",
        )
        events.append(event)
    return events


def schedule_ics(
    schedule: SchedulePublic, workshop: Workshop, institution_id: int | None = None
) -> bytes:
    """The timetable as an iCalendar file, for everyone or one institution."""
    calendar = new_calendar(f"{workshop.name}: meetings")
    for event in meeting_events(schedule, workshop, institution_id):
        calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics


def schedule_html(schedule: SchedulePublic, workshop: Workshop) -> str:
    """The timetable as a printable HTML page: one row per slot, one column per table."""
    tables = max((m.table for m in schedule.meetings), default=0)
    by_slot: dict[int, dict[int, MeetingPublic]] = {}
    for meeting in schedule.meetings:
        by_slot.setdefault(meeting.slot, {})[meeting.table] = meeting
    head = "".join(f"<th scope='col'>Table {t}</th>" for t in range(1, tables + 1))
    rows = []
    for slot in sorted(by_slot):
        cells = []
        for table in range(1, tables + 1):
            placed = by_slot[slot].get(table)
            if placed is None:
                cells.append("<td></td>")
                continue
            cells.append(
                f"<td>{escape(placed.a.name)} ({escape(placed.a.country)})<br>"
                f"× {escape(placed.b.name)} ({escape(placed.b.country)})</td>"
            )
        first = by_slot[slot][min(by_slot[slot])]
        when = f"{first.starts_at:%H:%M}–{first.ends_at:%H:%M}"
        rows.append(f"<tr><th scope='row'>{when}</th>{''.join(cells)}</tr>")
    title = escape(f"{workshop.name}: meetings (run {schedule.run})")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: "Noto Sans", "Noto Sans Khmer", "Noto Sans Thai", sans-serif; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #444; padding: 4px 6px; vertical-align: top; font-size: 11pt; }}
@media print {{ body {{ margin: 0; }} }}
</style></head><body>
<h1>{title}</h1>
<p>{escape(workshop.venue or "")} · times in {escape(schedule.time_zone)} ·
{schedule.slot_minutes}-minute meetings</p>
<table><thead><tr><th scope="col">Time</th>{head}</tr></thead>
<tbody>{"".join(rows)}</tbody></table>
</body></html>
"""


ExportKind = Literal["pairs", "alternates", "schedule", "ics", "html"]


@dataclass(frozen=True, slots=True)
class ExportFile:
    """A download: its bytes, media type and file name."""

    body: bytes
    media_type: str
    filename: str


def export_file(
    *, run: PairingRun, workshop: Workshop, what: ExportKind, institution_id: int | None = None
) -> ExportFile:
    """Return the run's pairs, alternates or timetable (CSV, .ics or printable HTML).

    The timetable kinds raise NoSchedule when the run has none yet; ``institution_id``
    keeps only that institution's meetings in the .ics file.
    """
    name = f"workshop-{workshop.id}-run-{run.number}-{what}"
    if what == "pairs":
        return ExportFile(pairs_csv(run), CSV_MEDIA, f"{name}.csv")
    if what == "alternates":
        return ExportFile(alternates_csv(run), CSV_MEDIA, f"{name}.csv")
    schedule = stored_schedule(run)
    if what == "schedule":
        return ExportFile(schedule_csv(schedule), CSV_MEDIA, f"{name}.csv")
    if what == "html":
        page = schedule_html(schedule, workshop).encode()
        return ExportFile(page, "text/html; charset=utf-8", f"{name}.html")
    calendar = schedule_ics(schedule, workshop, institution_id)
    return ExportFile(calendar, "text/calendar; charset=utf-8", f"{name}.ics")
