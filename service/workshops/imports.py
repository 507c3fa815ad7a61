"""Survey imports into a workshop: plan (dry run) and apply, all or nothing, idempotent.

An institution already known by name and country is updated with the survey's answers,
not duplicated; importing the same file again changes nothing. Every imported
institution becomes a participant of the workshop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from service.errors import InvalidInput
from service.institutions import crud
from service.institutions.models import Institution, InstitutionCreate, InstitutionUpdate
from service.workshops import participants as workshops
from service.workshops.schemas import ImportPlanPublic, ImportResult, ImportRowPublic, RejectedRow
from service.workshops.survey import RowError, SurveyParse


@dataclass(frozen=True, slots=True)
class _Update:
    row: int
    existing: Institution
    changes: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import would do."""

    create: list[tuple[int, InstitutionCreate]]
    update: list[_Update]
    unchanged: list[tuple[int, Institution]]
    rejected: tuple[RowError, ...]
    warnings: tuple[str, ...]


def _changes(existing: Institution, profile: InstitutionCreate) -> dict[str, Any]:
    """Return the survey's answers that differ from what is stored."""
    answers = profile.model_dump(mode="json", exclude_unset=True, exclude={"existing_partners"})
    return {
        name: value
        for name, value in answers.items()
        if (str(getattr(existing, name)) if name == "kind" else getattr(existing, name)) != value
    }


def plan_import(*, session: Session, parsed: SurveyParse) -> ImportPlan:
    """Match each valid row to a stored institution (by name and country) or a new one."""
    create: list[tuple[int, InstitutionCreate]] = []
    update: list[_Update] = []
    unchanged: list[tuple[int, Institution]] = []
    for item in parsed.rows:
        existing = crud.get_by_name(
            session=session, name=item.profile.name, country=item.profile.country
        )
        if existing is None:
            create.append((item.row, item.profile))
        elif changes := _changes(existing, item.profile):
            update.append(_Update(item.row, existing, changes))
        else:
            unchanged.append((item.row, existing))
    return ImportPlan(create, update, unchanged, parsed.errors, parsed.warnings)


def plan_out(plan: ImportPlan) -> ImportPlanPublic:
    """Return the dry-run report of a plan."""
    return ImportPlanPublic(
        create=[ImportRowPublic(row=row, name=p.name, country=p.country) for row, p in plan.create],
        update=[
            ImportRowPublic(
                row=u.row,
                name=u.existing.name,
                country=u.existing.country,
                institution_id=u.existing.id,
                changed=sorted(u.changes),
            )
            for u in plan.update
        ],
        unchanged=[
            ImportRowPublic(row=row, name=r.name, country=r.country, institution_id=r.id)
            for row, r in plan.unchanged
        ],
        rejected=[RejectedRow(row=e.row, column=e.column, reason=e.reason) for e in plan.rejected],
        warnings=list(plan.warnings),
    )


def apply_import(*, session: Session, workshop_id: int, plan: ImportPlan) -> ImportResult:
    """Carry out a plan without rejected rows; the caller commits (or nothing happens)."""
    if plan.rejected:
        raise InvalidInput([error.field_error() for error in plan.rejected])
    created = crud.create_institutions(session=session, items=[p for _, p in plan.create])
    for change in plan.update:
        crud.update_institution(
            session=session,
            row=change.existing,
            changes=InstitutionUpdate.model_validate(change.changes),
        )
    ids = [
        *(row.id for row in created),
        *(u.existing.id for u in plan.update),
        *(r.id for _, r in plan.unchanged),
    ]
    participants = [pid for pid in ids if pid is not None]
    workshops.add_participants(
        session=session, workshop_id=workshop_id, institution_ids=participants
    )
    return ImportResult(
        created=[row.id for row in created if row.id is not None],
        updated=[u.existing.id for u in plan.update if u.existing.id is not None],
        unchanged=[r.id for _, r in plan.unchanged if r.id is not None],
        participants=len(workshops.participant_ids(session=session, workshop_id=workshop_id)),
    )
