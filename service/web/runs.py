"""A pairing run in the console: pairs with reasons, alternates and the unpaired; lock,
forbid or swap pairs and re-run; the timetable form and grid; downloads; outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, get_args

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from matching import Reason
from service.deps import IndexDep, SessionDep, SettingsDep
from service.errors import FieldError, NoSchedule
from service.institutions import crud
from service.institutions.suggestions import said
from service.web import forms
from service.web.guards import runnable_workshop
from service.web.i18n import Translator
from service.web.pages import (
    PREFIX,
    FormDep,
    PageRefusal,
    PageRoute,
    Visitor,
    VisitorDep,
    redirect,
    render,
    text,
)
from service.web.submit import submit
from service.workshops import crud as workshops
from service.workshops import operations, outcomes, participants, runs, timetable
from service.workshops.adjustments import RunAdjustment
from service.workshops.models import PairingRun, Workshop
from service.workshops.schemas import (
    MeetingPublic,
    OutcomeIn,
    PairReason,
    RequestNotKept,
    SchedulePublic,
    ScheduleRequest,
)

router = APIRouter(route_class=PageRoute)

OUTCOME_FIELDS = ("pair", "status", "happened_on", "note")
DOWNLOADS: dict[str, timetable.ExportKind] = {kind: kind for kind in get_args(timetable.ExportKind)}


def _run_url(workshop_id: int, number: int) -> str:
    return f"{PREFIX}/workshops/{workshop_id}/runs/{number}"


def _schedule_defaults(row: Workshop, run: PairingRun) -> dict[str, str]:
    pairs = len(run.result.pairs)
    return {
        "starts_at": f"{row.starts_on.isoformat()}T09:00",
        "slot_minutes": "20",
        "break_minutes": "5",
        "tables": str(max(1, min(pairs, 20))),
        "with_alternates": "0",
        "unavailable": "",
    }


def said_reasons(why: Sequence[PairReason], language: str) -> list[str]:
    """Put a pair's reasons in words in ``language``."""
    return said([Reason(kind=r.kind, items=tuple(r.items)) for r in why], language)


def said_not_kept(item: RequestNotKept, t: Translator) -> str:
    """Say why an accepted meeting request was not locked, in the page's language (a run
    stored before refusals had codes has only its English sentence)."""
    if item.code is None:
        return f"{item.a.name} × {item.b.name}: {item.why}"
    return t(
        f"run.not_kept.{item.code.value}",
        a=item.a.name,
        b=item.b.name,
        country=t.country(item.a.country),
        groups=" × ".join(t.country(group) for group in item.groups),
        participant=item.participant.name if item.participant else "",
    )


def run_page(
    request: Request,
    visitor: Visitor,
    session: Session,
    row: Workshop,
    run: PairingRun,
    *,
    form: str | None = None,
    values: dict[str, str] | None = None,
    errors: list[FieldError] | None = None,
) -> Response:
    """Render a run; ``form`` names the form whose ``values`` and ``errors`` are shown."""
    assert row.id is not None
    out = runs.run_out(run)
    # Reasons in the page's language (a run stored before reasons had kinds keeps English).
    out.pairs = [
        pair.model_copy(update={"reasons": said_reasons(pair.why, visitor.t.language)})
        if pair.why
        else pair
        for pair in out.pairs
    ]
    ids = participants.participant_ids(session=session, workshop_id=row.id)
    names = {r.id: r for r in crud.all_institutions(session=session, ids=ids)}
    alternates: dict[int, list[Any]] = {}
    for alternate in out.alternates:
        alternates.setdefault(alternate.institution_id, []).append(alternate)
    fields = {"schedule": forms.SCHEDULE_FIELDS, "outcome": OUTCOME_FIELDS}.get(form or "", ())
    context = {
        "workshop": workshops.to_public(session=session, row=row),
        "run": out,
        "names": names,
        "alternates": alternates,
        "not_kept": [said_not_kept(item, visitor.t) for item in out.requests_not_kept],
        "outcomes": outcomes.list_outcomes(session=session, workshop_id=row.id),
        "has_schedule": run.result.schedule is not None,
        "form": form,
        "errors": forms.messages(errors or [], visitor.t, fields),
        "schedule_values": values
        if form == "schedule" and values
        else _schedule_defaults(row, run),
        "outcome_values": values if form == "outcome" and values else {},
        "recorded": request.query_params.get("recorded") == "1",
    }
    status_code = 422 if errors else 200
    return render(request, visitor, "run.html", context, status_code=status_code)


def _run(session: Session, row: Workshop, number: int) -> PairingRun:
    assert row.id is not None
    return runs.get_run(session=session, workshop_id=row.id, number=number)


@router.get("/workshops/{workshop_id:int}/runs/{number:int}")
def run_view(
    workshop_id: int, number: int, request: Request, visitor: VisitorDep, session: SessionDep
) -> Response:
    """One pairing run: pairs, reasons, alternates, the unpaired, and what to do next."""
    row = runnable_workshop(visitor, session, workshop_id)
    return run_page(request, visitor, session, row, _run(session, row, number))


def _pair(value: str) -> list[int] | None:
    parts = value.split("-")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return None
    return sorted(int(part) for part in parts)


def _adjustment(form: FormData, run: PairingRun) -> forms.Parsed:
    """The adjustment a run page's buttons send, or a refusal page: they only name the
    run's own pairs, so anything else is a forged or stale form."""
    action = text(form, "action")
    pairs = run.result.pair_ids()
    first, second = _pair(text(form, "pair")), _pair(text(form, "pair2"))
    if action not in ("lock", "forbid", "swap") or first is None or (*first,) not in pairs:
        raise PageRefusal(422, "run.bad_adjustment")
    if action != "swap":
        return forms.Parsed({"action": action, "pair": first})
    if second is None or (*second,) not in pairs or {*first} & {*second}:
        raise PageRefusal(422, "run.swap_needs_two_pairs")
    return forms.Parsed({"action": action, "pair": first, "swap_with": second})


