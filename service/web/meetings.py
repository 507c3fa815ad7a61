"""An institution's meeting requests on the pages: ask to meet, answer, withdraw, and
"my partners" (``/web/me``), over the same operations as the API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.auth.keys import Role
from service.calendars import feed
from service.calendars import operations as calendars
from service.deps import IndexDep, SessionDep, SettingsDep
from service.errors import (
    Conflict,
    InvalidInput,
    TooManyRequests,
)
from service.institutions import crud
from service.institutions.models import Institution
from service.institutions.schemas import MatchFilters
from service.institutions.suggestions import suggest_for
from service.meetings import operations as meetings
from service.meetings import writes
from service.meetings.models import MeetingStatus
from service.meetings.schemas import Box, MeetingFilters, MeetingRequestCreate
from service.values.times import utc_now
from service.web import forms
from service.web.follow_up import own_workshop_pairs
from service.web.my_partners import fitting_opportunities, own_alerts, own_saved_searches
from service.web.pages import (
    PREFIX,
    FormDep,
    PageRefusal,
    PageRoute,
    Visitor,
    VisitorDep,
    redirect,
    render,
    require_key,
    text,
)
from service.web.refusals import form_refusal, refused_as_page

router = APIRouter(route_class=PageRoute)

REQUEST_FIELDS = ("message", "proposed_date", "to_institution_id")
SUGGESTIONS = 10
LISTED = 50
FLASHES = (
    "sent",
    "accept",
    "decline",
    "withdraw",
    "interest",
    "withdrawn",
    "calendar_off",
    "reported",
)


def _own_institution(visitor: Visitor, session: SessionDep) -> Institution:
    """The visitor's institution; only an institution's key has meeting requests."""
    require_key(visitor)
    if visitor.caller.role is not Role.institution or visitor.caller.institution_id is None:
        raise PageRefusal(403, "meet.institutions_only")
    row = crud.get_institution(session=session, institution_id=visitor.caller.institution_id)
    if row is None:
        raise PageRefusal(403, "meet.institutions_only")
    return row


def _target(session: SessionDep, institution_id: int) -> Institution:
    row = crud.existing_institution(session=session, institution_id=institution_id)
    return row


def _request_page(
    request: Request,
    visitor: Visitor,
    target: Institution,
    values: dict[str, str],
    errors: dict[str, list[str]],
    status_code: int = 200,
) -> Response:
    context: dict[str, Any] = {"target": target, "values": values, "errors": errors}
    return render(request, visitor, "request_meeting.html", context, status_code=status_code)


@router.get("/institutions/{institution_id:int}/request-meeting")
def request_meeting_page(
    institution_id: int, request: Request, visitor: VisitorDep, session: SessionDep
) -> Response:
    """The form asking an institution to meet: a short message and an optional date."""
    own = _own_institution(visitor, session)
    target = _target(session, institution_id)
    if own.id == target.id:
        raise PageRefusal(403, "meet.not_yourself")
    return _request_page(request, visitor, target, {}, {})


@router.post("/institutions/{institution_id:int}/request-meeting")
def request_meeting_submit(
    institution_id: int,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Send the request, or show the refusal beside the field (nothing is stored then)."""
    _own_institution(visitor, session)
    target = _target(session, institution_id)
    values = forms.submitted(form, REQUEST_FIELDS)
    data: dict[str, Any] = {"to_institution_id": institution_id, "message": text(form, "message")}
    if text(form, "proposed_date").strip():
        data["proposed_date"] = text(form, "proposed_date").strip()
    parsed = forms.Parsed(data=data, errors=[])
    created, errors = forms.validate(MeetingRequestCreate, parsed)
    t = visitor.t
    try:
        if created is None:
            raise InvalidInput(errors)
        writes.request_meeting(
            session=session,
            settings=settings,
            caller=visitor.caller,
            data=created,
            language=t.language,
        )
    except (InvalidInput, Conflict, TooManyRequests) as refusal:
        shown = form_refusal(
            refusal,
            t,
            REQUEST_FIELDS,
            {
                Conflict: t("meet.already_open"),
                TooManyRequests: t("meet.cap_reached", n=settings.meeting_requests_per_day),
            },
        )
        answer = _request_page(request, visitor, target, values, shown.messages, shown.status)
        if shown.retry_after is not None:
            answer.headers["Retry-After"] = str(shown.retry_after)
        return answer
    return redirect(request, visitor, f"{PREFIX}/me?sent=1")


