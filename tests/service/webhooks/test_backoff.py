"""The retry schedule of webhook deliveries."""

from __future__ import annotations

import pytest

from service.webhooks.backoff import Backoff


def test_delays_double_until_the_attempts_are_used_up() -> None:
    backoff = Backoff(base=10, max_attempts=5)
    assert backoff.schedule() == [10, 20, 40, 80]
    assert backoff.delay_after(4) == 80
    assert backoff.delay_after(5) is None
    assert backoff.delay_after(50) is None


def test_delays_stop_at_the_cap() -> None:
    backoff = Backoff(base=60, max_attempts=100, factor=3, cap=3600)
    assert backoff.schedule()[:5] == [60, 180, 540, 1620, 3600]
    assert backoff.delay_after(99) == 3600  # no overflow however far along


def test_one_attempt_means_no_retry() -> None:
    assert Backoff(base=1, max_attempts=1).schedule() == []
    assert Backoff(base=1, max_attempts=1).delay_after(1) is None


@pytest.mark.parametrize(
    "arguments",
    [
        {"base": -1, "max_attempts": 3},
        {"base": 1, "max_attempts": 0},
        {"base": 1, "max_attempts": 3, "factor": 0.5},
        {"base": 1, "max_attempts": 3, "cap": -1},
    ],
)
def test_nonsense_schedules_are_refused(arguments: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        Backoff(**arguments)  # type: ignore[arg-type]


def test_attempts_count_from_one() -> None:
    with pytest.raises(ValueError, match="from 1"):
        Backoff(base=1, max_attempts=3).delay_after(0)
