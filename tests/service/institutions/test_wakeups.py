"""Workers sharing an index directory wake each other's poller after a write."""

from __future__ import annotations

import sys
import threading
import time

import pytest
from sqlalchemy import Engine

from service.institutions import index as index_module
from service.institutions.generations import Generations
from service.institutions.index import MatchIndex
from service.institutions.wakeups import Wakeups
from tests.service.institutions.conftest import Start
from tests.service.institutions.test_generations import ranked, store

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="abstract sockets are Linux's"
)

# Far longer than any test waits: only a wake-up can make the second index catch up.
SLOW_POLL = 60.0


def _eventually(check: object, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(check) and check():
            return True
        time.sleep(0.02)
    return False


def test_a_write_caught_up_by_one_worker_wakes_the_others_poller(
    engine: Engine, started: Start
) -> None:
    writer, reader = started(), started()
    reader.start_polling(SLOW_POLL)
    new_id = store(engine, "Tianjin CNC Centre", needs=("CNC teacher training",))
    assert reader.profile(new_id) is None
    assert writer.catch_up() == 1
    assert _eventually(lambda: reader.profile(new_id) is not None)


def test_a_ranking_after_another_workers_write_answers_its_wake_up_first(
    engine: Engine, started: Start
) -> None:
    # The reader polls for nothing: only the wake-up waiting on its socket can tell it.
    writer, reader = started(), started()
    new_id = store(engine, "Tianjin CNC Centre", offers=["CNC teacher training"])
    assert writer.catch_up() == 1  # commit, catch up, wake the others: then the response
    assert reader.profile(new_id) is None
    assert new_id in ranked(reader, name="Kampot Polytechnic", needs=("CNC teacher training",))
    # Answered: the next ranking asks the change log nothing.
    assert reader.catch_up() == 0


def test_a_wake_up_taken_by_the_poller_is_answered_by_a_ranking_before_its_catch_up(
    engine: Engine, started: Start
) -> None:
    writer, reader = started(), started()
    new_id = store(engine, "Tianjin CNC Centre", offers=["CNC teacher training"])
    assert writer.catch_up() == 1
    # What the poller's wait does on waking, just before its catch-up takes the lock.
    assert reader._wakeups is not None
    assert reader._wakeups.wait(0, threading.Event()) is False
    assert new_id in ranked(reader, name="Kampot Polytechnic", needs=("CNC teacher training",))


def test_a_ranking_waits_for_a_catch_up_under_way_that_took_the_wake_up(
    engine: Engine, started: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Waiting as long as it takes, so the order of the two threads cannot matter here.
    monkeypatch.setattr(index_module, "_ANSWER_WAIT_SECONDS", 60.0)
    writer, reader = started(), started()
    new_id = store(engine, "Tianjin CNC Centre", offers=["CNC teacher training"])
    assert writer.catch_up() == 1
    ranked_ids: list[list[int]] = []
    assert reader._wakeups is not None
    # A poll's catch-up began just as the wake-up came: it answered it, and holds the lock.
    with reader._write_lock:
        reader._wakeups.answer()
        asked = threading.Thread(target=lambda: ranked_ids.append(_asked(reader)))
        asked.start()
        time.sleep(0.2)
        assert asked.is_alive()  # waiting for the catch-up, not ranking without the write
    asked.join(10)
    assert new_id in ranked_ids[0]


def test_a_ranking_does_not_wait_out_a_long_hold_of_the_lock(
    engine: Engine, started: Start
) -> None:
    writer, reader = started(), started()
    store(engine, "Tianjin CNC Centre", offers=["CNC teacher training"])
    assert writer.catch_up() == 1
    ranked_ids: list[list[int]] = []
    with reader._write_lock:  # as a refit that a write set off under the lock would
        asked = threading.Thread(target=lambda: ranked_ids.append(_asked(reader)))
        asked.start()
        asked.join(10)
        assert not asked.is_alive()  # answered while the lock is still held
    assert len(ranked_ids) == 1


def _asked(index: MatchIndex) -> list[int]:
    return ranked(index, name="Kampot Polytechnic", needs=("CNC teacher training",))


def test_without_a_wake_up_a_ranking_does_not_read_the_change_log(
    engine: Engine, started: Start
) -> None:
    writer, reader = started(), started()
    new_id = store(engine, "Tianjin CNC Centre", offers=["CNC teacher training"])
    assert writer.catch_up(wake_others=False) == 1
    assert new_id not in ranked(reader, name="Kampot Polytechnic", needs=("CNC teacher training",))
    assert reader.catch_up() == 1


def test_the_poller_alone_does_not_wake_anyone(engine: Engine, started: Start) -> None:
    writer, reader = started(), started()
    reader.start_polling(SLOW_POLL)
    new_id = store(engine, "Tianjin CNC Centre")
    assert writer.catch_up(wake_others=False) == 1
    time.sleep(0.5)
    assert reader.profile(new_id) is None


def test_closing_a_polling_index_ends_its_wait_at_once(started: Start) -> None:
    index = started()
    index.start_polling(SLOW_POLL)
    began = time.monotonic()
    index.close()
    assert time.monotonic() - began < 5


def test_a_gone_workers_entry_is_removed_when_it_refuses_a_wake_up(
    generations: Generations,
) -> None:
    listed = generations.root.parent / "wakeups"
    mine, other = Wakeups(listed), Wakeups(listed)
    (listed / "4194304-dead").touch()  # a worker killed before it could remove its entry
    assert mine.wake_others() == 1  # the other, alive
    assert len(list(listed.iterdir())) == 2
    other.close()
    mine.close()
    assert list(listed.iterdir()) == []
