"""The index's freshness rules: immediate sync, refits inline and in the background."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any, Self

from sqlalchemy import Engine
from sqlmodel import Session

from matching import CandidateFilter, Profile, ReciprocalRanker
from service.institutions import crud
from service.institutions.index import MatchIndex
from service.institutions.models import InstitutionCreate
from service.values.validation import Kind


def store(engine: Engine, **fields: Any) -> int:
    with Session(engine) as session:
        (row,) = crud.create_institutions(
            session=session, items=[InstitutionCreate(kind=Kind.college, **fields)]
        )
        session.commit()
        assert row.id is not None
        return row.id


def ranked(match_index: MatchIndex, **fields: Any) -> list[int]:
    query = Profile(**fields)
    return [m.id for m in match_index.rank(query, k=10, where=CandidateFilter())]


def test_sync_reads_the_committed_row_and_drops_deleted_ones(engine: Engine) -> None:
    match_index = MatchIndex(engine)
    match_index.load()
    wuxi = store(engine, name="Wuxi", country="CN", offers=["CNC teacher training"])
    assert ranked(match_index, country="KH", needs=("CNC teacher training",)) == []
    match_index.sync([wuxi])
    assert ranked(match_index, country="KH", needs=("CNC teacher training",)) == [wuxi]
    with Session(engine) as session:
        row = crud.get_institution(session=session, institution_id=wuxi)
        assert row is not None
        crud.delete_institution(session=session, row=row)
        session.commit()
    match_index.sync([wuxi])
    assert len(match_index) == 0


def test_refits_inline_on_a_small_corpus_when_terms_are_new(engine: Engine) -> None:
    match_index = MatchIndex(engine)
    store(engine, name="A", country="CN", offers=["CNC teacher training"])
    match_index.load()
    refits = match_index.refits
    new = store(engine, name="B", country="CN", offers=["การฝึกอบรมครู"])
    match_index.sync([new])
    assert match_index.refits == refits + 1
    assert ranked(match_index, country="TH", needs=("การฝึกอบรมครู",)) == [new]


class _GatedRanker(ReciprocalRanker):
    """A ranker whose fit waits for a gate, so a test can write during a background refit."""

    gate = threading.Event()
    started = threading.Event()

    def fit(self, profiles: Iterable[Profile]) -> Self:
        profiles = list(profiles)
        if threading.current_thread().name == "index-refit":
            self.started.set()
            assert self.gate.wait(10)
        return super().fit(profiles)


def test_background_refit_keeps_writes_made_while_it_ran(engine: Engine) -> None:
    _GatedRanker.gate.clear()
    _GatedRanker.started.clear()
    match_index = MatchIndex(
        engine, refit_after_changes=1, sync_refit_max_profiles=0, ranker_factory=_GatedRanker
    )
    first = store(engine, name="A", country="CN", offers=["CNC teacher training"])
    match_index.load()
    second = store(engine, name="B", country="CN", offers=["CNC teacher training"])
    match_index.sync([second])  # one change: starts a background refit, which waits
    assert _GatedRanker.started.wait(10)
    third = store(engine, name="C", country="CN", offers=["CNC teacher training"])
    match_index.sync([third])  # made while the refit runs: journaled, visible at once
    assert ranked(match_index, country="KH", needs=("CNC teacher training",)) == [
        first,
        second,
        third,
    ]
    _GatedRanker.gate.set()
    match_index.wait_for_refit(10)
    assert ranked(match_index, country="KH", needs=("CNC teacher training",)) == [
        first,
        second,
        third,
    ]
    assert match_index.refits == 2


def test_loading_counts_the_logged_changes_as_seen(engine: Engine) -> None:
    for i in range(5):
        store(engine, name=f"Loaded {i}", country="CN", offers=["CNC teacher training"])
    match_index = MatchIndex(engine, refit_after_changes=3)
    match_index.load()
    refits = match_index.refits
    # Nothing new since the load: catching up must neither re-apply nor refit.
    assert match_index.catch_up() == 0
    assert match_index.refits == refits
    late = store(engine, name="Late", country="CN", offers=["CNC teacher training"])
    assert match_index.catch_up() == 1
    assert late in ranked(match_index, country="KH", needs=("CNC teacher training",))
