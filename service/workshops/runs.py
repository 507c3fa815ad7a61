"""Pairing runs: computed from the matching index, stored numbered, read and compared.

Never commits: ``service.workshops.operations`` does, and what follows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace

import numpy as np
import numpy.typing as npt
from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from matching import PairingRules, PairingSolver
from matching.pairing import LockRefused, fit_locks
from matching.pairing.problem import RuleBroken
from service.db import hold_lock
from service.errors import FieldError, InvalidInput, unknown_run
from service.institutions import crud
from service.institutions.index import MatchIndex
from service.institutions.models import Institution
from service.institutions.schemas import MatchComponents
from service.meetings.operations import declined_pairs, requested_pairs
from service.webhooks.outbox import Event, EventType, enqueue
from service.workshops.models import PairingRun, Workshop
from service.workshops.participants import participant_ids
from service.workshops.results import RunResult
from service.workshops.schemas import (
    AlternatePublic,
    InstitutionRef,
    PairingDiff,
    PairingRequest,
    PairingRunPublic,
    PairingRunSummary,
    PairPublic,
    PairReason,
    RequestNotKept,
    UnpairedPublic,
)

Scores = npt.NDArray[np.float32]


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


def _kept_requests(
    ids: Sequence[int],
    countries: Sequence[str],
    scores: Scores,
    rules: PairingRules,
    request: PairingRequest,
    accepted: Sequence[tuple[int, int]],
) -> tuple[list[tuple[int, int]], list[LockRefused]]:
    """The accepted requests locked on top of the organiser's rules, and those that cannot
    be, with why; with ``keep_accepted_requests`` off, none is locked and none reported."""
    if not request.keep_accepted_requests or not accepted:
        return [], []
    try:
        return fit_locks(ids, countries, scores, rules, accepted)
    except ValueError as error:  # the organiser's own locks break a rule: said by the solve
        raise InvalidInput([FieldError(("body", "locked"), str(error))]) from error


def _with_bonus(
    scores: Scores, ids: Sequence[int], pairs: set[tuple[int, int]], bonus: float
) -> Scores:
    """Add ``bonus`` to the score of each of ``pairs`` that scores above 0, capped at 1."""
    if not pairs or bonus == 0:
        return scores
    row_of = {pid: row for row, pid in enumerate(ids)}
    raised = scores.copy()
    for a, b in pairs:
        i, j = row_of[a], row_of[b]
        if raised[i, j] > 0:
            raised[i, j] = raised[j, i] = min(1.0, raised[i, j] + bonus)
    return raised


def compute_run(
    *, session: Session, index: MatchIndex, workshop: Workshop, request: PairingRequest
) -> PairingRun:
    """Compute optimal pre-pairings for a workshop's participants and store them as a run."""
    assert workshop.id is not None
    ids = participant_ids(session=session, workshop_id=workshop.id)
    if len(ids) < 2:
        raise InvalidInput(
            [FieldError(("path", "workshop_id"), "needs at least 2 participants", "too_few")]
        )
    for field_name, pairs in (("locked", request.locked), ("forbidden", request.forbidden)):
        for i, pair in enumerate(pairs):
            strangers = [pid for pid in pair if pid not in set(ids)]
            if strangers and field_name == "locked":
                message = f"{strangers[0]} is not a participant"
                params = (("participant", strangers[0]),)
                error = FieldError(("body", field_name, i), message, "not_participant", params)
                raise InvalidInput([error])
    rows = {row.id: row for row in crud.all_institutions(session=session, ids=ids)}
    unseen = [pid for pid in ids if index.profile(pid) is None]
    if unseen:  # written through another instance, and not yet read from the change log
        index.sync(unseen)
    scores = index.score_matrix(ids)
    countries = [rows[pid].country for pid in ids]
    # Declared partners, and pairs one of which declined the other's meeting request.
    never = _declared_pairs(session, ids) | declined_pairs(session=session, ids=ids)
    rules = _rules(request, never)
    asked = requested_pairs(session=session, ids=ids, workshop_id=workshop.id)
    kept, not_kept = _kept_requests(ids, countries, scores, rules, request, asked.accepted)
    rules = replace(rules, locked=rules.locked | frozenset(kept))
    preferred = asked.pending | (set(asked.accepted) - set(kept))
    scores = _with_bonus(scores, ids, preferred, request.request_bonus)
    solver = PairingSolver(
        candidates=request.candidates, time_limit=request.time_limit, mip_gap=request.tolerance
    )
    try:
        result = solver.solve(ids, countries, scores, rules)
    except RuleBroken as broken:
        said = tuple(broken.params.items())
        error = FieldError(("body", "locked"), str(broken), broken.code, said)
        raise InvalidInput([error]) from broken
    except ValueError as error:
        raise InvalidInput([FieldError(("body", "locked"), str(error))]) from error
    explained = index.explain_pairs([(pair.a, pair.b) for pair in result.pairs])
    locked = {(min(p), max(p)) for p in request.locked} | set(kept)
    mutual = set(asked.accepted)

    def ref(pid: int) -> InstitutionRef:
        return InstitutionRef(id=pid, name=rows[pid].name, country=rows[pid].country)

    stored = RunResult(
        participants=len(ids),
        total=result.total,
        upper_bound=result.upper_bound,
        gap=result.gap,
        objective=result.objective,
        floor=result.floor,
        solver_seconds=result.solver_seconds,
        pairs=[
            PairPublic(
                a=ref(pair.a),
                b=ref(pair.b),
                score=pair.score,
                components=MatchComponents(**asdict(match.components)),
                reasons=list(match.reasons),
                why=[PairReason(kind=r.kind, items=list(r.items)) for r in match.why],
                locked=(pair.a, pair.b) in locked,
                meeting_request="accepted"
                if (pair.a, pair.b) in mutual
                else "pending"
                if (pair.a, pair.b) in asked.pending
                else None,
            )
            for pair, match in zip(result.pairs, explained, strict=True)
        ],
        alternates=[
            AlternatePublic(institution_id=alt.id, partner=ref(alt.partner), score=alt.score)
            for alt in result.alternates
        ],
        unpaired=[
            UnpairedPublic(institution=ref(item.id), reason=item.reason) for item in result.unpaired
        ],
        requests_not_kept=[
            RequestNotKept(
                a=ref(item.a),
                b=ref(item.b),
                why=item.message,
                code=item.reason,
                participant=None if item.participant is None else ref(item.participant),
                groups=list(item.groups),
            )
            for item in not_kept
        ],
    )
    # Runs finishing at once would take the same number; they take it one after another.
    hold_lock(session, "pairing_run", f"pairing-runs:{workshop.id}")
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
        "pairs": [
            {"a": p.a.model_dump(), "b": p.b.model_dump(), "score": p.score} for p in stored.pairs
        ],
        "unpaired": [item.institution.model_dump() for item in stored.unpaired],
    }
    enqueue(session, [Event(EventType.pairing_completed, summary, workshop_id=workshop.id)])
    return run


