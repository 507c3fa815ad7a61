"""Workshops: create and describe, set participants, run and compare MoU pre-pairings."""

from __future__ import annotations

from tempfile import SpooledTemporaryFile
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from sqlmodel import col

from service.deps import (
    AdminDep,
    IndexDep,
    PairingRunDep,
    ReaderDep,
    RunnableWorkshopDep,
    SessionDep,
    SettingsDep,
    WorkshopDep,
)
from service.errors import FieldError, InvalidInput
from service.http import etags
from service.http.body_limit import body_too_large
from service.http.idempotency import IdempotentPostRoute
from service.http.pagination import PageQuery, paginate
from service.http.schemas import PROBLEM_RESPONSES
from service.institutions import crud
from service.institutions.models import Institution
from service.values.encodings import TextEncoding
from service.values.validation import MAX_ID
from service.workshops import (
    column_maps,
    imports,
    operations,
    outcomes,
    participants,
    runs,
    timetable,
)
from service.workshops import crud as workshops
from service.workshops.adjustments import RunAdjustment
from service.workshops.import_schemas import ImportPlanPublic, ImportResult
from service.workshops.models import PairingRun, WorkshopCreate, WorkshopPublic, WorkshopUpdate
from service.workshops.schemas import (
    OutcomeIn,
    OutcomePublic,
    PairingDiff,
    PairingRequest,
    PairingRunPage,
    PairingRunPublic,
    ParticipantPage,
    Participants,
    SchedulePublic,
    ScheduleRequest,
    WorkshopReport,
)
from service.workshops.survey import XLSX_MEDIA, FileType, parse_survey

router = APIRouter(
    prefix="/workshops",
    tags=["workshops"],
    responses=PROBLEM_RESPONSES,
    route_class=IdempotentPostRoute,
)


@router.post("", status_code=status.HTTP_201_CREATED, operation_id="create_workshop")
def create_workshop(data: WorkshopCreate, session: SessionDep, _admin: AdminDep) -> WorkshopPublic:
    """Create a workshop (admins); then give its organisers a key scoped to it."""
    row = operations.create_workshop(session=session, data=data)
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
    row = operations.update_workshop(session=session, row=row, changes=changes, if_match=if_match)
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
    operations.set_participants(session=session, workshop=row, institution_ids=data.institution_ids)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{workshop_id:int}/participants", operation_id="list_participants")
def list_participants(
    row: WorkshopDep,
    session: SessionDep,
    _caller: ReaderDep,
    page: PageQuery,
) -> ParticipantPage:
    """List the workshop's participants (public profiles), by id, one page at a time."""
    assert row.id is not None
    window = paginate(
        session=session,
        statement=participants.participants_query(row.id),
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
) -> PairingRunPublic:
    """Pre-pair the participants for MoUs: the best total score under the rules, stored
    as the next numbered run, with alternates, unpaired participants and reasons."""
    run = operations.run_pairing(session=session, index=index, workshop=row, request=request)
    return runs.run_out(run)


@router.get("/{workshop_id:int}/pairings", operation_id="list_pairings")
def list_pairings(
    row: RunnableWorkshopDep,
    session: SessionDep,
    page: PageQuery,
) -> PairingRunPage:
    """List the workshop's pairing runs, oldest first, one page at a time."""
    assert row.id is not None
    window = paginate(
        session=session,
        statement=runs.runs_query(row.id),
        key=col(PairingRun.number),
        key_of=lambda run: run.number,
        params=page,
    )
    return PairingRunPage.of(window, [runs.run_summary(run) for run in window.rows], page)


@router.get("/{workshop_id:int}/pairings/{number:int}", operation_id="read_pairing")
def read_pairing(run: PairingRunDep) -> PairingRunPublic:
    """Read one pairing run."""
    return runs.run_out(run)


@router.get("/{workshop_id:int}/pairings/{number:int}/diff", operation_id="diff_pairings")
def diff_pairings(
    row: RunnableWorkshopDep,
    run: PairingRunDep,
    against: Annotated[int, Query(ge=1, le=MAX_ID, description="The run to compare with.")],
    session: SessionDep,
) -> PairingDiff:
    """Compare two runs: pairs added, removed, kept, and the change in total score."""
    assert row.id is not None
    other = runs.get_run(session=session, workshop_id=row.id, number=against)
    return runs.diff_runs(run, other)


@router.post(
    "/{workshop_id:int}/pairings/{number:int}/adjustments",
    status_code=status.HTTP_201_CREATED,
    operation_id="adjust_pairing",
)
def adjust_pairing(
    row: RunnableWorkshopDep,
    run: PairingRunDep,
    adjustment: RunAdjustment,
    session: SessionDep,
    index: IndexDep,
) -> PairingRunPublic:
    """Lock or forbid one of the run's pairs, or swap two pairs' partners, and pair again
    under the rules so changed: the answer is a new run (the adjusted one stays)."""
    new_run = operations.adjust_run(
        session=session, index=index, workshop=row, run=run, adjustment=adjustment
    )
    return runs.run_out(new_run)