@router.post("/workshops/{workshop_id:int}/runs/{number:int}/adjust")
def adjust_run(
    workshop_id: int,
    number: int,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: SessionDep,
    index: IndexDep,
) -> Response:
    """Lock, forbid or swap pairs of this run, and run again with the changed rules."""
    row = runnable_workshop(visitor, session, workshop_id)
    run = _run(session, row, number)
    return submit(
        RunAdjustment,
        _adjustment(form, run),
        lambda adjustment: operations.adjust_run(
            session=session, index=index, workshop=row, run=run, adjustment=adjustment
        ),
        refused=lambda errors: run_page(
            request, visitor, session, row, _run(session, row, number), form="adjust", errors=errors
        ),
        done=lambda new_run: redirect(request, visitor, _run_url(workshop_id, new_run.number)),
    )


@router.post("/workshops/{workshop_id:int}/runs/{number:int}/schedule")
def schedule_run(
    workshop_id: int,
    number: int,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Lay the run's meetings out in time slots and tables; show the timetable."""
    row = runnable_workshop(visitor, session, workshop_id)
    run = _run(session, row, number)
    submitted = forms.submitted(form, forms.SCHEDULE_FIELDS)
    return submit(
        ScheduleRequest,
        forms.read_schedule(form, visitor.t),
        lambda wanted: operations.make_schedule(
            session=session,
            workshop=row,
            run=run,
            request=wanted,
            time_limit=settings.schedule_seconds,
        ),
        refused=lambda errors: run_page(
            request,
            visitor,
            session,
            row,
            _run(session, row, number),
            form="schedule",
            values=submitted,
            errors=errors,
        ),
        done=lambda _schedule: redirect(
            request, visitor, f"{_run_url(workshop_id, number)}/schedule"
        ),
    )


@dataclass(frozen=True, slots=True)
class GridRow:
    """One time slot of the timetable: when, and the meeting at each table."""

    slot: int
    label: str
    cells: list[MeetingPublic | None]


def grid(schedule: SchedulePublic) -> tuple[int, list[GridRow]]:
    """Return the number of tables and one row per used slot, in time order."""
    tables = max((m.table for m in schedule.meetings), default=0)
    by_slot: dict[int, dict[int, MeetingPublic]] = {}
    for meeting in schedule.meetings:
        by_slot.setdefault(meeting.slot, {})[meeting.table] = meeting
    days = {m.starts_at.date() for m in schedule.meetings}
    shape = "%m-%d %H:%M" if len(days) > 1 else "%H:%M"
    rows = []
    for slot in sorted(by_slot):
        first = next(iter(by_slot[slot].values()))
        label = f"{first.starts_at:{shape}}–{first.ends_at:%H:%M}"
        rows.append(GridRow(slot, label, [by_slot[slot].get(t) for t in range(1, tables + 1)]))
    return tables, rows


@router.get("/workshops/{workshop_id:int}/runs/{number:int}/schedule")
def schedule_view(
    workshop_id: int, number: int, request: Request, visitor: VisitorDep, session: SessionDep
) -> Response:
    """The run's timetable as a grid: time slots down, tables across."""
    row = runnable_workshop(visitor, session, workshop_id)
    run = _run(session, row, number)
    try:
        schedule = timetable.stored_schedule(run)
    except NoSchedule as missing:
        raise PageRefusal(404, "schedule.none") from missing
    tables, rows = grid(schedule)
    context = {
        "workshop": workshops.to_public(session=session, row=row),
        "schedule": schedule,
        "tables": tables,
        "rows": rows,
    }
    return render(request, visitor, "schedule.html", context)


@router.get("/workshops/{workshop_id:int}/runs/{number:int}/download/{what}")
def download(
    workshop_id: int,
    number: int,
    what: str,
    visitor: VisitorDep,
    session: SessionDep,
) -> Response:
    """Download the run's pairs or alternates (CSV), or its timetable (CSV, .ics, HTML)."""
    row = runnable_workshop(visitor, session, workshop_id)
    run = _run(session, row, number)
    if what not in DOWNLOADS:
        raise PageRefusal(404, "error.not_found")
    try:
        file = timetable.export_file(run=run, workshop=row, what=DOWNLOADS[what])
    except NoSchedule as missing:
        raise PageRefusal(404, "schedule.none") from missing
    disposition = f'attachment; filename="{file.filename}"'
    return Response(
        file.body,
        media_type=file.media_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


@router.post("/workshops/{workshop_id:int}/runs/{number:int}/outcomes")
def record_outcome(
    workshop_id: int,
    number: int,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: SessionDep,
    index: IndexDep,
) -> Response:
    """Record what happened to a pair (met, MoU signed, declined)."""
    row = runnable_workshop(visitor, session, workshop_id)
    _run(session, row, number)  # a run that does not exist is refused (404) first
    submitted = forms.submitted(form, OUTCOME_FIELDS)
    parsed = forms.read_outcome(form, visitor.t)
    parsed.data["run"] = number
    return submit(
        OutcomeIn,
        parsed,
        lambda outcome: operations.record_outcome(
            session=session, index=index, workshop=row, data=outcome
        ),
        refused=lambda errors: run_page(
            request,
            visitor,
            session,
            row,
            _run(session, row, number),
            form="outcome",
            values=submitted,
            errors=errors,
        ),
        done=lambda _outcome: redirect(
            request, visitor, f"{_run_url(workshop_id, number)}?recorded=1#outcomes"
        ),
    )
