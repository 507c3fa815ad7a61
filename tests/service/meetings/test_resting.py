"""Resting partners (service.meetings.resting): read once per institution, aged out of the
window without a query, forgotten when the change log names the institution, and never
kept when a change raced the read."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from service.auth.keys import Caller, Role
from service.db import session_scope
from service.institutions.index import MatchIndex
from service.meetings import operations
from service.meetings.models import MeetingRequest, MeetingStatus
from service.meetings.resting import RestingPartners
from service.meetings.schemas import MeetingRequestCreate
from service.values.times import utc_now
from tests.support.rows import stored_institutions
from tests.support.statements import on_each_statement, statements_sent


def _decided(
    engine: Engine, asker: int, asked: int, status: MeetingStatus, days_ago: float
) -> None:
    with session_scope(engine) as session:
        session.add(
            MeetingRequest(
                from_institution_id=asker,
                to_institution_id=asked,
                message="Shall we meet?",
                status=status,
                decided_at=utc_now() - timedelta(days=days_ago),
            )
        )


def _read(engine: Engine, resting: RestingPartners, institution_id: int, days: int) -> set[int]:
    with session_scope(engine) as session:
        return set(resting.read(session=session, institution_id=institution_id, days=days))


def test_both_sides_of_a_refusal_rest_and_only_within_the_window(engine: Engine) -> None:
    kampot, takeo, wuxi, hue, vinh = stored_institutions(
        engine, "Kampot Polytechnic", "Takeo School", "Wuxi Centre", "Hue College", "Vinh School"
    )
    _decided(engine, kampot, takeo, MeetingStatus.declined, days_ago=1)
    _decided(engine, wuxi, kampot, MeetingStatus.withdrawn, days_ago=2)
    _decided(engine, kampot, hue, MeetingStatus.accepted, days_ago=1)  # no rest after a yes
    _decided(engine, vinh, kampot, MeetingStatus.declined, days_ago=40)  # rested long enough
    resting = RestingPartners()
    assert _read(engine, resting, kampot, days=30) == {takeo, wuxi}
    assert _read(engine, RestingPartners(), wuxi, days=30) == {kampot}
    assert _read(engine, RestingPartners(), kampot, days=0) == set()


def test_kept_partners_are_served_again_and_age_out_without_a_query(engine: Engine) -> None:
    kampot, takeo, wuxi = stored_institutions(
        engine, "Kampot Polytechnic", "Takeo School", "Wuxi Centre"
    )
    _decided(engine, kampot, takeo, MeetingStatus.declined, days_ago=1)
    _decided(engine, wuxi, kampot, MeetingStatus.declined, days_ago=5)
    resting = RestingPartners()
    assert _read(engine, resting, kampot, days=30) == {takeo, wuxi}
    with statements_sent(engine) as statements:
        assert _read(engine, resting, kampot, days=30) == {takeo, wuxi}
        # A narrower window starts later: what was kept covers it, less what aged out.
        assert _read(engine, resting, kampot, days=3) == {takeo}
    assert statements == []
    # A wider one starts before what was kept: read again.
    with statements_sent(engine) as statements:
        assert _read(engine, resting, kampot, days=60) == {takeo, wuxi}
    assert len(statements) == 1


def test_a_refusal_is_in_the_change_log_and_the_index_forgets_both_sides(engine: Engine) -> None:
    kampot, takeo, wuxi = stored_institutions(
        engine, "Kampot Polytechnic", "Takeo School", "Wuxi Centre"
    )
    index = MatchIndex(engine)
    index.load()
    assert _read(engine, index.resting, kampot, days=30) == set()
    assert _read(engine, index.resting, takeo, days=30) == set()
    for asked, answer in ((takeo, "decline"), (wuxi, "withdraw")):
        with session_scope(engine) as session:
            sender = Caller(role=Role.institution, institution_id=kampot)
            row = operations.send(
                session=session,
                caller=sender,
                data=MeetingRequestCreate(to_institution_id=asked, message="Meet?"),
                per_day=10,
            )
            if answer == "decline":
                operations.decline(
                    session=session,
                    caller=Caller(role=Role.institution, institution_id=asked),
                    row=row,
                    reason="",
                )
            else:
                operations.withdraw(session=session, caller=sender, row=row)
        assert index.catch_up() == 2  # both sides named
        assert _read(engine, index.resting, kampot, days=30) >= {asked}
        assert _read(engine, index.resting, asked, days=30) == {kampot}
    assert _read(engine, index.resting, kampot, days=30) == {takeo, wuxi}


def test_partners_read_while_a_change_landed_are_not_kept(engine: Engine) -> None:
    kampot, takeo = stored_institutions(engine, "Kampot Polytechnic", "Takeo School")
    _decided(engine, kampot, takeo, MeetingStatus.declined, days_ago=1)
    resting = RestingPartners()

    def a_change_lands(_statement: str) -> None:
        resting.forget([takeo])  # the change log named some institution during the read

    with on_each_statement(engine, a_change_lands):
        assert _read(engine, resting, kampot, days=30) == {takeo}
    assert len(resting) == 0
    assert _read(engine, resting, kampot, days=30) == {takeo}
    assert len(resting) == 1


def test_at_most_the_institutions_asked_for_are_kept_the_oldest_dropped_first(
    engine: Engine,
) -> None:
    ids = stored_institutions(engine, "Kampot Polytechnic", "Takeo School", "Wuxi Centre")
    resting = RestingPartners(kept=2)
    for pid in ids:
        _read(engine, resting, pid, days=30)
    assert len(resting) == 2
    with statements_sent(engine) as statements:
        _read(engine, resting, ids[1], days=30)
        _read(engine, resting, ids[2], days=30)
    assert statements == []
    with statements_sent(engine) as statements:
        _read(engine, resting, ids[0], days=30)
    assert len(statements) == 1
