"""What an engine sends to its database while a block runs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event


@contextmanager
def on_each_statement(engine: Engine, call: Callable[[str], None]) -> Iterator[None]:
    """Call ``call`` with each statement's SQL just before the engine sends it."""

    def listener(*args: object) -> None:
        call(str(args[2]))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", listener)


@contextmanager
def statements_sent(engine: Engine) -> Iterator[list[str]]:
    """Yield a list that fills with each statement's SQL as the engine sends it."""
    sent: list[str] = []
    with on_each_statement(engine, sent.append):
        yield sent
