"""Workshops: participants, and pairing runs computed from the matching index."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, delete, select
from sqlmodel.sql.expression import SelectOfScalar

from matching import PairingRules, PairingSolver
from service.errors import FieldError, InvalidInput, UnknownPairingRun
from service.http.etags import bump_versions
from service.institutions import crud
from service.institutions.index import MatchIndex
from service.institutions.models import Institution
from service.meetings.operations import declined_pairs
from service.values.times import utc_now
from service.webhooks.outbox import Event, EventType, enqueue
from service.workshops.models import (
    Outcome,
    PairingRun,
    Workshop,
    WorkshopCreate,
    WorkshopParticipant,
    WorkshopPublic,
    WorkshopUpdate,
)
from service.workshops.schemas import (
    AlternateOut,
    CountryCount,
    InstitutionRef,
    OutcomeIn,
    OutcomeOut,
    PairingDiff,
    PairingRequest,
    PairingRunOut,
    PairingRunSummary,
    PairOut,
    UnpairedOut,
    WorkshopReport,
)


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
            raise InvalidInput([FieldError(("body", required), "may be changed but not cleared")])
    starts_on, ends_on = data.get("starts_on", row.starts_on), data.get("ends_on", row.ends_on)
    if ends_on < starts_on:
        raise InvalidInput([FieldError(("body", "ends_on"), "must not be before starts_on")])
    row.sqlmodel_update(data)
    row.updated_at = utc_now()
    session.add(row)
    session.flush()
    bump_versions(session, Workshop, [row.id] if row.id else [])
    return row


def set_participants(*, session: Session, workshop_id: int, institution_ids: Sequence[int]) -> None:
    """Replace a workshop's participants; every id must name an institution."""
    wanted = list(dict.fromkeys(institution_ids))
    known = {row.id for row in crud.all_institutions(session=session, ids=wanted)}
    errors = [
        FieldError(("body", "institution_ids", i), f"no institution has id {pid}")
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


# -- pairing runs ---------------------------------------------------------------------------


def _rules(request: PairingRequest, declared: set[tuple[int, int]]) -> PairingRules:
    country_groups, allowed = request.groups()
    forbidden = {tuple(sorted(pair)) for pair in request.forbidden} | declared
    try:
        return PairingRules(
            max_partners=request.max_partners,
            max_partners_by_id=dict(request.max_partners_by_id),
            min_partners=request.min_partners,
            cross_border_only=request.cross_border_only,
            country_groups=country_groups,
            allowed_group_pairs=allowed,
            forbidden=frozenset((a, b) for a, b in forbidden),
            locked=frozenset((min(p), max(p)) for p in request.locked),
            min_score=request.min_score,
            fairness=request.fairness,
        )
    except ValueError as error:
        raise InvalidInput([FieldError(("body",), str(error))]) from error


def _declared_pairs(session: Session, ids: Sequence[int]) -> set[tuple[int, int]]:
    among = set(ids)
    partners = crud.partners_of(session=session, institution_ids=list(ids))
    return {
        (min(a, b), max(a, b)) for a, bs in partners.items() for b in bs if b in among and a != b
    }


def run_pairing(
    *, session: Session, index: MatchIndex, workshop: Workshop, request: PairingRequest
) -> PairingRun:
    """Compute optimal pre-pairings for a workshop's participants and store them as a run."""
    assert workshop.id is not None
    ids = participant_ids(session=session, workshop_id=workshop.id)
    if len(ids) < 2:
        raise InvalidInput([FieldError(("path", "workshop_id"), "needs at least 2 participants")])
    for field_name, pairs in (("locked", request.locked), ("forbidden", request.forbidden)):
        for i, pair in enumerate(pairs):
            strangers = [pid for pid in pair if pid not in set(ids)]
            if strangers and field_name == "locked":
                raise InvalidInput(
                    [FieldError(("body", field_name, i), f"{strangers[0]} is not a participant")]
                )
    rows = {row.id: row for row in crud.all_institutions(session=session, ids=ids)}
    unseen = [pid for pid in ids if index.profile(pid) is None]
    if unseen:  # written through another instance, and not yet read from the change log
        index.sync(unseen)
    scores = index.score_matrix(ids)
    # Declared partners, and pairs one of which declined the other's meeting request.
    never = _declared_pairs(session, ids) | declined_pairs(session=session, ids=ids)
    rules = _rules(request, never)
    solver = PairingSolver(
        candidates=request.candidates, time_limit=request.time_limit, mip_gap=request.tolerance
    )
    try:
        result = solver.solve(ids, [rows[pid].country for pid in ids], scores, rules)
    except ValueError as error:
        raise InvalidInput([FieldError(("body", "locked"), str(error))]) from error
    explained = index.explain_pairs([(pair.a, pair.b) for pair in result.pairs])
    locked = {(min(p), max(p)) for p in request.locked}

    def ref(pid: int) -> dict[str, Any]:
        return {"id": pid, "name": rows[pid].name, "country": rows[pid].country}

    stored = {
        "participants": len(ids),
        "total": result.total,
        "upper_bound": result.upper_bound,
        "gap": result.gap,
        "objective": result.objective,
        "floor": result.floor,
        "solver_seconds": result.solver_seconds,
        "pairs": [
            {
                "a": ref(pair.a),
                "b": ref(pair.b),
                "score": pair.score,
                "components": asdict(match.components),
                "reasons": list(match.reasons),
                "locked": (pair.a, pair.b) in locked,
            }
            for pair, match in zip(result.pairs, explained, strict=True)
        ],
        "alternates": [
            {"institution_id": alt.id, "partner": ref(alt.partner), "score": alt.score}
            for alt in result.alternates
        ],
        "unpaired": [
            {"institution": ref(item.id), "reason": item.reason} for item in result.unpaired
        ],
    }
    latest = session.exec(
        select(func.max(PairingRun.number)).where(col(PairingRun.workshop_id) == workshop.id)
    ).one()
    run = PairingRun(
        workshop_id=workshop.id,
        number=(latest or 0) + 1,
        rules=request.model_dump(mode="json"),
        result=stored,
    )
    session.add(run)
    session.flush()
    summary = {
        "workshop_id": workshop.id,
        "run": run.number,
        "created_at": run.created_at.isoformat(),
        "participants": len(ids),
        "total": result.total,
        "upper_bound": result.upper_bound,
        "gap": result.gap,
        "pairs": [{"a": ref(p.a), "b": ref(p.b), "score": p.score} for p in result.pairs],
        "unpaired": [ref(item.id) for item in result.unpaired],
    }
    enqueue(session, [Event(EventType.pairing_completed, summary, workshop_id=workshop.id)])
    return run


def get_run(*, session: Session, workshop_id: int, number: int) -> PairingRun:
    """Return a workshop's pairing run by number, or raise UnknownPairingRun."""
    run = session.exec(
        select(PairingRun).where(
            col(PairingRun.workshop_id) == workshop_id, col(PairingRun.number) == number
        )
    ).first()
    if run is None:
        raise UnknownPairingRun(workshop_id, number)
    return run


def runs_query(workshop_id: int) -> SelectOfScalar[PairingRun]:
    """Return the select of a workshop's pairing runs, in no order (see pagination)."""
    return select(PairingRun).where(col(PairingRun.workshop_id) == workshop_id)


def run_summary(run: PairingRun) -> PairingRunSummary:
    """Return how a pairing run is listed."""
    return PairingRunSummary(
        number=run.number,
        created_at=run.created_at,
        pairs=len(run.result["pairs"]),
        total=run.result["total"],
        gap=run.result["gap"],
    )


def list_runs(*, session: Session, workshop_id: int) -> list[PairingRunSummary]:
    """Return a workshop's pairing runs, oldest first."""
    runs = session.exec(runs_query(workshop_id).order_by(col(PairingRun.number)))
    return [run_summary(run) for run in runs]


def run_out(run: PairingRun) -> PairingRunOut:
    """Return the API view of a stored run."""
    return PairingRunOut(
        workshop_id=run.workshop_id,
        number=run.number,
        created_at=run.created_at,
        rules=PairingRequest.model_validate(run.rules),
        participants=run.result["participants"],
        total=run.result["total"],
        upper_bound=run.result["upper_bound"],
        gap=run.result["gap"],
        objective=run.result["objective"],
        floor=run.result["floor"],
        solver_seconds=run.result["solver_seconds"],
        pairs=[PairOut.model_validate(pair) for pair in run.result["pairs"]],
        alternates=[AlternateOut.model_validate(alt) for alt in run.result["alternates"]],
        unpaired=[UnpairedOut.model_validate(item) for item in run.result["unpaired"]],
    )


def _pair_set(run: PairingRun) -> dict[tuple[int, int], float]:
    return {(p["a"]["id"], p["b"]["id"]): p["score"] for p in run.result["pairs"]}


def diff_runs(run: PairingRun, against: PairingRun) -> PairingDiff:
    """Return which pairs ``run`` adds and removes compared with ``against``."""
    now, before = _pair_set(run), _pair_set(against)
    return PairingDiff(
        run=run.number,
        against=against.number,
        added=[list(pair) for pair in sorted(now.keys() - before.keys())],
        removed=[list(pair) for pair in sorted(before.keys() - now.keys())],
        kept=len(now.keys() & before.keys()),
        total_change=run.result["total"] - against.result["total"],
    )


def institution_ref(row: Institution) -> InstitutionRef:
    """Return the short reference to an institution used in pairings."""
    assert row.id is not None
    return InstitutionRef(id=row.id, name=row.name, country=row.country)


# -- outcomes and report --------------------------------------------------------------------


def record_outcome(*, session: Session, workshop_id: int, data: OutcomeIn) -> Outcome:
    """Record (or replace) what happened to a pair of participants."""
    a, b = sorted(data.pair)
    present = set(participant_ids(session=session, workshop_id=workshop_id))
    errors = [
        FieldError(("body", "pair", i), f"{pid} is not a participant of this workshop")
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


def list_outcomes(*, session: Session, workshop_id: int) -> list[OutcomeOut]:
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
        OutcomeOut(
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
        suggested = set(_pair_set(run))
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
    )
