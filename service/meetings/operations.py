"""Meeting requests: send, accept, decline, withdraw, list.

Only the two sides of a request may see it; anyone else is answered as if it did not
exist (404), so ids leak nothing. Contact emails are in a request's read model only once
it is accepted. Each write enqueues its webhook event in the same transaction, once per
side, addressed to that side's webhooks only; ``writes`` commits and emails.

Spam is capped in the database: an institution may send ``per_day`` requests per UTC
day, counted after locking its own row, so that concurrent sends on several service
instances are counted one after another (429 with ``Retry-After`` until midnight UTC).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.auth.keys import Caller, Role
from service.auth.owners import acting_institution
from service.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
)
from service.http.pagination import Window, paginate
from service.institutions import crud
from service.institutions.models import Institution
from service.meetings.models import MeetingRequest, MeetingStatus, pair_key
from service.meetings.resting import RESTING_STATUSES
from service.meetings.schemas import (
    Box,
    MeetingFilters,
    MeetingRequestCreate,
    MeetingRequestPublic,
    Party,
)
from service.values.times import utc_now
from service.webhooks.outbox import Event, EventType, enqueue
from service.workshops.models import Workshop

WHAT = "meeting request"


def _party(row: Institution, revealed: bool) -> Party:
    assert row.id is not None
    return Party(
        id=row.id,
        name=row.name,
        country=row.country,
        kind=str(row.kind),
        contact_email=row.contact_email if revealed else None,
        website=row.website if revealed or not row.website_private else None,
    )


def publics(*, session: Session, rows: Sequence[MeetingRequest]) -> list[MeetingRequestPublic]:
    """Return the read models of these requests, contacts shown once accepted."""
    ids = sorted({i for r in rows for i in (r.from_institution_id, r.to_institution_id)})
    institutions = {i.id: i for i in crud.all_institutions(session=session, ids=ids)}
    items = []
    for row in rows:
        assert row.id is not None
        revealed = row.status == MeetingStatus.accepted
        items.append(
            MeetingRequestPublic(
                id=row.id,
                status=MeetingStatus(row.status),
                from_institution=_party(institutions[row.from_institution_id], revealed),
                to_institution=_party(institutions[row.to_institution_id], revealed),
                message=row.message,
                workshop_id=row.workshop_id,
                proposed_date=row.proposed_date,
                reason=row.reason,
                contacts_revealed=revealed,
                created_at=row.created_at,
                decided_at=row.decided_at,
            )
        )
    return items


def public(*, session: Session, row: MeetingRequest) -> MeetingRequestPublic:
    """Return the read model of one request."""
    (item,) = publics(session=session, rows=[row])
    return item


def _is_party(caller: Caller, row: MeetingRequest) -> bool:
    return caller.may_edit(row.from_institution_id) or caller.may_edit(row.to_institution_id)


def get_visible(*, session: Session, caller: Caller, request_id: int) -> MeetingRequest:
    """Return the request if the caller is one of its sides (or an admin), else 404."""
    row = session.get(MeetingRequest, request_id)
    if row is None or not _is_party(caller, row):
        raise NotFound(WHAT, request_id)
    return row


def _enqueue(session: Session, kind: EventType, row: MeetingRequest) -> None:
    data = {"meeting_request": public(session=session, row=row).model_dump(mode="json")}
    sides = (row.from_institution_id, row.to_institution_id)
    enqueue(session, [Event(kind, data, owner=f"institution:{side}") for side in sides])


def seconds_to_midnight(now: datetime) -> int:
    """Whole seconds until the next UTC day begins (at least 1)."""
    midnight = datetime.combine(now.date() + timedelta(days=1), time.min, tzinfo=now.tzinfo)
    return max(1, math.ceil((midnight - now).total_seconds()))


def _lock(session: Session, institution_id: int) -> None:
    # A no-op write takes the row lock on PostgreSQL and the write lock on SQLite, so
    # two sends by the same institution are counted one after the other.
    session.execute(
        update(Institution)
        .where(col(Institution.id) == institution_id)
        .values(version=Institution.version)
        .execution_options(synchronize_session=False)
    )


def sent_today(*, session: Session, institution_id: int, now: datetime) -> int:
    """How many requests an institution has sent since midnight UTC (withdrawn ones too)."""
    midnight = datetime.combine(now.date(), time.min, tzinfo=now.tzinfo)
    statement = (
        select(func.count())
        .select_from(MeetingRequest)
        .where(col(MeetingRequest.from_institution_id) == institution_id)
        .where(col(MeetingRequest.created_at) >= midnight)
    )
    return session.exec(statement).one()


def _check_target(session: Session, sender: Institution, data: MeetingRequestCreate) -> None:
    errors = []
    if data.to_institution_id == sender.id:
        errors.append(FieldError(("body", "to_institution_id"), "cannot be the sender itself"))
    elif crud.get_institution(session=session, institution_id=data.to_institution_id) is None:
        message = f"no institution has id {data.to_institution_id}"
        errors.append(FieldError(("body", "to_institution_id"), message))
    if data.workshop_id is not None and session.get(Workshop, data.workshop_id) is None:
        message = f"no workshop has id {data.workshop_id}"
        errors.append(FieldError(("body", "workshop_id"), message))
    if errors:
        raise InvalidInput(errors)


def _already_open(a: int, b: int) -> Conflict:
    return Conflict(
        f"a meeting request between institutions {a} and {b} is already open; "
        "answer or withdraw it first"
    )


def send(
    *, session: Session, caller: Caller, data: MeetingRequestCreate, per_day: int
) -> MeetingRequest:
    """Store a new request and enqueue ``meeting.requested``; the caller commits."""
    sender = acting_institution(
        session, caller, data.from_institution_id, doing="request a meeting"
    )
    assert sender.id is not None
    _check_target(session, sender, data)
    _lock(session, sender.id)
    now = utc_now()
    if sent_today(session=session, institution_id=sender.id, now=now) >= per_day:
        raise TooManyRequests(
            f"institution {sender.id} has sent {per_day} meeting requests today, the most "
            "allowed per day; try again after midnight UTC",
            retry_after=seconds_to_midnight(now),
        )
    key = pair_key(sender.id, data.to_institution_id)
    if session.exec(select(MeetingRequest.id).where(col(MeetingRequest.open_pair) == key)).first():
        raise _already_open(sender.id, data.to_institution_id)
    row = MeetingRequest(
        from_institution_id=sender.id,
        to_institution_id=data.to_institution_id,
        message=data.message,
        workshop_id=data.workshop_id,
        proposed_date=data.proposed_date,
        status=MeetingStatus.requested,
        open_pair=key,
        created_at=now,
    )
    session.add(row)
    sender_id = sender.id  # a failed flush expires every loaded row
    try:
        session.flush()
    except IntegrityError as error:  # the other side asked at the same moment
        raise _already_open(sender_id, data.to_institution_id) from error
    _enqueue(session, EventType.meeting_requested, row)
    return row


def _decide(
    session: Session, row: MeetingRequest, status: MeetingStatus, reason: str = ""
) -> MeetingRequest:
    """Move an open request to ``status``; 409 if it is no longer open (checked atomically)."""
    now = utc_now()
    result = session.execute(
        update(MeetingRequest)
        .where(col(MeetingRequest.id) == row.id)
        .where(col(MeetingRequest.status) == MeetingStatus.requested)
        .values(status=status, reason=reason, decided_at=now, open_pair=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(row)
        raise Conflict(f"meeting request {row.id} is already {row.status}")
    session.refresh(row)
    if status in RESTING_STATUSES:
        # Every instance forgets the two sides' resting partners (meetings.resting).
        crud.log_index_changes(
            session=session, institution_ids=[row.from_institution_id, row.to_institution_id]
        )
    return row


def accept(*, session: Session, caller: Caller, row: MeetingRequest) -> MeetingRequest:
    """Accept a request (its recipient only); both contact emails are then shown."""
    if not caller.may_edit(row.to_institution_id):
        raise Forbidden(f"only the institution asked may accept meeting request {row.id}")
    row = _decide(session, row, MeetingStatus.accepted)
    _enqueue(session, EventType.meeting_accepted, row)
    return row


def decline(
    *, session: Session, caller: Caller, row: MeetingRequest, reason: str
) -> MeetingRequest:
    """Decline a request (its recipient only), with an optional reason."""
    if not caller.may_edit(row.to_institution_id):
        raise Forbidden(f"only the institution asked may decline meeting request {row.id}")
    row = _decide(session, row, MeetingStatus.declined, reason)
    _enqueue(session, EventType.meeting_declined, row)
    return row


def withdraw(*, session: Session, caller: Caller, row: MeetingRequest) -> MeetingRequest:
    """Withdraw an open request (either side)."""
    if not _is_party(caller, row):
        raise NotFound(WHAT, row.id or 0)
    return _decide(session, row, MeetingStatus.withdrawn)


def _whose(session: Session, caller: Caller, named: int | None) -> int:
    if caller.role is Role.institution:
        if named is not None and named != caller.institution_id:
            raise Forbidden(f"this key may not read the requests of institution {named}")
        assert caller.institution_id is not None
        return caller.institution_id
    if caller.role is not Role.admin:
        raise Forbidden("meeting requests are read with an institution's key (or an admin's)")
    if named is None:
        raise InvalidInput([FieldError(("query", "institution_id"), "name the institution")])
    if crud.get_institution(session=session, institution_id=named) is None:
        raise InvalidInput(
            [FieldError(("query", "institution_id"), f"no institution has id {named}")]
        )
    return named


def listing(
    *, session: Session, caller: Caller, filters: MeetingFilters
) -> tuple[Window[MeetingRequest], list[MeetingRequestPublic]]:
    """Return a page of an institution's received or sent requests, newest first, and
    their API views."""
    institution_id = _whose(session, caller, filters.institution_id)
    side = (
        MeetingRequest.to_institution_id
        if filters.box is Box.received
        else MeetingRequest.from_institution_id
    )
    conditions = [col(side) == institution_id]
    if filters.status is not None:
        conditions.append(col(MeetingRequest.status) == filters.status)
    window = paginate(
        session=session,
        statement=select(MeetingRequest).where(*conditions),
        key=col(MeetingRequest.id),
        key_of=lambda row: row.id,
        params=filters,
        newest_first=True,
    )
    return window, publics(session=session, rows=window.rows)


def declined_pairs(*, session: Session, ids: Sequence[int]) -> set[tuple[int, int]]:
    """Pairs among ``ids`` (low id first) whose meeting request was declined: a workshop
    pairing never pairs them."""
    among = list(ids)
    statement = select(MeetingRequest).where(
        col(MeetingRequest.status) == MeetingStatus.declined,
        col(MeetingRequest.from_institution_id).in_(among),
        col(MeetingRequest.to_institution_id).in_(among),
    )
    return {
        (
            min(r.from_institution_id, r.to_institution_id),
            max(r.from_institution_id, r.to_institution_id),
        )
        for r in session.exec(statement)
    }


@dataclass(frozen=True, slots=True)
class RequestedPairs:
    """Pairs of workshop participants who asked to meet (low id first)."""

    accepted: list[tuple[int, int]]  # earliest accepted first
    pending: set[tuple[int, int]]


def requested_pairs(*, session: Session, ids: Sequence[int], workshop_id: int) -> RequestedPairs:
    """Accepted and pending requests between participants ``ids`` of a workshop: those
    proposed for this workshop or for none (a request for another workshop is that one's)."""
    among = list(ids)
    statement = (
        select(MeetingRequest)
        .where(
            col(MeetingRequest.status).in_([MeetingStatus.accepted, MeetingStatus.requested]),
            col(MeetingRequest.from_institution_id).in_(among),
            col(MeetingRequest.to_institution_id).in_(among),
            or_(
                col(MeetingRequest.workshop_id).is_(None),
                col(MeetingRequest.workshop_id) == workshop_id,
            ),
        )
        .order_by(col(MeetingRequest.decided_at), col(MeetingRequest.id))
    )
    accepted: list[tuple[int, int]] = []
    pending: set[tuple[int, int]] = set()
    for row in session.exec(statement):
        a, b = sorted((row.from_institution_id, row.to_institution_id))
        if row.status == MeetingStatus.accepted:
            accepted.append((a, b))
        else:
            pending.add((a, b))
    return RequestedPairs(accepted=accepted, pending=pending - set(accepted))


def have_agreed(*, session: Session, a: int, b: int) -> bool:
    """Whether a meeting request between the two institutions was accepted: each may then
    see the other's private website."""
    statement = select(MeetingRequest.id).where(
        col(MeetingRequest.status) == MeetingStatus.accepted,
        or_(
            (col(MeetingRequest.from_institution_id) == a)
            & (col(MeetingRequest.to_institution_id) == b),
            (col(MeetingRequest.from_institution_id) == b)
            & (col(MeetingRequest.to_institution_id) == a),
        ),
    )
    return session.exec(statement).first() is not None
