"""In-process moving windows: the counts, the reset time and the sweep of idle keys."""

from __future__ import annotations

import threading
import time

import pytest
from limits import parse

from service.http.windows import MovingWindows


class Clock:
    """Time that moves only when a test moves it."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_a_window_allows_its_amount_then_frees_one_place_per_hit_that_leaves(clock: Clock) -> None:
    windows = MovingWindows(clock)
    three_a_minute = parse("3/minute")
    for second in (0, 10, 20):
        clock.now = 1_000.0 + second
        assert windows.hit(three_a_minute, "ip:1")
    clock.now = 1_059.0
    assert not windows.hit(three_a_minute, "ip:1")
    clock.now = 1_060.5  # the hit at 0 s has left; those at 10 s and 20 s have not
    assert windows.hit(three_a_minute, "ip:1")
    assert not windows.hit(three_a_minute, "ip:1")
    clock.now = 1_070.5
    assert windows.hit(three_a_minute, "ip:1")


def test_keys_and_limits_count_apart(clock: Clock) -> None:
    windows = MovingWindows(clock)
    one = parse("1/minute")
    assert windows.hit(one, "all", "ip:1")
    assert not windows.hit(one, "all", "ip:1")
    assert windows.hit(one, "all", "ip:2")
    assert windows.hit(one, "writes", "ip:1")
    assert windows.hit(parse("1/second"), "all", "ip:1")


def test_a_cost_above_what_remains_is_refused_and_not_counted(clock: Clock) -> None:
    windows = MovingWindows(clock)
    two = parse("2/minute")
    assert not windows.hit(two, "k", cost=3)
    assert windows.hit(two, "k", cost=2)
    assert not windows.hit(two, "k")


def test_the_stats_say_when_the_oldest_hit_leaves_and_what_remains(clock: Clock) -> None:
    windows = MovingWindows(clock)
    two = parse("2/minute")
    windows.hit(two, "k")
    clock.now += 15
    windows.hit(two, "k")
    clock.now += 5
    reset_at, remaining = windows.get_window_stats(two, "k")
    assert remaining == 0
    # The first hit was 20 s ago, so a place frees in 40 s (reset is wall-clock time).
    assert reset_at - time.time() == pytest.approx(40, abs=1)
    assert windows.get_window_stats(two, "other")[1] == 2


def test_idle_keys_are_swept_and_busy_ones_kept(clock: Clock) -> None:
    windows = MovingWindows(clock)
    per_minute, per_hour = parse("5/minute"), parse("5/hour")
    windows.hit(per_minute, "idle")
    windows.hit(per_hour, "kept an hour")
    clock.now += 120  # past the minute window and the sweep interval
    windows.hit(per_minute, "busy")
    assert len(windows) == 2  # "idle" went; the hourly one still counts
    assert not windows.hit(per_hour, "kept an hour", cost=5)
    clock.now += 3_600
    windows.hit(per_minute, "busy")
    assert len(windows) == 1


def test_hits_from_many_threads_never_exceed_the_limit() -> None:
    windows = MovingWindows()
    limit = parse("100/hour")
    allowed: list[bool] = []
    lock = threading.Lock()

    def hammer() -> None:
        mine = [windows.hit(limit, "shared") for _ in range(50)]
        with lock:
            allowed.extend(mine)

    # Other tests of this process may have left threads of their own (thread pools).
    running = threading.active_count()
    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(allowed) == 100
    assert threading.active_count() == running  # and no thread of its own was started