@router.post("/meeting-requests/{request_id:int}/{action}")
def answer_request(
    request_id: int,
    action: str,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: SessionDep,
    index: IndexDep,
    settings: SettingsDep,
) -> Response:
    """Accept, decline (with an optional reason) or withdraw a request, then go back."""
    require_key(visitor)
    answer = next((known for known in writes.ANSWERS if known == action), None)
    if answer is None:
        raise PageRefusal(404, "error.not_found")
    with refused_as_page(forbidden="meet.not_yours_to_answer", conflict="meet.already_answered"):
        writes.answer_request(
            session=session,
            index=index,
            settings=settings,
            caller=visitor.caller,
            request_id=request_id,
            answer=answer,
            reason=text(form, "reason").strip()[:500],
            language=visitor.t.language,
        )
    return redirect(request, visitor, f"{PREFIX}/me?{action}=1")


def _my_partners_page(
    request: Request,
    visitor: Visitor,
    session: SessionDep,
    index: IndexDep,
    settings: SettingsDep,
    calendar_url: str = "",
) -> Response:
    own = _own_institution(visitor, session)
    assert own.id is not None
    caller = visitor.caller
    _, received = meetings.listing(
        session=session, caller=caller, filters=MeetingFilters(box=Box.received, limit=LISTED)
    )
    _, sent = meetings.listing(
        session=session, caller=caller, filters=MeetingFilters(box=Box.sent, limit=LISTED)
    )
    accepted = [r for r in [*received, *sent] if r.status is MeetingStatus.accepted]
    accepted.sort(key=lambda r: r.decided_at or r.created_at, reverse=True)
    suggestions = suggest_for(
        session=session,
        index=index,
        institution_id=own.id,
        filters=MatchFilters(limit=SUGGESTIONS),
        language=visitor.t.language,
        rest_days=settings.meeting_rest_days,
    )
    flashes = [key for key in FLASHES if request.query_params.get(key)]
    searches = own_saved_searches(session=session, caller=caller)
    context: dict[str, Any] = {
        "own": own,
        "received": received,
        "sent": sent,
        "accepted": accepted,
        "suggestions": suggestions.items,
        "flash": visitor.t(f"me.flash.{flashes[0]}") if flashes else "",
        "opportunities": fitting_opportunities(
            session=session, index=index, own=own, language=visitor.t.language
        ),
        "saved_searches": searches,
        "alerts": own_alerts(session=session, caller=caller, searches=searches),
        "upcoming": feed.upcoming(session=session, institution_id=own.id, now=utc_now()),
        "calendar": calendars.state(session=session, caller=caller, institution=own),
        "calendar_url": calendar_url,
        "workshop_pairs": own_workshop_pairs(session=session, institution_id=own.id),
    }
    return render(request, visitor, "me.html", context)


@router.get("/me")
def my_partners(
    request: Request,
    visitor: VisitorDep,
    session: SessionDep,
    index: IndexDep,
    settings: SettingsDep,
) -> Response:
    """My partners: suggestions with reasons, requests received and sent, accepted ones
    with both contact emails, upcoming meetings with the calendar feed, saved searches
    and their alerts."""
    return _my_partners_page(request, visitor, session, index, settings)


@router.post("/me/calendar")
def my_calendar(
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: SessionDep,
    index: IndexDep,
    settings: SettingsDep,
) -> Response:
    """Make a new calendar feed address (shown on this answer only) or turn the feed off."""
    own = _own_institution(visitor, session)
    if text(form, "action") == "revoke":
        calendars.revoke(session=session, caller=visitor.caller, institution=own)
        return redirect(request, visitor, f"{PREFIX}/me?calendar_off=1")
    issued = calendars.rotate(
        session=session, caller=visitor.caller, institution=own, public_url=settings.public_url
    )
    return _my_partners_page(request, visitor, session, index, settings, issued.url)
