"""Running the clients' shared coroutines to their end without an event loop.

The blocking client's coroutines await only its own blocking steps (a request sent with
``httpx.Client``, a ``time.sleep``), so they never suspend: each ``await`` returns at
once, and driving a coroutine one step runs it to its end.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Generator
from typing import TypeVar, cast

T = TypeVar("T")


def finished(step: Awaitable[T]) -> T:
    """Run an awaitable that never suspends to its end, and return its value.

    One that asked to suspend would need an event loop: a bug, raised as ``RuntimeError``.
    """
    steps = step.__await__()
    try:
        next(steps)
    except StopIteration as done:
        return cast(T, done.value)
    steps.close()
    raise RuntimeError("a coroutine of the blocking client suspended")


def iterated(items: AsyncGenerator[T, None]) -> Generator[T, None, None]:
    """Yield the items of an async generator that never suspends, closing it at the end."""
    try:
        while True:
            try:
                item = finished(anext(items))
            except StopAsyncIteration:
                return
            yield item
    finally:
        finished(items.aclose())  # also when the caller stops early
