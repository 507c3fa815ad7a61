"""Workshops: create and describe, set participants, run and compare MoU pre-pairings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from sqlmodel import col

from service.alerts.triggers import institution_candidates, institutions_written
from service.deps import (
    AdminDep,
    IndexDep,
    ReaderDep,
    RunnableWorkshopDep,
    SessionDep,
    WorkshopDep,
)
from service.errors import FieldError, InvalidInput
from service.http import etags
from service.http.idempotency import IdempotentPostRoute
from service.http.pagination import PageParams, paginate
from service.http.schemas import PROBLEM_RESPONSES
from service.institutions import crud
from service.institutions.models import Institution
from service.values.encodings import TextEncoding
from service.values.validation import MAX_ID
from service.workshops import imports, timetable
from service.workshops import operations as workshops
from service.workshops.models import PairingRun, WorkshopCreate, WorkshopPublic, WorkshopUpdate
from service.workshops.schemas import (
    ImportPlanOut,
    ImportResult,
    OutcomeIn,
    OutcomeOut,
    PairingDiff,
    PairingRequest,
    PairingRunOut,
    PairingRunPage,
    ParticipantPage,
    Participants,
    ScheduleOut,
    ScheduleRequest,
    WorkshopReport,
)
from service.workshops.survey import parse_survey

router = APIRouter(
    prefix="/workshops",
    tags=["workshops"],
    responses=PROBLEM_RESPONSES,
    route_class=IdempotentPostRoute,
)
RunNumber = Annotated[
    int, Path(ge=1, le=MAX_ID, description="The run's number within the workshop.")
]


@router.post("", status_code=status.HTTP_201_CREATED, operation_id="create_workshop")
def create_workshop(data: WorkshopCreate, session: SessionDep, _admin: AdminDep) -> WorkshopPublic:
    """Create a workshop (admins); then give its organisers a key scoped to it."""
    row = workshops.create_workshop(session=session, data=data)
    session.commit()
    return workshops.to_public(session=session, row=row)


@router.get("", operation_id="list_workshops")
def list_workshops(session: SessionDep, _caller: ReaderDep) -> list[WorkshopPublic]:
    """List workshops, newest first."""
    return [
        workshops.to_public(session=session, row=row)
        for row in workshops.list_workshops(session=session)
    ]


@router.get("/{workshop_id:int}", operation_id="read_workshop", responses=etags.READ_RESPONSES)
def read_workshop(
    row: WorkshopDep,
    session: SessionDep,
    _caller: ReaderDep,
    response: Response,
    if_none_match: etags.IfNoneMatch = None,
) -> WorkshopPublic:
    """Read a workshop. The `ETag` names this version (`If-None-Match`: 304 if unchanged)."""
    public = workshops.to_public(session=session, row=row)
    etag = etags.workshop_etag(row, participants=public.participants)
    etags.check_not_modified(if_none_match, etag)
    response.headers["ETag"] = etag
    return public


@router.patch(
    "/{workshop_id:int}", operation_id="update_workshop", responses=etags.UPDATE_RESPONSES
)
def update_workshop(
    row: RunnableWorkshopDep,
    changes: WorkshopUpdate,
    session: SessionDep,
    response: Response,
    if_match: etags.IfMatch = None,
) -> WorkshopPublic:
    """Change a workshop's name, dates, venue or time zone (its organisers, admins).

    With `If-Match`, only if nobody changed it since that version (else 412)."""
    row = etags.lock_current(session, row)
    current = workshops.to_public(session=session, row=row)
    version = etags.workshop_etag(row, participants=current.participants)
    row = workshops.update_workshop(session=session, row=row, changes=changes)
    # After the changes are checked: a change refused anyway is answered 422, not 412.
    etags.check_if_match(if_match, version, what="workshop")
    session.commit()
    public = workshops.to_public(session=session, row=row)
    response.headers["ETag"] = etags.workshop_etag(row, participants=public.participants)
    return public


@router.put(
    "/{workshop_id:int}/participants",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="set_participants",
)
def set_participants(row: RunnableWorkshopDep, data: Participants, session: SessionDep) -> Response:
    """Replace the workshop's participants with these institutions."""
    assert row.id is not None
    workshops.set_participants(
        session=session, workshop_id=row.id, institution_ids=data.institution_ids
    )
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{workshop_id:int}/participants", operation_id="list_participants")
def list_participants(
    row: WorkshopDep,
    page: Annotated[PageParams, Query()],
    session: SessionDep,
    _caller: ReaderDep,
) -> ParticipantPage:
    """List the workshop's participants (public profiles), by id, one page at a time."""
    assert row.id is not None
    window = paginate(
        session=session,
        statement=workshops.participants_query(row.id),
        key=col(Institution.id),
        key_of=lambda item: item.id,
        params=page,
    )
    ids = [item.id for item in window.rows if item.id is not None]
    partners = crud.partners_of(session=session, institution_ids=ids)
    items = [crud.to_public(item, partners[item.id]) for item in window.rows if item.id]
    return ParticipantPage.of(window, items, page)


