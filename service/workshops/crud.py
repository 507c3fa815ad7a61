"""Workshop storage: keyword-only functions, session in, model out. Never commits."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from service.errors import FieldError, InvalidInput
from service.http.etags import bump_versions
from service.values.times import utc_now
from service.workshops.models import (
    Workshop,
    WorkshopCreate,
    WorkshopParticipant,
    WorkshopPublic,
    WorkshopUpdate,
)


def to_public(*, session: Session, row: Workshop) -> WorkshopPublic:
    """Return the public view of a workshop, with its participant count."""
    count = session.exec(
        select(func.count())
        .select_from(WorkshopParticipant)
        .where(col(WorkshopParticipant.workshop_id) == row.id)
    ).one()
    return WorkshopPublic.model_validate(row, update={"participants": count})


def create_workshop(*, session: Session, data: WorkshopCreate) -> Workshop:
    """Store a new workshop."""
    row = Workshop.model_validate(data.model_dump())
    session.add(row)
    session.flush()
    return row


def list_workshops(*, session: Session) -> list[Workshop]:
    """Return every workshop, newest start first."""
    statement = select(Workshop).order_by(col(Workshop.starts_on).desc(), col(Workshop.id))
    return list(session.exec(statement))


def update_workshop(*, session: Session, row: Workshop, changes: WorkshopUpdate) -> Workshop:
    """Apply the fields sent; dates must stay in order."""
    data = changes.model_dump(exclude_unset=True)
    for required in ("name", "starts_on", "ends_on", "time_zone"):
        if required in data and data[required] is None:
            raise InvalidInput(
                [FieldError(("body", required), "may be changed but not cleared", "not_clearable")]
            )
    starts_on, ends_on = data.get("starts_on", row.starts_on), data.get("ends_on", row.ends_on)
    if ends_on < starts_on:
        raise InvalidInput(
            [FieldError(("body", "ends_on"), "must not be before starts_on", "ends_before_start")]
        )
    row.sqlmodel_update(data)
    row.updated_at = utc_now()
    session.add(row)
    session.flush()
    bump_versions(session, Workshop, [row.id] if row.id else [])
    return row
