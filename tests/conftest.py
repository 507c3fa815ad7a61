"""Fixtures shared by the whole suite: databases (SQLite and real PostgreSQL) and apps."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from service.config import Settings
from service.main import create_app
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

    In CI (``CI=true``) a server that cannot start fails the run; elsewhere the
    PostgreSQL tests are skipped with the reason.
    """
    try:
        with throwaway_postgres() as url:
            yield url
    except PostgresUnavailable as reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI but could not start: {reason}")
        pytest.skip(f"PostgreSQL tests skipped: {reason}")


def fresh_postgres_database(server_url: str) -> str:
    import psycopg

    url = make_url(server_url)
    name = f"test_{os.getpid()}_{next(_database_numbers)}"
    admin = url.set(drivername="postgresql", database="postgres")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Yield the URL of an empty database: a SQLite file, then a real PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    server_url: str = request.getfixturevalue("postgres_server")
    return fresh_postgres_database(server_url)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings for an app on the test database, without the demo seed."""
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        seed_on_empty=False,
        admin_token=SecretStr(ADMIN_TOKEN),
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
