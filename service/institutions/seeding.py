"""Load the seed institutions into the database, idempotently."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from seed import load_institutions
from service.institutions import crud
from service.institutions.models import InstitutionCreate


@dataclass(frozen=True, slots=True)
class SeedReport:
    """What a seed run did."""

    created: list[int]
    already_present: int


def load_seed(*, session: Session) -> SeedReport:
    """Create every seed institution not yet stored (same name and country); never update.

    Declared partnerships are resolved from seed keys to ids. Nothing is committed here.
    """
    entries = load_institutions()
    ids: dict[str, int] = {}
    missing = []
    for entry in entries:
        profile = InstitutionCreate.model_validate(entry.profile)
        existing = crud.get_by_name(session=session, name=profile.name, country=profile.country)
        if existing is not None and existing.id is not None:
            ids[entry.key] = existing.id
        else:
            missing.append((entry, profile))
    rows = crud.create_institutions(session=session, items=[p for _, p in missing], bulk=True)
    for (entry, _), row in zip(missing, rows, strict=True):
        assert row.id is not None
        ids[entry.key] = row.id
    for (entry, _), row in zip(missing, rows, strict=True):
        assert row.id is not None
        crud.add_partners(
            session=session, institution_id=row.id, partner_ids=[ids[k] for k in entry.partner_keys]
        )
    return SeedReport(
        created=[row.id for row in rows if row.id is not None],
        already_present=len(entries) - len(missing),
    )
