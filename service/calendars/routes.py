"""Calendar feeds: the feed itself (no key: the address is the secret) and, with the
institution's key, its state, a new address, and turning it off."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from service.calendars import feed
from service.calendars import operations as calendars
from service.calendars.schemas import CalendarFeedIssued, CalendarFeedState
from service.deps import CallerDep, EditableInstitutionDep, SessionDep, SettingsDep
from service.errors import NotFound
from service.http.idempotency import IdempotentPostRoute
from service.http.schemas import PROBLEM_RESPONSES

router = APIRouter(tags=["calendar"], responses=PROBLEM_RESPONSES, route_class=IdempotentPostRoute)
feed_router = APIRouter()
PATH = "/institutions/{institution_id:int}/calendar"
Token = Annotated[str, Path(max_length=100, description="The feed's secret token.")]


@router.get(PATH, operation_id="read_institution_calendar")
def read_institution_calendar(
    row: EditableInstitutionDep, caller: CallerDep, session: SessionDep
) -> CalendarFeedState:
    """Say whether the institution has a calendar feed (its key or an admin); the address
    itself is shown only when made."""
    return calendars.state(session=session, caller=caller, institution=row)


@router.post(
    f"{PATH}/rotate",
    status_code=status.HTTP_201_CREATED,
    operation_id="rotate_institution_calendar",
)
def rotate_institution_calendar(
    row: EditableInstitutionDep, caller: CallerDep, session: SessionDep, settings: SettingsDep
) -> CalendarFeedIssued:
    """Make a new calendar feed address, replacing any (the old one stops working); it is
    shown once. The feed lists the institution's workshop meetings and agreed dates."""
    return calendars.rotate(
        session=session, caller=caller, institution=row, public_url=settings.public_url
    )


@router.delete(
    PATH, status_code=status.HTTP_204_NO_CONTENT, operation_id="revoke_institution_calendar"
)
def revoke_institution_calendar(
    row: EditableInstitutionDep, caller: CallerDep, session: SessionDep
) -> Response:
    """Turn the calendar feed off: its address stops working."""
    calendars.revoke(session=session, caller=caller, institution=row)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@feed_router.get(f"{calendars.FEED_PATH}/{{token}}.ics", include_in_schema=False)
def calendar_feed(token: Token, session: SessionDep) -> Response:
    """The institution's calendar, for calendar apps to subscribe to."""
    institution = calendars.institution_for(session=session, token=token)
    if institution is None:
        raise NotFound("calendar feed", 0, "no calendar feed has this address (replaced or off?)")
    body = feed.calendar_ics(session=session, institution=institution)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
    )
