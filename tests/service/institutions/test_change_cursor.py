"""Which logged changes an index has not applied: after its position, and late ones below."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, col, delete

from service.institutions.change_cursor import ChangeCursor
from service.institutions.change_probe import ChangeLogProbe
from service.institutions.models import IndexChange
from tests.service.institutions.test_change_probe import log_changes


def test_the_changes_after_the_position_are_fresh_and_then_applied(engine: Engine) -> None:
    probe = ChangeLogProbe(engine)
    first, second = log_changes(engine, [7, 8])
    cursor = ChangeCursor(second, [first, second])
    assert cursor.fresh(engine, probe) == []
    third, fourth = log_changes(engine, [9, 7])
    fresh = cursor.fresh(engine, probe)
    assert fresh == [(third, 9), (fourth, 7)]
    cursor.mark(fresh)
    assert cursor.last == fourth
    assert cursor.fresh(engine, probe) == []


def test_a_change_committed_below_the_position_is_still_fresh(engine: Engine) -> None:
    probe = ChangeLogProbe(engine)
    first, second, third = log_changes(engine, [7, 8, 9])
    # ``second`` took its id before ``third`` but committed after the cursor read third.
    cursor = ChangeCursor(third, [first, third])
    fresh = cursor.fresh(engine, probe)
    assert fresh == [(second, 8)]
    cursor.mark(fresh)
    assert cursor.last == third
    (fourth,) = log_changes(engine, [10])
    assert cursor.fresh(engine, probe) == [(fourth, 10)]


def test_pruned_changes_are_forgotten_and_later_ones_still_found(engine: Engine) -> None:
    probe = ChangeLogProbe(engine)
    first, second = log_changes(engine, [7, 8])
    cursor = ChangeCursor(second, [first, second])
    with Session(engine) as session:
        session.exec(delete(IndexChange).where(col(IndexChange.id) == first))
        session.commit()
    assert cursor.fresh(engine, probe) == []
    (third,) = log_changes(engine, [9])
    assert cursor.fresh(engine, probe) == [(third, 9)]