@router.post(
    "/{workshop_id:int}/pairings", status_code=status.HTTP_201_CREATED, operation_id="run_pairing"
)
def run_pairing(
    row: RunnableWorkshopDep, request: PairingRequest, session: SessionDep, index: IndexDep
) -> PairingRunOut:
    """Pre-pair the participants for MoUs: the best total score under the rules, stored
    as the next numbered run, with alternates, unpaired participants and reasons."""
    run = workshops.run_pairing(session=session, index=index, workshop=row, request=request)
    session.commit()
    return workshops.run_out(run)


@router.get("/{workshop_id:int}/pairings", operation_id="list_pairings")
def list_pairings(
    row: RunnableWorkshopDep, page: Annotated[PageParams, Query()], session: SessionDep
) -> PairingRunPage:
    """List the workshop's pairing runs, oldest first, one page at a time."""
    assert row.id is not None
    window = paginate(
        session=session,
        statement=workshops.runs_query(row.id),
        key=col(PairingRun.number),
        key_of=lambda run: run.number,
        params=page,
    )
    return PairingRunPage.of(window, [workshops.run_summary(run) for run in window.rows], page)


@router.get("/{workshop_id:int}/pairings/{number:int}", operation_id="read_pairing")
def read_pairing(row: RunnableWorkshopDep, number: RunNumber, session: SessionDep) -> PairingRunOut:
    """Read one pairing run."""
    assert row.id is not None
    return workshops.run_out(workshops.get_run(session=session, workshop_id=row.id, number=number))


@router.get("/{workshop_id:int}/pairings/{number:int}/diff", operation_id="diff_pairings")
def diff_pairings(
    row: RunnableWorkshopDep,
    number: RunNumber,
    against: Annotated[int, Query(ge=1, le=MAX_ID, description="The run to compare with.")],
    session: SessionDep,
) -> PairingDiff:
    """Compare two runs: pairs added, removed, kept, and the change in total score."""
    assert row.id is not None
    run = workshops.get_run(session=session, workshop_id=row.id, number=number)
    other = workshops.get_run(session=session, workshop_id=row.id, number=against)
    return workshops.diff_runs(run, other)


@router.post(
    "/{workshop_id:int}/outcomes",
    status_code=status.HTTP_201_CREATED,
    operation_id="record_outcome",
)
def record_outcome(row: RunnableWorkshopDep, data: OutcomeIn, session: SessionDep) -> OutcomeOut:
    """Record what happened to a pair: met, MoU signed, or declined (latest word kept)."""
    assert row.id is not None
    outcome = workshops.record_outcome(session=session, workshop_id=row.id, data=data)
    session.commit()
    (recorded,) = [
        item
        for item in workshops.list_outcomes(session=session, workshop_id=row.id)
        if (item.a.id, item.b.id) == (outcome.institution_a, outcome.institution_b)
    ]
    return recorded


@router.get("/{workshop_id:int}/outcomes", operation_id="list_outcomes")
def list_outcomes(row: RunnableWorkshopDep, session: SessionDep) -> list[OutcomeOut]:
    """List the recorded outcomes by pair."""
    assert row.id is not None
    return workshops.list_outcomes(session=session, workshop_id=row.id)


@router.get("/{workshop_id:int}/report", operation_id="workshop_report")
def workshop_report(
    row: RunnableWorkshopDep,
    session: SessionDep,
    run: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Run to compare (default: latest).")
    ] = None,
) -> WorkshopReport:
    """Participants, pairs suggested, met and signed, and who was never suggested."""
    assert row.id is not None
    return workshops.report(session=session, workshop_id=row.id, run_number=run)