@router.post(
    "/{workshop_id:int}/outcomes",
    status_code=status.HTTP_201_CREATED,
    operation_id="record_outcome",
)
def record_outcome(
    row: RunnableWorkshopDep, data: OutcomeIn, session: SessionDep, index: IndexDep
) -> OutcomePublic:
    """Record what happened to a pair: met, MoU signed, or declined (latest word kept)."""
    return operations.record_outcome(session=session, index=index, workshop=row, data=data)


@router.get("/{workshop_id:int}/outcomes", operation_id="list_outcomes")
def list_outcomes(row: RunnableWorkshopDep, session: SessionDep) -> list[OutcomePublic]:
    """List the recorded outcomes by pair."""
    assert row.id is not None
    return outcomes.list_outcomes(session=session, workshop_id=row.id)


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
    return outcomes.report(session=session, workshop_id=row.id, run_number=run)


_SPOOLED_IN_MEMORY = 1024 * 1024


async def _survey_file(request: Request) -> bytes:
    """Return the uploaded survey, refusing an empty body with a 422 that says so.

    The body is read as it arrives into a spooled file (in memory while small, on disk
    past ``_SPOOLED_IN_MEMORY``) and counted: past the upload limit the read stops with
    413, before the rest is sent. Memory then holds the file once, as the parser takes it,
    not the received chunks beside their joined copy as ``request.body()`` would.
    """
    limit: int = request.app.state.settings.max_body_bytes
    received = 0
    with SpooledTemporaryFile(max_size=_SPOOLED_IN_MEMORY) as spool:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise body_too_large(limit)
            spool.write(chunk)
        spool.seek(0)
        body = spool.read()
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
        },
        XLSX_MEDIA: {
            "schema": {
                "type": "string",
                "format": "binary",
                "minLength": 1,
                "description": "The survey as an .xlsx workbook (the same columns).",
            }
        },
    },
}


@router.post(
    "/{workshop_id:int}/imports",
    operation_id="import_survey",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": ImportPlanPublic, "description": "The dry-run report."}},
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
    content_type: Annotated[str, Header(include_in_schema=False)] = "",
) -> ImportResult | ImportPlanPublic:
    """Import a networking-survey CSV, all or nothing (any rejected row: 422, nothing
    written): create new institutions, update only profiles this workshop's imports created
    and no institution key has claimed, send every other named institution a proposal of
    the differing answers, make every row a participant and keep Q2-Q4 answers apart. With
    `dry_run=true`, answer 200 with what each row would do (create, update, unchanged,
    proposal, participant) or why it is rejected (row, column, reason); nothing is written.
    Headers the workshop's organisers matched to columns in the console are known too."""
    assert row.id is not None
    media = content_type.split(";", 1)[0].strip().lower()
    file_type: FileType = "xlsx" if media == XLSX_MEDIA else "csv"
    mapping = column_maps.mapping_for(session=session, workshop_id=row.id)
    parsed = parse_survey(body, encoding=encoding, file_type=file_type, mapping=mapping)
    plan = imports.plan_import(session=session, workshop_id=row.id, parsed=parsed)
    if dry_run:
        response.status_code = status.HTTP_200_OK
        return imports.plan_out(plan)
    return operations.import_survey(session=session, index=index, workshop=row, plan=plan)


@router.post(
    "/{workshop_id:int}/pairings/{number:int}/schedule",
    status_code=status.HTTP_201_CREATED,
    operation_id="make_schedule",
)
def make_schedule(
    row: RunnableWorkshopDep,
    run: PairingRunDep,
    request: ScheduleRequest,
    session: SessionDep,
    settings: SettingsDep,
) -> SchedulePublic:
    """Put the run's pairs (and optionally alternates) into time slots and tables: nobody
    in two meetings at once, unavailable slots respected, as few slots as the greedy
    placement manages (the lower bound is reported). Replaces any earlier timetable."""
    return operations.make_schedule(
        session=session,
        workshop=row,
        run=run,
        request=request,
        time_limit=settings.schedule_seconds,
    )


@router.get("/{workshop_id:int}/pairings/{number:int}/schedule", operation_id="read_schedule")
def read_schedule(run: PairingRunDep) -> SchedulePublic:
    """Read the run's timetable."""
    return timetable.stored_schedule(run)


@router.get(
    "/{workshop_id:int}/pairings/{number:int}/export",
    operation_id="export_pairing",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "text/calendar": {}, "text/html": {}}}},
)
def export_pairing(
    row: RunnableWorkshopDep,
    run: PairingRunDep,
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
    download = timetable.export_file(
        run=run, workshop=row, what=what, institution_id=institution_id
    )
    disposition = f'attachment; filename="{download.filename}"'
    return Response(
        download.body, media_type=download.media_type, headers={"Content-Disposition": disposition}
    )
