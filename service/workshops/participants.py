"""A workshop's participants: who they are, and replacing or adding them. Never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, delete, select
from sqlmodel.sql.expression import SelectOfScalar

from service.errors import FieldError, InvalidInput
from service.http.etags import bump_versions
from service.institutions import crud
from service.institutions.models import Institution
from service.workshops.models import Workshop, WorkshopParticipant


def participants_query(workshop_id: int) -> SelectOfScalar[Institution]:
    """Return the select of a workshop's participants, in no order (see pagination)."""
    return (
        select(Institution)
        .join(WorkshopParticipant, col(WorkshopParticipant.institution_id) == Institution.id)
        .where(col(WorkshopParticipant.workshop_id) == workshop_id)
    )


def participant_ids(*, session: Session, workshop_id: int) -> list[int]:
    """Return the ids of a workshop's participants, ascending."""
    statement = (
        select(WorkshopParticipant.institution_id)
        .where(col(WorkshopParticipant.workshop_id) == workshop_id)
        .order_by(col(WorkshopParticipant.institution_id))
    )
    return list(session.exec(statement))


def set_participants(*, session: Session, workshop_id: int, institution_ids: Sequence[int]) -> None:
    """Replace a workshop's participants; every id must name an institution."""
    wanted = list(dict.fromkeys(institution_ids))
    known = {row.id for row in crud.all_institutions(session=session, ids=wanted)}
    errors = [
        FieldError(
            ("body", "institution_ids", i),
            f"no institution has id {pid}",
            "unknown_institution",
            (("id", pid),),
        )
        for i, pid in enumerate(institution_ids)
        if pid not in known
    ]
    if errors:
        raise InvalidInput(errors)
    session.exec(
        delete(WorkshopParticipant).where(col(WorkshopParticipant.workshop_id) == workshop_id)
    )
    session.add_all(
        WorkshopParticipant(workshop_id=workshop_id, institution_id=pid) for pid in wanted
    )
    session.flush()
    bump_versions(session, Workshop, [workshop_id])


def add_participants(*, session: Session, workshop_id: int, institution_ids: Sequence[int]) -> None:
    """Add institutions to a workshop, keeping those already there."""
    present = set(participant_ids(session=session, workshop_id=workshop_id))
    session.add_all(
        WorkshopParticipant(workshop_id=workshop_id, institution_id=pid)
        for pid in dict.fromkeys(institution_ids)
        if pid not in present
    )
    session.flush()
    bump_versions(session, Workshop, [workshop_id])
