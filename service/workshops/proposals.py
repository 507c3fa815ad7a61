"""Profile proposals: survey answers an import may not write into someone else's profile.

The institution (its key, or an admin) reads them, and accepts (the changes are applied
as if it had made them) or dismisses them. Re-importing the same file proposes nothing new.
"""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Session, col, select

from service.alerts.triggers import institution_candidates, institutions_written
from service.errors import Conflict, NotFound
from service.institutions import crud
from service.institutions.index import MatchIndex
from service.institutions.models import Institution, InstitutionUpdate
from service.values.times import utc_now
from service.workshops.models import ProfileProposal, Workshop
from service.workshops.survey_schemas import FieldChange, ProposalPublic


def propose(
    *, session: Session, workshop_id: int, institution_id: int, changes: InstitutionUpdate
) -> None:
    """Record the workshop's proposal for the institution; an open one is replaced.

    The same changes proposed again (open, accepted or dismissed) are not proposed twice.
    """
    values = changes.model_dump(mode="json", exclude_unset=True)
    latest = session.exec(
        select(ProfileProposal)
        .where(
            col(ProfileProposal.workshop_id) == workshop_id,
            col(ProfileProposal.institution_id) == institution_id,
        )
        .order_by(col(ProfileProposal.id).desc())
        .limit(1)
    ).first()
    if latest is not None and latest.changes == values:
        return
    if latest is not None and latest.status == "open":
        latest.changes = values
        latest.created_at = utc_now()
        session.add(latest)
        return
    session.add(
        ProfileProposal(workshop_id=workshop_id, institution_id=institution_id, changes=values)
    )


def _json(value: object) -> object:
    return str(value) if isinstance(value, StrEnum) else value


def _out(row: ProfileProposal, workshop: Workshop | None, current: Institution) -> ProposalPublic:
    assert row.id is not None
    # Validated as the update it is, then shown as JSON values beside the current ones.
    changes = InstitutionUpdate.model_validate(row.changes).model_dump(
        mode="json", exclude_unset=True
    )
    return ProposalPublic(
        id=row.id,
        institution_id=row.institution_id,
        workshop_id=row.workshop_id,
        workshop_name=workshop.name if workshop is not None else "",
        status=row.status,
        changes=[
            FieldChange(field=name, current=_json(getattr(current, name)), proposed=value)
            for name, value in changes.items()
        ],
        created_at=row.created_at,
        decided_at=row.decided_at,
    )


def list_proposals(
    *, session: Session, institution: Institution, only_open: bool = False
) -> list[ProposalPublic]:
    """Return the institution's proposals, newest first."""
    statement = select(ProfileProposal, Workshop).join(
        Workshop, col(Workshop.id) == ProfileProposal.workshop_id
    )
    statement = statement.where(col(ProfileProposal.institution_id) == institution.id)
    if only_open:
        statement = statement.where(col(ProfileProposal.status) == "open")
    rows = session.exec(statement.order_by(col(ProfileProposal.id).desc()))
    return [_out(row, workshop, institution) for row, workshop in rows]


def _open(session: Session, institution: Institution, proposal_id: int) -> ProfileProposal:
    row = session.get(ProfileProposal, proposal_id)
    if row is None or row.institution_id != institution.id:
        raise NotFound("proposal", proposal_id)
    if row.status != "open":
        raise Conflict(f"proposal {proposal_id} was already {row.status}")
    return row


def accept(
    *, session: Session, index: MatchIndex, institution: Institution, proposal_id: int
) -> ProposalPublic:
    """Apply the proposal's changes to the profile, commit, and tell the index and alerts."""
    row = _open(session, institution, proposal_id)
    assert institution.id is not None
    before = institution_candidates(session=session, rows=[institution])
    crud.update_institution(
        session=session, row=institution, changes=InstitutionUpdate.model_validate(row.changes)
    )
    row.status, row.decided_at = "accepted", utc_now()
    session.add(row)
    session.commit()
    index.catch_up()
    institutions_written(session=session, index=index, ids=[institution.id], before=before)
    return _out(row, session.get(Workshop, row.workshop_id), institution)


def dismiss(*, session: Session, institution: Institution, proposal_id: int) -> ProposalPublic:
    """Mark the proposal dismissed; the profile stays as it is."""
    row = _open(session, institution, proposal_id)
    row.status, row.decided_at = "dismissed", utc_now()
    session.add(row)
    session.commit()
    return _out(row, session.get(Workshop, row.workshop_id), institution)
