"""Fixtures shared by the whole suite: databases (SQLite and real PostgreSQL) and apps."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from service.config import Settings
from service.db import make_engine
from service.main import create_app
from service.migrations.runner import upgrade
from tests.support.forked import Forker
from tests.support.postgres import PostgresUnavailable, throwaway_postgres

_database_numbers = itertools.count(1)
ADMIN_TOKEN = "test-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def bearer(key: str) -> dict[str, str]:
    """Return the header that authenticates with ``key``."""
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Start one throwaway PostgreSQL server for the session and yield its URL.

    Under pytest-xdist each worker process has a session, so a server, of its own. In CI
    (``CI=true``) a server that cannot start fails the run; elsewhere the PostgreSQL tests
    are skipped with the reason.
    """
    try:
        with throwaway_postgres() as url:
            yield url
    except PostgresUnavailable as reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI but could not start: {reason}")
        pytest.skip(f"PostgreSQL tests skipped: {reason}")


@pytest.fixture(scope="session")
def forker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Forker]:
    """The fork server the tests start ``tvet-match serve`` from: the service is imported
    once per test process (``tests.support.forked``), not once per start (4 to 5 s of CPU
    each on the CI machine, for some forty servers in the suite)."""
    forker = Forker(os.environ, tmp_path_factory.mktemp("forker") / "fork-server.log")
    yield forker
    forker.close()


def fresh_postgres_database(server_url: str, *, template: str | None = None) -> str:
    """Create a database (a copy of ``template`` when given) and return its URL."""
    import psycopg
    from psycopg import sql

    url = make_url(server_url)
    name = f"test_{os.getpid()}_{next(_database_numbers)}"
    admin = url.set(drivername="postgresql", database="postgres")
    conninfo = admin.render_as_string(hide_password=False)
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(create)
    return url.set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    """Drop the database at ``url``, closing any connection still open to it."""
    import psycopg
    from psycopg import sql

    database = make_url(url)
    admin = database.set(drivername="postgresql", database="postgres")
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
        sql.Identifier(str(database.database))
    )
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(drop)


def _migrate(database_url: str, data_dir: Path) -> None:
    engine = make_engine(Settings(data_dir=data_dir, database_url=database_url))
    try:
        upgrade(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file at the schema head, which the tests that start an app copy."""
    folder = tmp_path_factory.mktemp("migrated")
    path = folder / "migrated.sqlite3"
    _migrate(f"sqlite:///{path}", folder)
    # Every connection is closed, so the write-ahead log is folded into the file.
    assert not path.with_name(f"{path.name}-wal").exists(), "the template has a WAL left"
    return path


@pytest.fixture(scope="session")
def migrated_postgres(postgres_server: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The name of a PostgreSQL database at the schema head, the template of app tests."""
    url = fresh_postgres_database(postgres_server)
    _migrate(url, tmp_path_factory.mktemp("migrated"))
    return str(make_url(url).database)


# Fixtures that start an app on the test's database before the test can touch it: the
# app migrates the database first thing, so it may as well start from a migrated copy.
_STARTS_AN_APP = frozenset({"client", "web"})


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a database: a SQLite file, then a real PostgreSQL database.

    It is empty, except for a test that starts an app on it at once (``client``, ``web``):
    that one gets a copy of a database already at the schema head, since copying takes a
    fraction of the time that running every migration again does, and the app's own
    upgrade at start then finds nothing to do.

    A PostgreSQL database is dropped after its test (about 10 ms). Left in place, the 300
    or so of a worker's session were removed with the server's folder, 140,000 files at
    once, in the teardown of whichever test ran last on that worker: 12 s on a quiet
    machine, while the other worker may have nothing left to do.
    """
    if request.param == "sqlite":
        if not _STARTS_AN_APP.isdisjoint(request.fixturenames):
            yield migrated_database(request, "sqlite", tmp_path)
        else:
            yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    if not _STARTS_AN_APP.isdisjoint(request.fixturenames):
        url = migrated_database(request, "postgres", tmp_path)
    else:
        url = fresh_postgres_database(request.getfixturevalue("postgres_server"))
    yield url
    drop_postgres_database(url)


def migrated_database(request: pytest.FixtureRequest, kind: str, folder: Path) -> str:
    """Return the URL of a new database at the schema head, a copy of the session's template.

    ``kind`` is "sqlite" (a file in ``folder``) or "postgres". For fixtures of any scope
    that start an app on a database of their own.
    """
    if kind == "sqlite":
        path = folder / "test.sqlite3"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
        return f"sqlite:///{path}"
    server_url: str = request.getfixturevalue("postgres_server")
    template: str = request.getfixturevalue("migrated_postgres")
    return fresh_postgres_database(server_url, template=template)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings for an app on the test database, without the demo seed."""
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        seed_on_empty=False,
        admin_token=SecretStr(ADMIN_TOKEN),
        # A timetable's search for fewer slots and gaps than the greedy placement stops
        # here, not after the default 5 s: the service's tests check that a timetable is
        # valid, and tests/matching/test_schedule.py what the search finds.
        schedule_seconds=0.2,
    )


ClientFactory = Callable[[Settings], TestClient]


@pytest.fixture
def make_client() -> Iterator[ClientFactory]:
    """Return a function that starts an app (lifespan included) for given settings."""
    clients: list[TestClient] = []

    def start(settings: Settings) -> TestClient:
        client = TestClient(create_app(settings), raise_server_exceptions=True)
        client.__enter__()
        clients.append(client)
        return client

    yield start
    for client in reversed(clients):
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: ClientFactory, settings: Settings) -> TestClient:
    """A started app on an empty test database."""
    return make_client(settings)
