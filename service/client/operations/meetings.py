"""Meeting requests between institutions: send, list, read, accept, decline, withdraw."""

from __future__ import annotations

from typing import Literal

from service.client.calls import Call, body, clean, parsed
from service.client.methods import operation, paged
from service.client.operations.common import MEETING_REQUESTS, Data, keyed, page_params
from service.meetings.models import MeetingStatus
from service.meetings.schemas import MeetingRequestCreate, MeetingRequestPage, MeetingRequestPublic


class Meetings:
    """Ask another institution to meet, and answer its requests; contacts show once accepted."""

    @operation
    def create_meeting_request(
        self, request: MeetingRequestCreate | Data, idempotency_key: str | None = None
    ) -> Call[MeetingRequestPublic]:
        """Ask another institution to meet (the asking institution's key; admins name it
        with ``from_institution_id``)."""
        return Call(
            "POST",
            MEETING_REQUESTS,
            parsed(MeetingRequestPublic),
            json=body(request),
            headers=keyed(idempotency_key),
        )

    @operation
    def list_meeting_requests(
        self,
        *,
        box: Literal["received", "sent"] = "received",
        status: MeetingStatus | None = None,
        institution_id: int | None = None,
        limit: int = 20,
        offset: int | None = None,
        cursor: str | None = None,
    ) -> Call[MeetingRequestPage]:
        """Return one page of the requests the institution received or sent, newest first
        (its key; admins name ``institution_id``)."""
        filters = clean({"box": box, "status": status, "institution_id": institution_id})
        return Call(
            "GET",
            MEETING_REQUESTS,
            parsed(MeetingRequestPage),
            params={**filters, **page_params(limit, offset, cursor)},
        )

    iter_meeting_requests = paged(list_meeting_requests)

    @operation
    def read_meeting_request(self, request_id: int) -> Call[MeetingRequestPublic]:
        """Read a request (either side's key, or an admin)."""
        return Call("GET", f"{MEETING_REQUESTS}/{request_id}", parsed(MeetingRequestPublic))

    @operation
    def accept_meeting_request(
        self, request_id: int, idempotency_key: str | None = None
    ) -> Call[MeetingRequestPublic]:
        """Accept a request the caller's institution received; both sides then see each
        other's contact email."""
        return answered(request_id, "accept", idempotency_key)

    @operation
    def decline_meeting_request(
        self, request_id: int, reason: str = "", idempotency_key: str | None = None
    ) -> Call[MeetingRequestPublic]:
        """Decline a request the caller's institution received, with an optional reason the
        requester sees."""
        return answered(request_id, "decline", idempotency_key, reason=reason)

    @operation
    def withdraw_meeting_request(
        self, request_id: int, idempotency_key: str | None = None
    ) -> Call[MeetingRequestPublic]:
        """Withdraw a request while it is open (either side's key)."""
        return answered(request_id, "withdraw", idempotency_key)


def answered(
    request_id: int,
    answer: Literal["accept", "decline", "withdraw"],
    idempotency_key: str | None,
    *,
    reason: str = "",
) -> Call[MeetingRequestPublic]:
    """The call that answers a request; only a decline carries a body (its reason)."""
    return Call(
        "POST",
        f"{MEETING_REQUESTS}/{request_id}/{answer}",
        parsed(MeetingRequestPublic),
        json={"reason": reason} if reason else None,
        headers=keyed(idempotency_key),
    )
