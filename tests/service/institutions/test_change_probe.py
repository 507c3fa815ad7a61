"""The poll's question, on both databases: how many changes are logged after a position."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from service.institutions.change_probe import ChangeLogProbe
from service.institutions.models import IndexChange


def log_changes(engine: Engine, institution_ids: list[int]) -> list[int]:
    with Session(engine) as session:
        rows = [IndexChange(institution_id=pid) for pid in institution_ids]
        session.add_all(rows)
        session.commit()
        return [row.id for row in rows if row.id is not None]


def test_the_window_counts_the_changes_after_a_position(engine: Engine) -> None:
    probe = ChangeLogProbe(engine)
    assert probe.window(0, 0) == (0, None, 0)
    first, second, third = log_changes(engine, [7, 8, 7])
    assert probe.window(0, 0) == (3, third, 3)
    assert probe.window(first, first) == (2, third, 2)
    assert probe.window(second, third) == (1, third, 0)
    assert probe.window(third, third) == (0, None, 0)
    # How many lie beyond the applied position ``last``, within the window.
    assert probe.window(0, first) == (3, third, 2)
    assert probe.window(0, second) == (3, third, 1)


def test_each_call_gives_its_connection_back(engine: Engine) -> None:
    probe = ChangeLogProbe(engine)
    for _ in range(50):  # more calls than the pool holds connections
        probe.window(0, 0)
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
