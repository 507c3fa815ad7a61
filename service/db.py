"""The only place that makes a database engine and opens sessions; ``committed`` ends a
write."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from service.config import Settings

# The most values one statement binds, for those reading or writing many rows by id in
# chunks: well below SQLite's limit on bound parameters (999 before SQLite 3.32).
MAX_BOUND_VALUES = 900


def _json_dumps(value: Any) -> str:
    # Keep Chinese, Khmer and Thai readable in the database (and searchable with LIKE).
    return json.dumps(value, ensure_ascii=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(settings: Settings) -> Engine:
    """Create the engine for the configured database, creating the data folder if needed."""
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        return _sqlite_engine(url)
    return create_engine(url, json_serializer=_json_dumps, pool_pre_ping=True)


def _sqlite_engine(url: URL, **pool: Any) -> Engine:
    """A SQLite engine with the service's pragmas on every connection, any thread's."""
    engine = create_engine(
        url, json_serializer=_json_dumps, connect_args={"check_same_thread": False}, **pool
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def in_a_file(engine: Engine) -> bool:
    """Whether ``engine``'s database is SQLite in a file, which another connection of this
    process shares (an in-memory one is a database per connection)."""
    url = engine.url
    memory = url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"
    return url.get_backend_name() == "sqlite" and not memory


def own_connection_engine(engine: Engine) -> Engine:
    """An engine on ``engine``'s SQLite database with one connection of its own.

    For the event loop's thread: a connection of the shared pool may be held by a session
    whose closing waits for that very loop, so a loop waiting for one could wait out the
    pool's timeout. Only one thread may use it.
    """
    if not in_a_file(engine):
        raise ValueError(f"not a SQLite database in a file: {engine.url!r}")
    return _sqlite_engine(engine.url, poolclass=StaticPool)


def open_session(engine: Engine) -> Session:
    """Open a session whose rows stay readable after a commit."""
    return Session(engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Open a session that commits on success and rolls back on any error."""
    with open_session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def committed(session: Session) -> Iterator[Session]:
    """Commit what the block wrote; on any error roll it back, so a refused write leaves
    the session clean for the caller to answer with (a page re-rendered, say)."""
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    session.commit()


def hold_lock(session: Session, table: str, name: str) -> None:
    """Wait for a lock on ``name`` and hold it until the session's transaction ends.

    A cap checked by counting rows holds only if no one else counts and writes in between:
    callers take this lock first, so concurrent requests (and instances) queue up.
    PostgreSQL: an advisory lock on the name. SQLite: the database's one write lock, taken
    by a write to ``table`` that changes nothing.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:
        connection.execute(text(f'UPDATE "{table}" SET id = id WHERE 0'))
