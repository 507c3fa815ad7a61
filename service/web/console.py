"""The organiser console: the workshop list, a workshop's participants, the survey import
(dry run, then apply) and the pairing-rules form."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from service.deps import IndexDep, SessionDep, SettingsDep
from service.errors import FieldError
from service.http.pagination import PageParams
from service.institutions import crud, listing
from service.institutions.models import Institution
from service.web import forms
from service.web.guards import runnable_workshop
from service.web.pages import (
    PREFIX,
    FormDep,
    PageRoute,
    Visitor,
    VisitorDep,
    redirect,
    render,
    require_key,
    text,
    upload,
)
from service.web.submit import submit
from service.workshops import answers, column_maps, imports, operations, participants, runs
from service.workshops import crud as workshops
from service.workshops.country_groups import load_country_groups
from service.workshops.exports import CSV_MEDIA, answers_csv
from service.workshops.models import Workshop
from service.workshops.schemas import PairingRequest
from service.workshops.survey import COLUMNS, RowError, parse_survey, sniff
from service.workshops.survey.columns import unknown_headers

router = APIRouter(route_class=PageRoute)

ENCODINGS = ("utf-8", "gb18030", "big5", "utf-16", "cp1252")
DETAIL_FIELDS = ("name", "starts_on", "ends_on", "venue", "time_zone")
FOUND_LIMIT = 10


@router.get("/workshops")
def workshops_page(
    request: Request, visitor: VisitorDep, session: SessionDep, settings: SettingsDep
) -> Response:
    """Every workshop; the ones this key may run link to their console."""
    if settings.reads_require_key:
        require_key(visitor)
    rows = workshops.list_workshops(session=session)
    context = {
        "workshops": [
            (workshops.to_public(session=session, row=row), visitor.caller.may_run_workshop(row.id))
            for row in rows
        ]
    }
    return render(request, visitor, "workshops.html", context)


def latest_rules(session: Session, workshop_id: int) -> dict[str, Any]:
    """The rules of the workshop's latest run, or the defaults: where the form starts."""
    listed = runs.list_runs(session=session, workshop_id=workshop_id)
    if listed:
        number = listed[-1].number
        return dict(runs.get_run(session=session, workshop_id=workshop_id, number=number).rules)
    return PairingRequest().model_dump(mode="json")


def detail_values(row: Workshop) -> dict[str, str]:
    """The details form filled from the stored workshop."""
    return {
        "name": row.name,
        "starts_on": row.starts_on.isoformat(),
        "ends_on": row.ends_on.isoformat(),
        "venue": row.venue or "",
        "time_zone": row.time_zone,
    }


def found(session: Session, row: Workshop, query: str) -> list[Institution]:
    """Institutions whose name or profile matches ``query`` (any script) and that are not
    yet participants, for the typeahead."""
    if not query.strip():
        return []
    assert row.id is not None
    present = set(participants.participant_ids(session=session, workshop_id=row.id))
    page = listing.list_institutions(
        session=session, params=PageParams(limit=50), q=query.strip()[:300]
    )
    return [r for r in page.rows if r.id not in present][:FOUND_LIMIT]


def console_page(
    request: Request,
    visitor: Visitor,
    session: Session,
    row: Workshop,
    *,
    rules: dict[str, str] | None = None,
    errors: list[FieldError] | None = None,
    notice: str | None = None,
    details: dict[str, str] | None = None,
) -> Response:
    """Render the console, with the rules or details form as submitted and its refusals."""
    assert row.id is not None
    query = request.query_params.get("find", "")
    ids = participants.participant_ids(session=session, workshop_id=row.id)
    members = crud.all_institutions(session=session, ids=ids)
    context = {
        "workshop": workshops.to_public(session=session, row=row),
        "participants": members,
        # The pickers of the rules form: names shown, ids sent.
        "names": {r.id: r.name for r in members},
        "people": sorted(members, key=lambda r: r.name.casefold()),
        "runs": runs.list_runs(session=session, workshop_id=row.id),
        "rules": rules or forms.rules_values(latest_rules(session, row.id)),
        "errors": forms.messages(
            errors or [],
            visitor.t,
            (*forms.RULE_FIELDS, *DETAIL_FIELDS, "survey"),
            names={r.id: r.name for r in members if r.id is not None},
        ),
        "details": details or detail_values(row),
        "find": query,
        "found": found(session, row, query),
        "encodings": [(encoding, encoding) for encoding in ENCODINGS],
        "notice": notice,
        "answers": answers.list_answers(session=session, workshop_id=row.id),
        "country_groups": load_country_groups().groups,
    }
    return render(request, visitor, "console.html", context, status_code=422 if errors else 200)


@router.get("/workshops/{workshop_id:int}")
def workshop_console(
    workshop_id: int, request: Request, visitor: VisitorDep, session: SessionDep
) -> Response:
    """A workshop's console: participants, import, pairing rules and runs."""
    row = runnable_workshop(visitor, session, workshop_id)
    notice = None
    saved = request.query_params.get("saved", "")
    if saved in ("details", "added", "removed"):
        notice = visitor.t(f"console.saved.{saved}")
    if request.query_params.get("imported") == "1":
        count = len(participants.participant_ids(session=session, workshop_id=workshop_id))
        notice = visitor.t("import.applied", participants=count)
    return console_page(request, visitor, session, row, notice=notice)


