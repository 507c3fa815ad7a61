"""service.db: which databases another connection of this process shares."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from service.db import in_a_file, own_connection_engine


@pytest.mark.parametrize(
    ("url", "shared"),
    [
        ("sqlite:///{folder}/tvet.db", True),
        ("sqlite://", False),
        ("sqlite:///:memory:", False),
        ("sqlite:///file:tvet?mode=memory&uri=true", False),
        ("postgresql+psycopg://user@localhost/tvet", False),
    ],
)
def test_only_a_sqlite_file_is_shared_by_a_connection_of_its_own(
    url: str, shared: bool, tmp_path: Path
) -> None:
    # The pool named: SQLAlchemy warns when it would pick one from mode=memory.
    engine = create_engine(url.format(folder=tmp_path), poolclass=NullPool)
    assert in_a_file(engine) is shared
    if not shared:
        with pytest.raises(ValueError, match="not a SQLite database in a file"):
            own_connection_engine(engine)


def test_the_own_connection_sees_what_the_shared_pool_committed(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path}/tvet.db")
    own = own_connection_engine(engine)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
        with own.connect() as connection:  # a read before the write below
            assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 0
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO t VALUES (1)"))
        with own.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 1
            # WAL, as every connection of the service (service.db._sqlite_pragmas).
            assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
    finally:
        own.dispose()
        engine.dispose()