async def _survey_file(request: Request) -> bytes:
    """Return the uploaded survey, refusing an empty body with a 422 that says so."""
    body = await request.body()
    if not body:
        why = "the survey file is empty: send the CSV file itself as the request body"
        raise InvalidInput([FieldError(("body",), why, "empty_file")])
    return body


# Stated by hand: the body is read by _survey_file, so FastAPI does not describe it.
_SURVEY_BODY = {
    "required": True,
    "content": {
        "text/csv": {
            "schema": {
                "type": "string",
                "minLength": 1,
                "description": "The survey CSV (columns in seed/SURVEY.md), UTF-8 with or "
                "without BOM unless `encoding` says otherwise. An empty body gets 422.",
            }
        }
    },
}


@router.post(
    "/{workshop_id:int}/imports",
    operation_id="import_survey",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": ImportPlanOut, "description": "The dry-run report."}},
    openapi_extra={"requestBody": _SURVEY_BODY},
)
def import_survey(
    row: RunnableWorkshopDep,
    session: SessionDep,
    index: IndexDep,
    response: Response,
    body: Annotated[bytes, Depends(_survey_file)],
    dry_run: Annotated[bool, Query(description="Only report what would happen.")] = False,
    encoding: Annotated[
        TextEncoding, Query(description="The file's encoding when not UTF-8.")
    ] = "utf-8",
) -> ImportResult | ImportPlanOut:
    """Import a networking-survey CSV: create or update institutions and make them
    participants, all or nothing (any rejected row: 422, nothing written). With
    `dry_run=true`, answer 200 with what would be created, updated or rejected (row,
    column, reason) and write nothing."""
    assert row.id is not None
    plan = imports.plan_import(session=session, parsed=parse_survey(body, encoding=encoding))
    if dry_run:
        response.status_code = status.HTTP_200_OK
        return imports.plan_out(plan)
    before = institution_candidates(session=session, rows=[u.existing for u in plan.update])
    result = imports.apply_import(session=session, workshop_id=row.id, plan=plan)
    session.commit()
    index.catch_up()
    written = [*result.created, *result.updated]
    institutions_written(session=session, index=index, ids=written, before=before)
    return result


@router.post(
    "/{workshop_id:int}/pairings/{number:int}/schedule",
    status_code=status.HTTP_201_CREATED,
    operation_id="make_schedule",
)
def make_schedule(
    row: RunnableWorkshopDep, number: RunNumber, request: ScheduleRequest, session: SessionDep
) -> ScheduleOut:
    """Put the run's pairs (and optionally alternates) into time slots and tables: nobody
    in two meetings at once, unavailable slots respected, as few slots as the greedy
    placement manages (the lower bound is reported). Replaces any earlier timetable."""
    assert row.id is not None
    run = workshops.get_run(session=session, workshop_id=row.id, number=number)
    schedule = timetable.make_schedule(session=session, workshop=row, run=run, request=request)
    session.commit()
    return schedule


@router.get("/{workshop_id:int}/pairings/{number:int}/schedule", operation_id="read_schedule")
def read_schedule(row: RunnableWorkshopDep, number: RunNumber, session: SessionDep) -> ScheduleOut:
    """Read the run's timetable."""
    assert row.id is not None
    run = workshops.get_run(session=session, workshop_id=row.id, number=number)
    return timetable.stored_schedule(run)


@router.get(
    "/{workshop_id:int}/pairings/{number:int}/export",
    operation_id="export_pairing",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "text/calendar": {}, "text/html": {}}}},
)
def export_pairing(
    row: RunnableWorkshopDep,
    number: RunNumber,
    session: SessionDep,
    what: Annotated[
        timetable.ExportKind,
        Query(description="What to export; html is a printable timetable."),
    ] = "pairs",
    institution_id: Annotated[
        int | None,
        Query(ge=1, le=MAX_ID, description="For ics: only this institution's meetings."),
    ] = None,
) -> Response:
    """Download the run's pairs, alternates or timetable as CSV, or the timetable as .ics
    or as a printable HTML page."""
    assert row.id is not None
    run = workshops.get_run(session=session, workshop_id=row.id, number=number)
    download = timetable.export_file(
        run=run, workshop=row, what=what, institution_id=institution_id
    )
    disposition = f'attachment; filename="{download.filename}"'
    return Response(
        download.body, media_type=download.media_type, headers={"Content-Disposition": disposition}
    )
