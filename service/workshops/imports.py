"""Survey imports into a workshop: plan (dry run) and apply, all or nothing, idempotent.

Each valid row is one of:

- **create**: no institution has this name and country; it is created, and this
  workshop is recorded as where it came from;
- **update** / **unchanged**: the institution was created by this workshop's imports and
  no institution key has claimed it; the survey's answers replace what differs;
- **proposal** / **participant**: any other institution; the import never changes its
  profile, but lists the differing answers as a proposal the institution may accept or
  dismiss (``participant``: nothing differs).

Every row's institution becomes a participant of the workshop, and its Q2-Q4 answers are
stored apart (:mod:`service.workshops.answers`). A description that still holds the block
an earlier import wrote from those same answers loses it: the answers move, never twice.
Importing the same file again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlmodel import Session, col, select

from service.auth.models import ApiKey
from service.errors import InvalidInput
from service.institutions import crud
from service.institutions.models import Institution, InstitutionCreate, InstitutionUpdate
from service.workshops import answers as survey_answers
from service.workshops import participants as workshops
from service.workshops import proposals
from service.workshops.import_schemas import (
    ImportPlanPublic,
    ImportResult,
    ImportRowPublic,
    RejectedRow,
)
from service.workshops.models import SurveyOrigin
from service.workshops.survey import RowError, SurveyAnswers, SurveyParse
from service.workshops.survey.answers import without_legacy_block

Action = Literal["create", "update", "unchanged", "proposal", "participant"]


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """One valid row and what the import does with it.

    ``changes`` are the answers that differ from the stored profile (applied for
    ``update``, proposed for ``proposal``); ``moved`` is the stored description without
    the block an earlier import wrote, when it held one.
    """

    row: int
    action: Action
    profile: InstitutionCreate
    answers: SurveyAnswers
    existing: Institution | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    moved: str | None = None


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import would do."""

    rows: tuple[PlannedRow, ...]
    rejected: tuple[RowError, ...]
    warnings: tuple[RowError, ...]

    def having(self, action: Action) -> list[PlannedRow]:
        """Return the rows the import handles this way, in file order."""
        return [row for row in self.rows if row.action == action]

    def written(self) -> list[Institution]:
        """Return the stored institutions whose profile applying the plan changes."""
        return [
            row.existing
            for row in self.rows
            if row.existing is not None and (row.action == "update" or row.moved is not None)
        ]


def _changes(existing: Institution, profile: InstitutionCreate, description: str) -> dict[str, Any]:
    """Return the survey's answers that differ from what is stored."""
    answers = profile.model_dump(mode="json", exclude_unset=True, exclude={"existing_partners"})
    stored: dict[str, Any] = {name: getattr(existing, name) for name in answers}
    if "kind" in stored:
        stored["kind"] = str(stored["kind"])
    if "description" in stored:
        stored["description"] = description
    return {name: value for name, value in answers.items() if stored[name] != value}


def _claimed(session: Session, institution_id: int) -> bool:
    """Whether any institution key (even a revoked one) was ever issued for it."""
    statement = select(ApiKey.id).where(col(ApiKey.institution_id) == institution_id).limit(1)
    return session.exec(statement).first() is not None


def _made_here(session: Session, institution_id: int, workshop_id: int) -> bool:
    origin = session.get(SurveyOrigin, institution_id)
    return origin is not None and origin.workshop_id == workshop_id


def plan_import(*, session: Session, workshop_id: int, parsed: SurveyParse) -> ImportPlan:
    """Decide for each valid row: create, update, unchanged, proposal or participant."""
    planned: list[PlannedRow] = []
    for item in parsed.rows:
        existing = crud.get_by_name(
            session=session, name=item.profile.name, country=item.profile.country
        )
        if existing is None or existing.id is None:
            planned.append(PlannedRow(item.row, "create", item.profile, item.answers))
            continue
        cleaned = without_legacy_block(existing.description, item.answers)
        moved = cleaned if cleaned != existing.description else None
        changes = _changes(existing, item.profile, cleaned)
        own = _made_here(session, existing.id, workshop_id) and not _claimed(session, existing.id)
        action: Action
        if own:
            action = "update" if changes or moved is not None else "unchanged"
        else:
            action = "proposal" if changes else "participant"
        planned.append(
            PlannedRow(item.row, action, item.profile, item.answers, existing, changes, moved)
        )
    return ImportPlan(tuple(planned), parsed.errors, parsed.warnings)


def _row_out(row: PlannedRow) -> ImportRowPublic:
    name, country = (
        (row.existing.name, row.existing.country)
        if row.existing is not None
        else (row.profile.name, row.profile.country)
    )
    return ImportRowPublic(
        row=row.row,
        name=name,
        country=country,
        institution_id=row.existing.id if row.existing is not None else None,
        changed=sorted(row.changes),
        answers_moved=row.moved is not None,
    )


def plan_out(plan: ImportPlan) -> ImportPlanPublic:
    """Return the dry-run report of a plan."""
    return ImportPlanPublic(
        create=[_row_out(row) for row in plan.having("create")],
        update=[_row_out(row) for row in plan.having("update")],
        unchanged=[_row_out(row) for row in plan.having("unchanged")],
        proposal=[_row_out(row) for row in plan.having("proposal")],
        participant=[_row_out(row) for row in plan.having("participant")],
        rejected=[RejectedRow(row=e.row, column=e.column, reason=e.reason) for e in plan.rejected],
        warnings=[warning.reason for warning in plan.warnings],
    )


def apply_import(*, session: Session, workshop_id: int, plan: ImportPlan) -> ImportResult:
    """Carry out a plan without rejected rows; the caller commits (or nothing happens)."""
    if plan.rejected:
        raise InvalidInput([error.field_error() for error in plan.rejected])
    created = crud.create_institutions(
        session=session, items=[row.profile for row in plan.having("create")]
    )
    ids: dict[int, int] = {}  # spreadsheet row -> institution id
    for planned, made in zip(plan.having("create"), created, strict=True):
        assert made.id is not None
        ids[planned.row] = made.id
        session.add(SurveyOrigin(institution_id=made.id, workshop_id=workshop_id))
    proposed: list[int] = []
    for row in plan.rows:
        if row.existing is None or row.existing.id is None:
            continue
        ids[row.row] = row.existing.id
        changes = dict(row.changes) if row.action == "update" else {}
        if row.moved is not None and "description" not in changes:
            changes["description"] = row.moved
        if changes:
            crud.update_institution(
                session=session,
                row=row.existing,
                changes=InstitutionUpdate.model_validate(changes),
            )
        if row.action == "proposal":
            proposals.propose(
                session=session,
                workshop_id=workshop_id,
                institution_id=row.existing.id,
                changes=InstitutionUpdate.model_validate(row.changes),
            )
            proposed.append(row.existing.id)
    for row in plan.rows:
        survey_answers.store(
            session=session,
            workshop_id=workshop_id,
            institution_id=ids[row.row],
            answers=row.answers,
        )
    workshops.add_participants(
        session=session, workshop_id=workshop_id, institution_ids=list(ids.values())
    )
    session.flush()
    written = {row.id for row in plan.written()}

    def listed(action: Action) -> list[int]:
        return [ids[row.row] for row in plan.having(action)]

    return ImportResult(
        created=[row.id for row in created if row.id is not None],
        updated=[pid for pid in ids.values() if pid in written],
        unchanged=listed("unchanged"),
        proposal=proposed,
        participant=listed("participant"),
        participants=len(workshops.participant_ids(session=session, workshop_id=workshop_id)),
    )
