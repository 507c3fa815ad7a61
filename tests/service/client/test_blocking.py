"""Running the shared coroutines without an event loop, as the blocking client does."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import pytest

from service.client.blocking import finished, iterated


async def doubled(value: int) -> int:
    return value * 2


async def numbers(closed: list[str]) -> AsyncGenerator[int, None]:
    try:
        for number in range(5):
            yield await doubled(number)
    finally:
        closed.append("closed")


def test_a_coroutine_that_never_suspends_runs_to_its_value() -> None:
    assert finished(doubled(21)) == 42


def test_a_coroutine_that_suspends_is_refused_not_left_half_run() -> None:
    async def sleeps() -> None:
        await asyncio.sleep(0)

    with pytest.raises(RuntimeError, match="suspended"):
        finished(sleeps())


def test_an_error_inside_the_coroutine_is_raised_as_it_is() -> None:
    async def fails() -> None:
        raise LookupError("no such page")

    with pytest.raises(LookupError, match="no such page"):
        finished(fails())


def test_an_async_generator_is_walked_to_its_end_and_closed() -> None:
    closed: list[str] = []
    assert list(iterated(numbers(closed))) == [0, 2, 4, 6, 8]
    assert closed == ["closed"]


def test_an_async_generator_left_early_is_closed() -> None:
    closed: list[str] = []
    walk = iterated(numbers(closed))
    assert [next(walk), next(walk)] == [0, 2]
    walk.close()
    assert closed == ["closed"]