def get_run(*, session: Session, workshop_id: int, number: int) -> PairingRun:
    """Return a workshop's pairing run by number, or raise NotFound."""
    run = session.exec(
        select(PairingRun).where(
            col(PairingRun.workshop_id) == workshop_id, col(PairingRun.number) == number
        )
    ).first()
    if run is None:
        raise unknown_run(workshop_id, number)
    return run


def runs_query(workshop_id: int) -> SelectOfScalar[PairingRun]:
    """Return the select of a workshop's pairing runs, in no order (see pagination)."""
    return select(PairingRun).where(col(PairingRun.workshop_id) == workshop_id)


def run_summary(run: PairingRun) -> PairingRunSummary:
    """Return how a pairing run is listed."""
    return PairingRunSummary(
        number=run.number,
        created_at=run.created_at,
        pairs=len(run.result.pairs),
        total=run.result.total,
        gap=run.result.gap,
    )


def list_runs(*, session: Session, workshop_id: int) -> list[PairingRunSummary]:
    """Return a workshop's pairing runs, oldest first."""
    runs = session.exec(runs_query(workshop_id).order_by(col(PairingRun.number)))
    return [run_summary(run) for run in runs]


def run_out(run: PairingRun) -> PairingRunPublic:
    """Return the API view of a stored run."""
    result = run.result
    return PairingRunPublic(
        workshop_id=run.workshop_id,
        number=run.number,
        created_at=run.created_at,
        rules=PairingRequest.model_validate(run.rules),
        participants=result.participants,
        total=result.total,
        upper_bound=result.upper_bound,
        gap=result.gap,
        objective=result.objective,
        floor=result.floor,
        solver_seconds=result.solver_seconds,
        pairs=result.pairs,
        alternates=result.alternates,
        unpaired=result.unpaired,
        requests_not_kept=result.requests_not_kept,
    )


def pair_scores(run: PairingRun) -> dict[tuple[int, int], float]:
    """Return the run's pairs, as (smaller id, larger id), with their scores."""
    return {(p.a.id, p.b.id): p.score for p in run.result.pairs}


def diff_runs(run: PairingRun, against: PairingRun) -> PairingDiff:
    """Return which pairs ``run`` adds and removes compared with ``against``."""
    now, before = pair_scores(run), pair_scores(against)
    return PairingDiff(
        run=run.number,
        against=against.number,
        added=[list(pair) for pair in sorted(now.keys() - before.keys())],
        removed=[list(pair) for pair in sorted(before.keys() - now.keys())],
        kept=len(now.keys() & before.keys()),
        total_change=run.result.total - against.result.total,
    )


def institution_ref(row: Institution) -> InstitutionRef:
    """Return the short reference to an institution used in pairings."""
    assert row.id is not None
    return InstitutionRef(id=row.id, name=row.name, country=row.country)
