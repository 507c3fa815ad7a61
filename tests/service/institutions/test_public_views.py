"""The index's public views of suggested partners: read once, forgotten when the change
log names the institution, never kept when a change raced the read."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from service.db import session_scope
from service.institutions import crud, public_rows
from service.institutions.index import MatchIndex
from service.institutions.models import InstitutionUpdate
from service.institutions.public_views import PublicViews
from tests.support.rows import stored_institutions
from tests.support.statements import statements_sent


def _names(engine: Engine, index: MatchIndex, ids: list[int]) -> dict[int, str]:
    with session_scope(engine) as session:
        return {pid: view.name for pid, view in index.public.read(session=session, ids=ids).items()}


def test_a_view_read_once_is_served_again_without_a_query(engine: Engine) -> None:
    ids = stored_institutions(engine, "Kampot Polytechnic", "Takeo Technical School")
    index = MatchIndex(engine)
    index.load()
    assert _names(engine, index, ids) == {
        ids[0]: "Kampot Polytechnic",
        ids[1]: "Takeo Technical School",
    }
    with statements_sent(engine) as statements:
        assert _names(engine, index, ids)[ids[1]] == "Takeo Technical School"
    assert statements == []


def test_a_committed_change_is_shown_once_the_index_catches_up(engine: Engine) -> None:
    kampot, takeo = stored_institutions(engine, "Kampot Polytechnic", "Takeo Technical School")
    index = MatchIndex(engine)
    index.load()
    _names(engine, index, [kampot, takeo])
    with session_scope(engine) as session:
        row = crud.get_institution(session=session, institution_id=takeo)
        assert row is not None
        crud.update_institution(
            session=session, row=row, changes=InstitutionUpdate(name="Takeo Polytechnic")
        )
    assert index.catch_up() == 1
    assert _names(engine, index, [kampot, takeo]) == {
        kampot: "Kampot Polytechnic",
        takeo: "Takeo Polytechnic",
    }
    # A deleted institution is left out rather than shown as it was.
    with session_scope(engine) as session:
        row = crud.get_institution(session=session, institution_id=kampot)
        assert row is not None
        crud.delete_institution(session=session, row=row)
    index.catch_up()
    assert _names(engine, index, [kampot, takeo]) == {takeo: "Takeo Polytechnic"}


def test_a_view_read_while_its_institution_changed_is_not_kept(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    (kampot,) = stored_institutions(engine, "Kampot Polytechnic")
    views = PublicViews()
    read_from_database = public_rows.public_profiles

    def read_then_a_change_lands(**kwargs: object) -> object:
        found = read_from_database(**kwargs)  # type: ignore[arg-type]
        views.forget([kampot])  # the change log named it after the row was read
        return found

    monkeypatch.setattr(public_rows, "public_profiles", read_then_a_change_lands)
    with session_scope(engine) as session:
        assert set(views.read(session=session, ids=[kampot])) == {kampot}
    assert len(views) == 0
    monkeypatch.setattr(public_rows, "public_profiles", read_from_database)
    with session_scope(engine) as session:
        views.read(session=session, ids=[kampot])
    assert len(views) == 1


def test_at_most_the_views_asked_for_are_kept_the_oldest_dropped_first(engine: Engine) -> None:
    ids = stored_institutions(
        engine, "Kampot Polytechnic", "Takeo Technical School", "Battambang Institute"
    )
    views = PublicViews(kept=2)
    with session_scope(engine) as session:
        assert len(views.read(session=session, ids=ids[:2])) == 2
        assert len(views.read(session=session, ids=ids[2:])) == 1
    assert len(views) == 2
    with statements_sent(engine) as statements, session_scope(engine) as session:
        views.read(session=session, ids=ids[1:])
    assert statements == []  # the first was dropped, the later two kept
