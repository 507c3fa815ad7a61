"""Outcomes of a workshop (met, MoU signed, declined) and its report. Never commits."""

from __future__ import annotations

from sqlmodel import Session, col, select

from service.errors import FieldError, InvalidInput
from service.institutions import crud
from service.values.times import utc_now
from service.webhooks.outbox import Event, EventType, enqueue
from service.workshops import answers
from service.workshops.models import Outcome
from service.workshops.participants import participant_ids
from service.workshops.runs import get_run, institution_ref, list_runs, pair_scores
from service.workshops.schemas import (
    CountryCount,
    OutcomeIn,
    OutcomePublic,
    WorkshopReport,
)


def store_outcome(*, session: Session, workshop_id: int, data: OutcomeIn) -> Outcome:
    """Record (or replace) what happened to a pair of participants."""
    a, b = sorted(data.pair)
    present = set(participant_ids(session=session, workshop_id=workshop_id))
    errors = [
        FieldError(
            ("body", "pair", i),
            f"{pid} is not a participant of this workshop",
            "not_participant",
            (("participant", pid),),
        )
        for i, pid in enumerate(data.pair)
        if pid not in present
    ]
    if errors:
        raise InvalidInput(errors)
    if data.run is not None:
        get_run(session=session, workshop_id=workshop_id, number=data.run)
    row = session.exec(
        select(Outcome).where(
            col(Outcome.workshop_id) == workshop_id,
            col(Outcome.institution_a) == a,
            col(Outcome.institution_b) == b,
        )
    ).first() or Outcome(workshop_id=workshop_id, institution_a=a, institution_b=b, status="")
    row.status = data.status
    row.happened_on = data.happened_on
    row.note = data.note
    row.run_number = data.run
    row.recorded_at = utc_now()
    session.add(row)
    session.flush()
    # Met or signed, the pair is an edge of the partner graph; declined, no longer.
    crud.log_index_changes(session=session, institution_ids=(a, b))
    recorded = {
        "workshop_id": workshop_id,
        "pair": [a, b],
        "status": row.status,
        "happened_on": row.happened_on.isoformat() if row.happened_on else None,
        "note": row.note,
        "run": row.run_number,
        "recorded_at": row.recorded_at.isoformat(),
    }
    enqueue(session, [Event(EventType.outcome_recorded, recorded, workshop_id=workshop_id)])
    return row


def list_outcomes(*, session: Session, workshop_id: int) -> list[OutcomePublic]:
    """Return a workshop's outcomes by pair."""
    rows = list(
        session.exec(
            select(Outcome)
            .where(col(Outcome.workshop_id) == workshop_id)
            .order_by(col(Outcome.institution_a), col(Outcome.institution_b))
        )
    )
    ids = sorted({pid for row in rows for pid in (row.institution_a, row.institution_b)})
    refs = {row.id: institution_ref(row) for row in crud.all_institutions(session=session, ids=ids)}
    return [
        OutcomePublic(
            a=refs[row.institution_a],
            b=refs[row.institution_b],
            status=row.status,
            happened_on=row.happened_on,
            note=row.note,
            run=row.run_number,
            recorded_at=row.recorded_at,
        )
        for row in rows
    ]


def report(*, session: Session, workshop_id: int, run_number: int | None) -> WorkshopReport:
    """Compare a run's suggestions with what happened."""
    ids = participant_ids(session=session, workshop_id=workshop_id)
    rows = crud.all_institutions(session=session, ids=ids)
    if run_number is None:
        latest = list_runs(session=session, workshop_id=workshop_id)
        run_number = latest[-1].number if latest else None
    suggested: set[tuple[int, int]] = set()
    if run_number is not None:
        run = get_run(session=session, workshop_id=workshop_id, number=run_number)
        suggested = set(pair_scores(run))
    outcomes = list(session.exec(select(Outcome).where(col(Outcome.workshop_id) == workshop_id)))
    signed = {(o.institution_a, o.institution_b) for o in outcomes if o.status == "mou_signed"}
    paired = {pid for pair in suggested for pid in pair}
    countries: dict[str, int] = {}
    for row in rows:
        countries[row.country] = countries.get(row.country, 0) + 1
    return WorkshopReport(
        workshop_id=workshop_id,
        run=run_number,
        participants=len(ids),
        by_country=[
            CountryCount(country=c, participants=n)
            for c, n in sorted(countries.items(), key=lambda item: (-item[1], item[0]))
        ],
        pairs_suggested=len(suggested),
        met=sum(o.status in ("met", "mou_signed") for o in outcomes),
        mous_signed=len(signed),
        declined=sum(o.status == "declined" for o in outcomes),
        mous_suggested_share=len(signed & suggested) / len(signed) if signed else None,
        never_suggested=[institution_ref(row) for row in rows if row.id not in paired],
        survey_answers=answers.list_answers(session=session, workshop_id=workshop_id),
    )
