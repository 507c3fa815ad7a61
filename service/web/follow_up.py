"""After the workshop: a participant's private report page (``/web/report/{token}``, no key
needed) and the same forms on its "my partners" page; the organiser's follow-up page,
who has not answered, with reminders by email or, without mail, the links to copy."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import Session, col, select

from service.deps import SessionDep, SettingsDep
from service.errors import InvalidInput
from service.mail.sender import MailFailed, mailer_for
from service.web.guards import runnable_workshop
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
from service.workshops import crud as workshops
from service.workshops import operations, participant_reports
from service.workshops.models import ReportLink, Workshop, WorkshopParticipant
from service.workshops.participant_reports import OwnPairs, OwnReportIn

router = APIRouter(route_class=PageRoute)


def _holder(session: Session, token: str) -> tuple[ReportLink, Workshop]:
    """The report link and its workshop, or 404 (the same for a token never made)."""
    link = participant_reports.link_holder(session=session, token=token[:64])
    workshop = session.get(Workshop, link.workshop_id) if link is not None else None
    if link is None or workshop is None:
        raise PageRefusal(404, "follow_up.unknown_link")
    return link, workshop


def _report(
    session: Session, visitor: Visitor, workshop: Workshop, institution_id: int, form: FormDep
) -> OwnPairs:
    """Read the form and write the participant's report; refusals as a 422 page."""
    try:
        data = OwnReportIn(partner=int(text(form, "partner") or 0), status=text(form, "status"))
        return operations.report_own_outcome(
            session=session, workshop=workshop, institution_id=institution_id, data=data
        )
    except (ValueError, ValidationError, InvalidInput) as refused:
        raise PageRefusal(422, "follow_up.not_your_pair") from refused


@router.get("/report/{token}")
def report_page(token: str, request: Request, visitor: VisitorDep, session: SessionDep) -> Response:
    """A participant's own pairs of the workshop's latest run, each with met / MoU
    signed / declined buttons; whoever holds the link may answer, no key needed."""
    link, workshop = _holder(session, token)
    mine = participant_reports.own_pairs(
        session=session, workshop_id=link.workshop_id, institution_id=link.institution_id
    )
    context = {
        "workshop": workshop,
        "mine": mine,
        "action": f"{PREFIX}/report/{token}",
        "reported": request.query_params.get("reported") == "1",
    }
    return render(request, visitor, "own_report.html", context)


@router.post("/report/{token}")
def report_submit(
    token: str, request: Request, visitor: VisitorDep, form: FormDep, session: SessionDep
) -> Response:
    """Keep what the participant reported for one of its pairs, then show the page again."""
    link, workshop = _holder(session, token)
    _report(session, visitor, workshop, link.institution_id, form)
    return redirect(request, visitor, f"{PREFIX}/report/{token}?reported=1")


@router.post("/me/workshops/{workshop_id:int}/outcomes")
def my_report_submit(
    workshop_id: int, request: Request, visitor: VisitorDep, form: FormDep, session: SessionDep
) -> Response:
    """The same report from "my partners", by the signed-in institution's key."""
    own = visitor.caller.institution_id
    workshop = session.get(Workshop, workshop_id)
    if own is None or workshop is None:
        raise PageRefusal(404, "follow_up.not_your_pair")
    _report(session, visitor, workshop, own, form)
    return redirect(request, visitor, f"{PREFIX}/me?reported=1#own-pairs")


def own_workshop_pairs(*, session: Session, institution_id: int) -> list[tuple[Workshop, OwnPairs]]:
    """The workshops where the institution has pairs in the latest run, with those pairs
    (what "my partners" shows for reporting)."""
    ids = session.exec(
        select(WorkshopParticipant.workshop_id).where(
            col(WorkshopParticipant.institution_id) == institution_id
        )
    )
    listed = []
    for workshop_id in sorted(ids):
        mine = participant_reports.own_pairs(
            session=session, workshop_id=workshop_id, institution_id=institution_id
        )
        workshop = session.get(Workshop, workshop_id)
        if mine.pairs and workshop is not None:
            listed.append((workshop, mine))
    return listed


def _follow_up_page(
    request: Request,
    visitor: Visitor,
    session: Session,
    settings: SettingsDep,
    row: Workshop,
    *,
    error: str = "",
    status: int = 200,
) -> Response:
    listed = operations.report_links(session=session, workshop=row, public_url=settings.public_url)
    reminded = request.query_params.get("reminded", "")
    context = {
        "workshop": workshops.to_public(session=session, row=row),
        "statuses": listed,
        "waiting": [item for item in listed if not item.done],
        "mail": mailer_for(settings) is not None,
        "notice": visitor.t("follow_up.reminded", count=int(reminded))
        if reminded.isdigit()
        else "",
        "error": error,
    }
    return render(request, visitor, "follow_up.html", context, status_code=status)


@router.get("/workshops/{workshop_id:int}/follow-up")
def follow_up_page(
    workshop_id: int,
    request: Request,
    visitor: VisitorDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Who has reported on its pairs and who has not; reminders, or the links to copy."""
    row = runnable_workshop(visitor, session, workshop_id)
    return _follow_up_page(request, visitor, session, settings, row)


@router.post("/workshops/{workshop_id:int}/reminders")
def send_reminders(
    workshop_id: int,
    request: Request,
    visitor: VisitorDep,
    _form: FormDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Email their links to the participants that have not answered."""
    row = runnable_workshop(visitor, session, workshop_id)
    mailer = mailer_for(settings)
    if mailer is None:
        error = visitor.t("follow_up.mail_unavailable")
        return _follow_up_page(request, visitor, session, settings, row, error=error, status=503)
    try:
        reminded = operations.send_reminders(
            session=session,
            mailer=mailer,
            workshop=row,
            public_url=settings.public_url,
            language=visitor.t.language,
        )
    except MailFailed:
        error = visitor.t("follow_up.mail_failed")
        return _follow_up_page(request, visitor, session, settings, row, error=error, status=503)
    url = f"{PREFIX}/workshops/{workshop_id}/follow-up?reminded={len(reminded)}"
    return redirect(request, visitor, url)
