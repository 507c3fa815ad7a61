"""Stored institutions as the matching library sees them, read for the index."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from matching import Profile
from service.db import session_scope
from service.institutions import crud
from service.institutions.generations import Position
from service.institutions.models import (
    IndexChange,
    Institution,
    InstitutionCreate,
    InstitutionProfile,
)
from service.values.times import utc_now

__all__ = ["CHANGE_OVERLAP", "draft_profile", "load_profiles", "read_everything", "to_profile"]

# How far back (in change-log ids) each catch-up looks, for ids committed out of order.
CHANGE_OVERLAP = 1000


def _as_profile(
    source: InstitutionProfile,
    *,
    profile_id: int | None,
    partners: Iterable[int],
    worked_with: Iterable[int] = (),
) -> Profile:
    return Profile(
        id=profile_id,
        name=source.name,
        country=source.country,
        city=source.city or "",
        kind=str(source.kind),
        fields=tuple(source.fields),
        needs=tuple(source.needs),
        offers=tuple(source.offers),
        programs=tuple(source.programs),
        description=source.description,
        languages=tuple(source.languages),
        existing_partners=frozenset(partners),
        worked_with=frozenset(worked_with),
    )


def to_profile(
    row: Institution, partners: Sequence[int], worked_with: Sequence[int] = ()
) -> Profile:
    """Return the matching library's view of a stored institution."""
    return _as_profile(row, profile_id=row.id, partners=partners, worked_with=worked_with)


def draft_profile(data: InstitutionCreate) -> Profile:
    """Return the matching library's view of a profile that is not stored."""
    return _as_profile(data, profile_id=None, partners=data.existing_partners)


def read_everything(engine: Engine) -> tuple[Position, list[Profile]]:
    """Return the change-log position and every stored profile, consistently.

    The recent change log is read first: every change listed is in the rows read next,
    so it counts as seen; one committed later (even with a lower id) is not listed and
    is caught up afterwards, never missed.
    """
    with session_scope(engine) as session:
        taken_at = utc_now()
        newest = session.exec(select(func.max(IndexChange.id))).one() or 0
        seen = session.exec(
            select(IndexChange.id).where(col(IndexChange.id) > newest - CHANGE_OVERLAP)
        )
        position = Position(
            last_change=newest,
            seen=frozenset(cid for cid in seen if cid is not None),
            taken_at=taken_at,
        )
        profiles = list(load_profiles(session, None).values())
    return position, profiles


def load_profiles(session: Session, ids: Sequence[int] | None) -> dict[int, Profile]:
    """Return the stored profiles with these ids (all of them for ``None``)."""
    rows = crud.all_institutions(session=session, ids=ids)
    ids = [r.id for r in rows if r.id]
    partners = crud.partners_of(session=session, institution_ids=ids)
    worked_with = crud.worked_with(session=session, institution_ids=ids)
    return {
        row.id: to_profile(row, partners[row.id], worked_with[row.id])
        for row in rows
        if row.id is not None
    }