def _said(visitor: Visitor, error: RowError) -> str:
    """Return a refusal in the visitor's language (the API's reason is English)."""
    return visitor.t(f"survey.{error.code}", **dict(error.params)) if error.code else error.reason


def _preview(
    request: Request,
    visitor: Visitor,
    session: Session,
    row: Workshop,
    data: bytes,
    encoding: str,
    filename: str,
) -> Response:
    assert row.id is not None
    mapping = column_maps.mapping_for(session=session, workshop_id=row.id)
    # A workbook is known by its bytes, whatever the file is called.
    parsed = parse_survey(data, encoding=encoding, file_type=sniff(data), mapping=mapping)
    plan = imports.plan_import(session=session, workshop_id=row.id, parsed=parsed)
    context = {
        "unknown": unknown_headers(parsed.columns, mapping),
        "columns": [(c.key, f"{c.header} · {c.chinese[0]}") for c in COLUMNS],
        "workshop": workshops.to_public(session=session, row=row),
        "plan": imports.plan_out(plan),
        # The API's reasons, said in the visitor's language.
        "refusals": [(e.row, e.column, _said(visitor, e)) for e in plan.rejected],
        "warnings": [_said(visitor, warning) for warning in plan.warnings],
        "content": base64.b64encode(data).decode(),
        "encoding": encoding,
        "filename": filename,
    }
    return render(
        request, visitor, "import_preview.html", context, status_code=422 if plan.rejected else 200
    )


def _encoding(form_value: str) -> str:
    return form_value if form_value in ENCODINGS else "utf-8"


@router.post("/workshops/{workshop_id:int}/import")
def import_dry_run(
    workshop_id: int, request: Request, visitor: VisitorDep, form: FormDep, session: SessionDep
) -> Response:
    """Read an uploaded survey and show what importing it would do; nothing is written."""
    row = runnable_workshop(visitor, session, workshop_id)
    sent = upload(form, "survey")
    data = sent.file.read() if sent is not None else b""
    if not data:
        error = FieldError(("survey",), visitor.t("import.choose_file"))
        return console_page(request, visitor, session, row, errors=[error])
    filename = (sent.filename if sent is not None else None) or "survey.csv"
    return _preview(
        request, visitor, session, row, data, _encoding(text(form, "encoding")), filename
    )


def _content(form: FormData) -> bytes:
    try:
        return base64.b64decode(text(form, "content"), validate=True)
    except binascii.Error:
        return b""


@router.post("/workshops/{workshop_id:int}/import/columns")
def import_columns(
    workshop_id: int, request: Request, visitor: VisitorDep, form: FormDep, session: SessionDep
) -> Response:
    """Remember which survey column each unknown header of the file means, then check the
    file again with them."""
    row = runnable_workshop(visitor, session, workshop_id)
    assert row.id is not None
    headers = form.getlist("header")
    choices = form.getlist("column")
    matched = {
        str(header): str(column)
        for header, column in zip(headers, choices, strict=False)
        if str(column) in {c.key for c in COLUMNS}
    }
    column_maps.remember(session=session, workshop_id=row.id, matched=matched)
    data, encoding = _content(form), _encoding(text(form, "encoding"))
    return _preview(request, visitor, session, row, data, encoding, text(form, "filename"))


@router.post("/workshops/{workshop_id:int}/import/apply")
def import_apply(
    workshop_id: int,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: SessionDep,
    index: IndexDep,
) -> Response:
    """Import the previewed survey, all or nothing, and make its rows participants."""
    row = runnable_workshop(visitor, session, workshop_id)
    assert row.id is not None
    data = _content(form)
    encoding = _encoding(text(form, "encoding"))
    mapping = column_maps.mapping_for(session=session, workshop_id=row.id)
    parsed = parse_survey(data, encoding=encoding, file_type=sniff(data), mapping=mapping)
    plan = imports.plan_import(session=session, workshop_id=row.id, parsed=parsed)
    if plan.rejected:
        return _preview(request, visitor, session, row, data, encoding, text(form, "filename"))
    operations.import_survey(session=session, index=index, workshop=row, plan=plan)
    return redirect(request, visitor, f"{PREFIX}/workshops/{row.id}?imported=1")


@router.get("/workshops/{workshop_id:int}/survey-answers.csv")
def survey_answers_csv(workshop_id: int, visitor: VisitorDep, session: SessionDep) -> Response:
    """The survey answers as CSV: the same bytes as the API's export."""
    runnable_workshop(visitor, session, workshop_id)
    body = answers_csv(answers.list_answers(session=session, workshop_id=workshop_id))
    disposition = f'attachment; filename="workshop-{workshop_id}-survey-answers.csv"'
    return Response(body, media_type=CSV_MEDIA, headers={"Content-Disposition": disposition})


@router.post("/workshops/{workshop_id:int}/pairings")
def run_pairing(
    workshop_id: int,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: SessionDep,
    index: IndexDep,
) -> Response:
    """Run the pairing under the rules in the form; show the new run."""
    row = runnable_workshop(visitor, session, workshop_id)
    submitted = forms.submitted(form, forms.RULE_FIELDS)
    return submit(
        PairingRequest,
        forms.read_rules(form, visitor.t),
        lambda rules: operations.run_pairing(
            session=session, index=index, workshop=row, request=rules
        ),
        refused=lambda errors: console_page(
            request, visitor, session, row, rules=submitted, errors=errors
        ),
        done=lambda run: redirect(
            request, visitor, f"{PREFIX}/workshops/{workshop_id}/runs/{run.number}"
        ),
    )
