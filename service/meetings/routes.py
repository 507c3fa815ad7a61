"""Meeting requests: send, list, read, accept, decline, withdraw."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, status

from service.deps import IndexDep, KeyDep, SessionDep, SettingsDep
from service.http.idempotency import IdempotentPostRoute
from service.http.query_models import QueryModel
from service.http.schemas import PROBLEM_RESPONSES
from service.meetings import operations as meetings
from service.meetings import writes
from service.meetings.schemas import (
    MeetingDecline,
    MeetingFilters,
    MeetingRequestCreate,
    MeetingRequestPage,
    MeetingRequestPublic,
)
from service.values.validation import MAX_ID

RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    404: {
        **PROBLEM_RESPONSES[404],
        "description": "No meeting request with this id has the caller's institution as a side.",
    },
    409: {
        **PROBLEM_RESPONSES[409],
        "description": "A request between the two institutions is already open, or this one "
        "has already been accepted, declined or withdrawn.",
    },
    429: {
        **PROBLEM_RESPONSES[429],
        "description": "Too many requests, or the institution's daily meeting request cap "
        "is reached; `Retry-After` says when to try again.",
    },
}
router = APIRouter(
    prefix="/meeting-requests",
    tags=["meetings"],
    responses=RESPONSES,
    route_class=IdempotentPostRoute,
)
RequestId = Annotated[int, Path(ge=1, le=MAX_ID, description="The meeting request's id.")]


@router.post("", status_code=status.HTTP_201_CREATED, operation_id="create_meeting_request")
def create_meeting_request(
    caller: KeyDep, data: MeetingRequestCreate, session: SessionDep, settings: SettingsDep
) -> MeetingRequestPublic:
    """Ask another institution to meet, with a short message (the asking institution's key;
    admins name it). Contact emails are shown to both only once the request is accepted."""
    row = writes.request_meeting(session=session, settings=settings, caller=caller, data=data)
    return meetings.public(session=session, row=row)


@router.get("", operation_id="list_meeting_requests")
def list_meeting_requests(
    caller: KeyDep,
    session: SessionDep,
    filters: Annotated[MeetingFilters, Depends(QueryModel(MeetingFilters))],
) -> MeetingRequestPage:
    """List the requests an institution received or sent, newest first (its key; admins
    name it)."""
    window, items = meetings.listing(session=session, caller=caller, filters=filters)
    return MeetingRequestPage.of(window, items, filters)


@router.get("/{request_id:int}", operation_id="read_meeting_request")
def read_meeting_request(
    caller: KeyDep, request_id: RequestId, session: SessionDep
) -> MeetingRequestPublic:
    """Read a request (either side's key, or an admin)."""
    row = meetings.get_visible(session=session, caller=caller, request_id=request_id)
    return meetings.public(session=session, row=row)


@router.post("/{request_id:int}/accept", operation_id="accept_meeting_request")
def accept_meeting_request(
    caller: KeyDep,
    request_id: RequestId,
    session: SessionDep,
    index: IndexDep,
    settings: SettingsDep,
) -> MeetingRequestPublic:
    """Accept a request you received; both sides then see each other's contact email."""
    row = writes.answer_request(
        session=session,
        index=index,
        settings=settings,
        caller=caller,
        request_id=request_id,
        answer="accept",
    )
    return meetings.public(session=session, row=row)


@router.post("/{request_id:int}/decline", operation_id="decline_meeting_request")
def decline_meeting_request(
    caller: KeyDep,
    request_id: RequestId,
    session: SessionDep,
    index: IndexDep,
    settings: SettingsDep,
    data: Annotated[MeetingDecline | None, Body()] = None,
) -> MeetingRequestPublic:
    """Decline a request you received, with an optional reason the requester sees."""
    row = writes.answer_request(
        session=session,
        index=index,
        settings=settings,
        caller=caller,
        request_id=request_id,
        answer="decline",
        reason=data.reason if data is not None else "",
    )
    return meetings.public(session=session, row=row)


@router.post("/{request_id:int}/withdraw", operation_id="withdraw_meeting_request")
def withdraw_meeting_request(
    caller: KeyDep,
    request_id: RequestId,
    session: SessionDep,
    index: IndexDep,
    settings: SettingsDep,
) -> MeetingRequestPublic:
    """Withdraw a request while it is open (either side)."""
    row = writes.answer_request(
        session=session,
        index=index,
        settings=settings,
        caller=caller,
        request_id=request_id,
        answer="withdraw",
    )
    return meetings.public(session=session, row=row)
